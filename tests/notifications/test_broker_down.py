"""A broker that is down when a change commits delays a message but never loses it: the change succeeds, its
outbox rows wait as pending, and once the broker is back the periodic sweep delivers them, once each.

The broker is a real Redis URL on a port where nothing answers, with connection retries off so that each
failed publish takes milliseconds instead of seconds.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from booking.models import Appointment
from booking.services import appointment_confirm
from helsenorge_sim.celery import app
from notifications.models import Notification
from notifications.tasks import notifications_sweep_task
from resourcebooks.models import Slot, Timebook
from tests.factories import AppointmentFactory
from tests.notifications.support import book, by_channel, rows_for, source_confirmation
from tests.pages import log_in
from tests.world import build_world

UNREACHABLE = "redis://127.0.0.1:1/0"
FAIL_FAST = {
    "broker_url": UNREACHABLE,
    "task_always_eager": False,
    "broker_connection_timeout": 0.5,
    "broker_connection_retry": False,
    "broker_connection_max_retries": 0,
    "task_publish_retry": False,
    "broker_transport_options": {"max_retries": 0, "interval_start": 0, "socket_connect_timeout": 0.5},
}


class Broker:
    """Takes the project's Celery app off its broker and puts it back (with the producer pools it had)."""

    def __init__(self) -> None:
        self._saved: tuple[dict[str, Any], tuple[Any, Any]] | None = None

    def down(self) -> None:
        self._saved = ({key: app.conf[key] for key in FAIL_FAST}, (app._pool, app.amqp._producer_pool))
        app.conf.update(FAIL_FAST)
        app._pool = None
        app.amqp._producer_pool = None

    def back(self) -> None:
        if self._saved is None:
            return
        conf, (pool, producer_pool) = self._saved
        app.conf.update(conf)
        app._pool, app.amqp._producer_pool = pool, producer_pool
        self._saved = None


@pytest.fixture
def broker():
    broker = Broker()
    yield broker
    broker.back()


def run_periodic_tasks() -> None:
    """What beat does every few minutes once the broker is back: every task of the schedule, in-process."""
    app.loader.import_default_modules()  # the apps' tasks modules, as a worker imports them at start
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        app.tasks[entry["task"]].apply()


def test_the_broker_really_is_unreachable_and_fails_fast(broker):
    broker.down()
    started = time.monotonic()

    with pytest.raises(OperationalError, match=r"127\.0\.0\.1:1\b"):
        notifications_sweep_task.delay()

    assert time.monotonic() - started < 2


@pytest.mark.django_db
def test_a_confirmation_written_while_the_broker_is_down_waits_and_the_sweep_delivers_it(
    broker, channel_log, django_capture_on_commit_callbacks
):
    world = build_world(confirmation=Timebook.Confirmation.MANUAL)
    kurt = world.resident()
    slot = world.future_slot()
    appointment = book(kurt, slot)

    broker.down()
    with django_capture_on_commit_callbacks(execute=True):
        assert appointment_confirm(appointment_id=appointment.pk) is True  # the staff's confirmation succeeds

    waiting = by_channel(rows_for(appointment))
    assert set(waiting) == {"sms", "push"}
    assert {(n.state, n.attempts) for n in waiting.values()} == {(Notification.State.PENDING, 0)}
    assert channel_log.calls == []

    broker.back()
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_sweep_task.delay().get() == 2
        notifications_sweep_task.delay()  # a second sweep finds nothing left

    delivered = by_channel(rows_for(appointment))
    assert {n.state for n in delivered.values()} == {Notification.State.SENT}
    assert delivered["sms"].text == source_confirmation("Kurt Håkon", slot.start)
    assert sorted(channel_log.calls) == sorted((n.channel, n.pk) for n in delivered.values())


@pytest.mark.django_db(transaction=True)
def test_a_cancellation_in_the_portal_while_the_broker_is_down_succeeds_and_its_receipt_is_not_lost(
    broker, channel_log
):
    world = build_world(confirmation=Timebook.Confirmation.MANUAL)
    kurt = world.resident()
    appointment = book(kurt, world.future_slot(days=5))
    client = log_in(Client(raise_request_exception=False), kurt)

    broker.down()
    started = time.monotonic()
    response = client.post(reverse("booking:cancel", args=[appointment.pk]))
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.CANCELLED_BY_CITIZEN
    receipts = rows_for(appointment, event=Notification.Event.CANCELLATION_RECEIPT)
    assert {(n.channel, n.state) for n in receipts} == {("sms", "pending"), ("push", "pending")}
    assert elapsed < 5

    broker.back()
    run_periodic_tasks()
    run_periodic_tasks()

    receipts = rows_for(appointment, event=Notification.Event.CANCELLATION_RECEIPT)
    assert {n.state for n in receipts} == {Notification.State.SENT}
    assert sorted(channel_log.calls) == sorted((n.channel, n.pk) for n in receipts)


@pytest.mark.django_db(transaction=True)
def test_a_booking_made_while_the_broker_is_down_succeeds_and_its_confirmation_arrives_once_it_is_back(
    broker, channel_log
):
    """The timebook confirms automatically, which is itself a task queued on commit: if publishing it fails,
    the booking must still succeed, and the confirmation (and its SMS) must follow once the broker is back."""
    world = build_world(confirmation=Timebook.Confirmation.AUTOMATIC)
    kurt = world.resident()
    slot = world.future_slot()
    client = log_in(Client(raise_request_exception=False), kurt)
    url = reverse("booking:review", args=[world.service.her_id, world.timebook.pk, slot.pk])
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(url).content.decode()).group(1)

    broker.down()
    started = time.monotonic()
    response = client.post(url, {"reason": "Influensavaksine", "idempotency_key": key})
    elapsed = time.monotonic() - started

    appointment = Appointment.objects.get(idempotency_key=key)  # committed
    assert response.status_code == 302, (
        f"«Send bestilling» failed with {response.status_code} while the broker was down"
    )
    assert response.url == reverse("booking:sent", args=[appointment.pk])
    assert elapsed < 5

    broker.back()
    run_periodic_tasks()
    run_periodic_tasks()

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ASSIGNED
    delivered = by_channel(rows_for(appointment))
    assert set(delivered) == {"sms", "push"}
    assert {n.state for n in delivered.values()} == {Notification.State.SENT}
    assert delivered["sms"].text == source_confirmation("Kurt Håkon", slot.start)
    assert len(channel_log.calls) == 2


@pytest.mark.django_db
def test_catching_up_after_the_broker_was_down_does_not_confirm_a_time_that_has_passed(
    django_capture_on_commit_callbacks,
):
    """A reservation whose confirmation task was lost and whose time is now over must not be «confirmed»
    afterwards: «du har fått time … » about a time in the past is wrong."""
    world = build_world(confirmation=Timebook.Confirmation.AUTOMATIC)
    kurt = world.resident()
    slot = world.slot(timezone.now() - dt.timedelta(hours=1))
    Slot.objects.filter(pk=slot.pk).update(state=Slot.State.HELD)
    appointment = AppointmentFactory(
        slot=slot,
        citizen=kurt,
        booked_by=kurt,
        reason="Influensavaksine",
        created_at=timezone.now() - dt.timedelta(days=1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        run_periodic_tasks()

    assert Appointment.objects.get(pk=appointment.pk).status != Appointment.Status.ASSIGNED
    assert rows_for(appointment, event=Notification.Event.CONFIRMED) == []
