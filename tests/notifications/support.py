"""Helpers shared by the notification tests (``tests/notifications`` and ``tests/booking/test_notify_*``,
``test_reminders``, ``test_campaigns``). Holds no tests; import the fixtures where they are used.

- ``make_clinic()`` is Helsenorge kommune's «Influensavaksine» of source 000 made with factories (same names,
  same attendance place), so a confirmation's text can be compared with the source's word for word.
- ``channel_log`` (or ``record_channels(monkeypatch)``) wraps every channel in ``CHANNELS`` and records each
  call, so a test can count what was really sent (not just what the rows say).
- ``demo_db`` loads ``seed_demo`` once per module inside a transaction rolled back at the end of the module;
  mark a test ``@pytest.mark.usefixtures("demo_db")`` and look people up through ``Demo()``.
- ``in_threads`` runs a function in several threads released at the same moment (PostgreSQL races).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import factory
import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from addressregistry.models import Organisation, Service
from booking.models import Appointment
from booking.services import appointment_request
from citizens.models import Citizen
from notifications.channels import CHANNELS
from notifications.models import Notification
from resourcebooks.models import ClinicSettings, Location, Slot, Timebook, TimeType
from tests.addressregistry.factories import RESOURCE, OrganisationFactory, ServiceFactory
from tests.booking.factories import CitizenFactory
from tests.conftest import demo_db as conftest_demo_db
from tests.resourcebooks.factories import LocationFactory, SlotFactory, TimebookFactory, TimeTypeFactory

OSLO = ZoneInfo("Europe/Oslo")
ACTOR = "Influensavaksine, Smittevern (Feberpoliklinikk Test), Helsenorge kommune"
PLACE = "Feberpoliklinikk inngang A"
LOGIN = "Logg inn på Helsenorge for å se mer."
# Tests log in with force_login; hashing a real password for every user would cost a third of a second each.
# (Force: factory_boy would otherwise hash an overriding value too.)
UNUSABLE_PASSWORD = factory.Transformer.Force("!")


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


# --- A clinic of the sources, made with factories ------------------------------------------------------


@dataclass
class Clinic:
    organisation: Organisation
    service: Service
    timebook: Timebook
    location: Location
    time_type: TimeType

    def slot(self, start: dt.datetime, minutes: int = 5) -> Slot:
        return SlotFactory(
            timebook=self.timebook, location=self.location, start=start, end=start + dt.timedelta(minutes=minutes)
        )

    def future_slot(self, days: int = 3, hour: int = 8, minute: int = 0) -> Slot:
        day = timezone.localdate() + dt.timedelta(days=days)
        return self.slot(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=OSLO))

    def resident(self, **fields: Any) -> Citizen:
        """A citizen of the municipality with a Norwegian mobile, SMS and push on, e-mail off (the defaults)."""
        fields.setdefault("first_name", "Kurt Håkon")
        fields.setdefault("phone", "+4741234567")
        fields.setdefault("user__password", UNUSABLE_PASSWORD)
        return CitizenFactory(municipality=self.organisation, **fields)

    def fallback(self, *, clinic: bool = True, timebook: bool = True, time_types: bool = True) -> None:
        """Switch the clinic's own notifications (source 004) on or off at each of the three levels."""
        ClinicSettings.objects.update_or_create(
            organisation=self.organisation, defaults={"fallback_notifications": clinic}
        )
        self.timebook.fallback_notifications = timebook
        self.timebook.save(update_fields=["fallback_notifications"])
        self.timebook.time_types.update(fallback_notifications=time_types)


def make_clinic(
    *, confirmation: str = Timebook.Confirmation.AUTOMATIC, organisation_name: str = "Helsenorge kommune"
) -> Clinic:
    organisation = OrganisationFactory(name=organisation_name)
    service = ServiceFactory(organisation=organisation, name="Smittevern (Feberpoliklinikk Test)", processes=RESOURCE)
    time_type = TimeTypeFactory(organisation=organisation, name="Influensavaksine")
    timebook = TimebookFactory(service=service, name="Influensavaksine", type="vaksine", confirmation=confirmation)
    timebook.time_types.add(time_type)
    location = LocationFactory(organisation=organisation, name="Feberpoliklinikken", attendance_place=PLACE)
    return Clinic(organisation, service, timebook, location, time_type)


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
    return Appointment.objects.create(
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


# --- The portal ----------------------------------------------------------------------------------------


def log_in(client: Client, citizen: Citizen) -> Client:
    """As the test login does: the user logged in, and the session marked as a citizen's."""
    client.force_login(citizen.user)
    session = client.session
    session["citizen"] = citizen.pk
    session["last_seen"] = int(time.time())
    session.save()
    return client


def page_text(response: Any) -> str:
    """The page's text without tags, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- The demo of the sources, once per module ------------------------------------------------------------


# Defined once for all tests in tests/conftest.py; re-exported so test modules can take it by assignment.
demo_db = conftest_demo_db


class Demo:
    def citizen(self, first_name: str) -> Citizen:
        return Citizen.objects.select_related("user").get(first_name=first_name)

    @property
    def kurt(self) -> Citizen:
        return self.citizen("Kurt Håkon")

    @property
    def emma(self) -> Citizen:
        return self.citizen("Emma")

    @property
    def ola(self) -> Citizen:
        return self.citizen("Ola")

    @property
    def viktig(self) -> Citizen:
        return self.citizen("Viktig")

    @property
    def influensavaksine(self) -> Timebook:
        return Timebook.objects.select_related("service__organisation").get(name="Influensavaksine")

    def first_free_slot(self, timebook: Timebook, days_ahead: int = 0) -> Slot:
        after = timezone.now() + dt.timedelta(days=days_ahead)
        return (
            Slot.objects.filter(timebook=timebook, state=Slot.State.FREE, start__gt=after)
            .select_related("location")
            .order_by("start")
            .first()
        )

    def hidden_appointment(self) -> Appointment:
        return Appointment.objects.select_related("slot").get(citizen__first_name="Ola", hidden=True)
