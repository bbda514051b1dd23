"""The texts of the other events, in Norwegian and in the confirmation's pattern (source 001): moved, cancelled
by the clinic (Avlyst), the cancellation receipt (Avbestilt) and the 48–24 h reminder."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from booking.notify import appointment_notify
from booking.services import appointment_cancel, appointment_cancel_by_clinic, reminders_send
from notifications.models import Notification
from tests.notifications.support import LOGIN, assigned, book, by_channel, rows_for, text_moment
from tests.world import ACTOR, PLACE

pytestmark = pytest.mark.django_db

EVENT = Notification.Event


@pytest.fixture
def kurt(world):
    return world.resident()


def assert_reads_well(text: str) -> None:
    assert text.startswith("Kurt Håkon, ")
    assert text.endswith(LOGIN)
    assert "None" not in text
    assert "  " not in text
    assert ".." not in text


def test_cancelled_by_the_clinic_says_avlyst(world, kurt):
    slot = world.future_slot()
    appointment = book(kurt, slot)

    assert appointment_cancel_by_clinic(appointment=appointment) is True

    notifications = by_channel(rows_for(appointment, event=EVENT.CANCELLED))
    assert set(notifications) == {"sms", "push"}
    for n in notifications.values():
        assert n.text == f"Kurt Håkon, timen din til vaksine hos {ACTOR} {text_moment(slot.start)} er avlyst. {LOGIN}"
        assert n.subject == "Timeavtalen din er avlyst"
        assert_reads_well(n.text)


def test_the_cancellation_receipt_says_avbestilt(world, kurt):
    slot = world.future_slot(days=5)
    appointment = book(kurt, slot)

    appointment_cancel(appointment=appointment, by=kurt)

    notifications = by_channel(rows_for(appointment, event=EVENT.CANCELLATION_RECEIPT))
    assert set(notifications) == {"sms", "push"}
    for n in notifications.values():
        assert (
            n.text == f"Kurt Håkon, timen din til vaksine hos {ACTOR} {text_moment(slot.start)} er avbestilt. {LOGIN}"
        )
        assert n.subject == "Kvittering for avbestilt time"
        assert_reads_well(n.text)


def test_the_reminder_says_when_and_where(world, kurt):
    now = timezone.now()
    slot = world.slot(now + dt.timedelta(hours=30))
    appointment = assigned(kurt, slot, decided_at=now - dt.timedelta(days=5))

    reminders_send(now=now)

    notifications = by_channel(rows_for(appointment, event=EVENT.REMINDER))
    assert set(notifications) == {"sms", "push"}
    for n in notifications.values():
        assert n.text == (
            f"Kurt Håkon, påminnelse: du har time til vaksine hos {ACTOR} {text_moment(slot.start)}. "
            f"Oppmøtested: {PLACE}. {LOGIN}"
        )
        assert n.subject == "Påminnelse om time"
        assert_reads_well(n.text)


def test_a_moved_appointment_gives_the_new_time_and_place(world, kurt):
    new_slot = world.future_slot(days=6, hour=9, minute=30)
    appointment = assigned(kurt, new_slot, decided_at=timezone.now())

    assert appointment_notify(appointment, EVENT.CHANGED) == 2

    for n in rows_for(appointment, event=EVENT.CHANGED):
        assert n.text == (
            f"Kurt Håkon, timen din til vaksine hos {ACTOR} er flyttet til {text_moment(new_slot.start)}. "
            f"Oppmøtested: {PLACE}. {LOGIN}"
        )
        assert n.subject == "Timeavtalen din er endret"
        assert_reads_well(n.text)


def test_each_event_of_one_appointment_is_its_own_message(world, kurt):
    appointment = book(kurt, world.future_slot(days=5))
    appointment_notify(appointment, EVENT.CONFIRMED)

    appointment_cancel(appointment=appointment, by=kurt)

    events = sorted({n.event for n in rows_for(appointment)})
    assert events == sorted([EVENT.CONFIRMED, EVENT.CANCELLATION_RECEIPT])
    assert len(rows_for(appointment)) == 4


def test_the_date_and_time_are_oslo_time_in_summer_and_in_winter(world, kurt):
    summer = world.slot(dt.datetime(2027, 6, 15, 6, 0, tzinfo=dt.UTC))  # 08:00 CEST
    winter = world.slot(dt.datetime(2027, 1, 15, 7, 0, tzinfo=dt.UTC))  # 08:00 CET
    texts = {}
    for name, slot in (("summer", summer), ("winter", winter)):
        appointment = assigned(kurt, slot, decided_at=timezone.now())
        appointment_notify(appointment, EVENT.CONFIRMED)
        (sms,) = rows_for(appointment, channel="sms")
        texts[name] = sms.text

    assert f"hos {ACTOR} 15.06.2027, kl. 08:00. Oppmøtested" in texts["summer"]
    assert f"hos {ACTOR} 15.01.2027, kl. 08:00. Oppmøtested" in texts["winter"]
