"""The 48–24 h reminder (source 004): one per channel for an assigned appointment that enters the window,
never twice (not even from two runs at the same moment), none for one confirmed inside the window, and the
window counted in absolute hours across a DST change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from booking.models import Appointment
from booking.services import REMINDER_WINDOW, appointment_cancel_by_clinic, reminders_send
from booking.tasks import reminders_task
from notifications.models import Notification
from tests.notifications.support import OSLO, assigned, in_threads, oslo, rows_for
from tests.world import build_world

pytestmark = pytest.mark.django_db

REMINDER = Notification.Event.REMINDER
LONG_AGO = dt.timedelta(days=5)


@pytest.fixture
def kurt(world):
    return world.resident(notify_email=True, email="kurt@example.test")


def reminders(appointment: Appointment) -> list[Notification]:
    return rows_for(appointment, event=REMINDER)


def ahead(world, kurt, now: dt.datetime, hours: float, *, confirmed: dt.datetime | None = None) -> Appointment:
    slot = world.slot(now + dt.timedelta(hours=hours))
    return assigned(kurt, slot, decided_at=confirmed or now - LONG_AGO)


def test_the_window_is_48_to_24_hours():
    assert (dt.timedelta(hours=24), dt.timedelta(hours=48)) == REMINDER_WINDOW


def test_an_appointment_in_the_window_gets_one_reminder_per_channel(world, kurt):
    now = timezone.now()
    appointment = ahead(world, kurt, now, 30)

    assert reminders_send(now=now) == 1

    assert sorted(n.channel for n in reminders(appointment)) == ["email", "push", "sms"]
    assert {n.recipient_key for n in reminders(appointment)} == {f"citizen:{kurt.pk}"}
    assert Appointment.objects.get(pk=appointment.pk).reminder_claimed_at == now


@pytest.mark.parametrize("hours", [24 + 1 / 60, 30, 47 + 59 / 60], ids=["24h01", "30h", "47h59"])
def test_inside_the_window(world, kurt, hours):
    now = timezone.now()
    appointment = ahead(world, kurt, now, hours)

    reminders_send(now=now)

    assert len(reminders(appointment)) == 3


@pytest.mark.parametrize(
    "hours", [49, 48 + 1 / 60, 24 - 1 / 60, 23, 1], ids=["49h", "48h01", "23h59", "23h", "in-an-hour"]
)
def test_outside_the_window(world, kurt, hours):
    now = timezone.now()
    appointment = ahead(world, kurt, now, hours)

    assert reminders_send(now=now) == 0

    assert reminders(appointment) == []


def test_an_appointment_49_hours_ahead_gets_its_reminder_when_it_enters_the_window(world, kurt):
    now = timezone.now()
    appointment = ahead(world, kurt, now, 49)
    reminders_send(now=now)

    reminders_send(now=now + dt.timedelta(hours=1, minutes=5))

    assert len(reminders(appointment)) == 3


def test_an_appointment_confirmed_inside_the_window_gets_no_reminder(world, kurt):
    """Its confirmation came within the last day or two: a reminder on top would be noise."""
    now = timezone.now()
    appointment = ahead(world, kurt, now, 40, confirmed=now - dt.timedelta(hours=2))

    assert reminders_send(now=now) == 0
    assert reminders_send(now=now + dt.timedelta(hours=10)) == 0

    assert reminders(appointment) == []


def test_an_appointment_confirmed_just_before_entering_the_window_gets_one(world, kurt):
    now = timezone.now()
    appointment = ahead(world, kurt, now, 40, confirmed=now - dt.timedelta(hours=9))

    reminders_send(now=now)

    assert len(reminders(appointment)) == 3


def test_running_it_twice_writes_nothing_more(world, kurt):
    now = timezone.now()
    appointment = ahead(world, kurt, now, 30)
    reminders_send(now=now)
    first = [n.pk for n in reminders(appointment)]

    assert reminders_send(now=now) == 0
    assert reminders_send(now=now + dt.timedelta(minutes=5)) == 0

    assert [n.pk for n in reminders(appointment)] == first


@pytest.mark.parametrize("status", ["requested", "cancelled_by_citizen", "cancelled_by_clinic", "rejected"])
def test_an_appointment_that_is_not_assigned_gets_no_reminder(world, kurt, status):
    now = timezone.now()
    appointment = ahead(world, kurt, now, 30)
    Appointment.objects.filter(pk=appointment.pk).update(status=status)

    assert reminders_send(now=now) == 0

    assert reminders(appointment) == []


def test_an_appointment_cancelled_by_the_clinic_after_its_reminder_is_told_it_is_cancelled(world, kurt):
    now = timezone.now()
    appointment = ahead(world, kurt, now, 30)
    reminders_send(now=now)

    appointment_cancel_by_clinic(appointment=appointment)
    reminders_send(now=now + dt.timedelta(minutes=5))

    events = sorted(n.event for n in rows_for(appointment))
    assert events == [Notification.Event.CANCELLED] * 3 + [REMINDER] * 3


def test_the_reminders_are_delivered_after_commit(world, kurt, django_capture_on_commit_callbacks):
    now = timezone.now()
    appointment = ahead(world, kurt, now, 30)

    with django_capture_on_commit_callbacks(execute=True):
        reminders_task.apply()

    assert {n.state for n in reminders(appointment)} == {Notification.State.SENT}


def test_the_reminder_task_runs_every_few_minutes_from_beat():
    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "booking.tasks.reminders_task"]
    assert float(entry["schedule"]) <= 15 * 60


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_write_one_reminder_per_channel():
    world = build_world()
    kurt = world.resident(notify_email=True, email="kurt@example.test")
    now = timezone.now()
    appointments = [ahead(world, kurt, now, 25 + i) for i in range(6)]

    results = in_threads(lambda: reminders_send(now=now), count=3)

    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == len(appointments)
    for appointment in appointments:
        assert sorted(n.channel for n in reminders(appointment)) == ["email", "push", "sms"]


# --- Across a DST change: the window is absolute time ----------------------------------------------------

# ``now`` is in UTC, as timezone.now() gives it: arithmetic on an Oslo-aware datetime would be wall-clock time.
SPRING = oslo(2027, 3, 27, 9, 0).astimezone(dt.UTC)  # clocks go from 02:00 to 03:00 on Sunday 28 March 2027
AUTUMN = oslo(2027, 10, 30, 9, 0).astimezone(dt.UTC)  # clocks go from 03:00 back to 02:00 on Sunday 31 October


@pytest.mark.parametrize(
    ("now", "start", "inside"),
    [
        # On the wall clock 48 h 30 min ahead, in absolute time 47 h 30 min: inside.
        (SPRING, oslo(2027, 3, 29, 9, 30), True),
        # On the wall clock 49 h 30 min, in absolute time 48 h 30 min: outside.
        (SPRING, oslo(2027, 3, 29, 10, 30), False),
        # On the wall clock 24 h 30 min, in absolute time 23 h 30 min: outside.
        (SPRING, oslo(2027, 3, 28, 9, 30), False),
        # On the wall clock 25 h 30 min, in absolute time 24 h 30 min: inside.
        (SPRING, oslo(2027, 3, 28, 10, 30), True),
        # On the wall clock 47 h 30 min, in absolute time 48 h 30 min: outside.
        (AUTUMN, oslo(2027, 11, 1, 8, 30), False),
        # On the wall clock 23 h 30 min, in absolute time 24 h 30 min: inside.
        (AUTUMN, oslo(2027, 10, 31, 8, 30), True),
    ],
    ids=["spring-47h30", "spring-48h30", "spring-23h30", "spring-24h30", "autumn-48h30", "autumn-24h30"],
)
def test_across_a_dst_change_the_window_counts_absolute_hours(world, kurt, now, start, inside):
    hours = (start.astimezone(dt.UTC) - now) / dt.timedelta(hours=1)
    wall_hours = (start.replace(tzinfo=None) - now.astimezone(OSLO).replace(tzinfo=None)) / dt.timedelta(hours=1)
    assert abs(hours - wall_hours) == 1  # the case really straddles the change
    appointment = assigned(kurt, world.slot(start), decided_at=now - LONG_AGO)

    reminders_send(now=now)

    assert len(reminders(appointment)) == (3 if inside else 0), f"{hours} h ahead"
