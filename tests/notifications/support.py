"""Helpers shared by the notification tests (``tests/notifications`` and ``tests/booking/test_notify_*``,
``test_reminders``, ``test_campaigns``). Holds no tests; import the fixtures where they are used.

- The clinic is the shared world's (``tests.world``): Helsenorge kommune's «Influensavaksine» of source 000, with
  the source's names and attendance place, so a confirmation's text can be compared with the source's word for word.
- ``channel_log`` (or ``record_channels(monkeypatch)``) wraps every channel in ``CHANNELS`` and records each
  call, so a test can count what was really sent (not just what the rows say).
- The seeded demo: mark a test ``@pytest.mark.usefixtures("demo_db")`` and look people up through
  ``tests.demo.Demo()``.
- ``in_threads`` runs a function in several threads released at the same moment (PostgreSQL races).
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from booking.models import Appointment
from booking.services import appointment_request
from citizens.models import Citizen
from notifications.channels import CHANNELS
from notifications.models import Notification
from resourcebooks.models import Slot
from tests.factories import AppointmentFactory
from tests.world import ACTOR, PLACE

OSLO = ZoneInfo("Europe/Oslo")
LOGIN = "Logg inn på Helsenorge for å se mer."


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A wall-clock moment in Oslo."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=OSLO)


def text_moment(start: dt.datetime) -> str:
    """«23.11.2026, kl. 08:00»: the source's [dd.mm.åååå, kl. tt:mm], in Oslo time."""
    local = start.astimezone(OSLO)
    return f"{local:%d.%m.%Y}, kl. {local:%H:%M}"


def source_confirmation(first_name: str, start: dt.datetime, actor: str = ACTOR, place: str = PLACE) -> str:
    """Source 001: «[Fornavn], du har fått time til [Timetype] hos [Aktørnavn] [dd.mm.åååå, kl. tt:mm].
    Oppmøtested: [lokasjon]. Logg inn på Helsenorge for å se mer.»"""
    return f"{first_name}, du har fått time til vaksine hos {actor} {text_moment(start)}. Oppmøtested: {place}. {LOGIN}"


def book(citizen: Citizen, slot: Slot, *, booked_by: Citizen | None = None) -> Appointment:
    """«Send bestilling» through the service, as the review page does."""
    outcome = appointment_request(
        person=citizen,
        booked_by=booked_by or citizen,
        timebook=slot.timebook,
        slot_id=slot.pk,
        reason="Influensavaksine",
        idempotency_key=uuid.uuid4(),
    )
    return outcome.appointment


def assigned(citizen: Citizen, slot: Slot, *, decided_at: dt.datetime, booked_by: Citizen | None = None) -> Appointment:
    """An appointment the clinic confirmed at ``decided_at`` (for reminders, whose window depends on it)."""
    Slot.objects.filter(pk=slot.pk).update(state=Slot.State.BOOKED)
    return AppointmentFactory(
        slot=slot,
        citizen=citizen,
        booked_by=booked_by or citizen,
        reason="Influensavaksine",
        status=Appointment.Status.ASSIGNED,
        created_at=decided_at,
        decided_at=decided_at,
    )


def rows(**filters: Any) -> list[Notification]:
    return list(Notification.objects.filter(**filters).order_by("channel", "pk"))


def rows_for(appointment: Appointment, **filters: Any) -> list[Notification]:
    return rows(dedupe_key__startswith=f"appointment:{appointment.pk}:", **filters)


def by_channel(notifications: list[Notification]) -> dict[str, Notification]:
    found = {n.channel: n for n in notifications}
    assert len(found) == len(notifications), f"more than one row per channel: {notifications}"
    return found


# --- What the channels really sent ---------------------------------------------------------------------


@dataclass
class ChannelLog:
    """Every call of a channel's ``send``: (channel, notification id)."""

    calls: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, notification_id: int | None = None, channel: str | None = None) -> int:
        return sum(
            1
            for ch, pk in self.calls
            if (notification_id is None or pk == notification_id) and (channel is None or ch == channel)
        )


class _Recording:
    def __init__(self, inner: Any, name: str, log: ChannelLog) -> None:
        self.inner, self.name, self.log = inner, name, log

    def send(self, notification: Notification) -> None:
        with self.log.lock:
            self.log.calls.append((self.name, notification.pk))
        self.inner.send(notification)


def record_channels(monkeypatch: pytest.MonkeyPatch) -> ChannelLog:
    """Wrap every channel for the rest of the test; the log says what each was asked to send."""
    log = ChannelLog()
    for name, channel in list(CHANNELS.items()):
        monkeypatch.setitem(CHANNELS, name, _Recording(channel, str(name), log))
    return log


@pytest.fixture
def channel_log(monkeypatch: pytest.MonkeyPatch) -> ChannelLog:
    return record_channels(monkeypatch)


# --- Races on PostgreSQL -------------------------------------------------------------------------------


def in_threads(function: Callable[[], Any], count: int = 2) -> list[Any]:
    """Run ``function`` in ``count`` threads released together; each result, or the exception it raised."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = function()
        except Exception as exc:  # the test inspects whatever happened
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results
