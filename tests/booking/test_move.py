"""Staff move an appointment to another free slot (source 004, «Endring i time / flyttet time»)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from booking.models import Appointment
from booking.selectors import timeavtaler
from booking.services import BookingError, appointment_book_by_clinic, appointment_move
from inbox.models import InboxMessage
from notifications.models import Notification
from resourcebooks.models import Slot
from tests.pages import log_in, text_of
from tests.world import build_world

pytestmark = pytest.mark.django_db


def state(slot: Slot) -> str:
    return Slot.objects.get(pk=slot.pk).state


def test_a_moved_appointment_is_replaced_by_a_new_one_and_the_patient_is_told(world):
    old = appointment_book_by_clinic(person=world.citizen, slot=world.slots[0], reason="Vaksine")
    new = appointment_move(appointment=old, to_slot=world.slots[3], note="Legen er syk den dagen.")

    old.refresh_from_db()
    assert old.status == Appointment.Status.MOVED
    assert (new.status, new.replaces_id, new.reason, new.citizen_id) == (
        Appointment.Status.ASSIGNED,
        old.pk,
        "Vaksine",
        world.citizen.pk,
    )
    assert (state(world.slots[0]), state(world.slots[3])) == (Slot.State.FREE, Slot.State.BOOKED)
    told = InboxMessage.objects.get(kind=InboxMessage.Kind.MOVED)
    assert told.subject == "Timeavtalen din er endret"
    assert "er flyttet til" in told.body and told.body.endswith("Legen er syk den dagen.")
    sms = Notification.objects.get(event=Notification.Event.CHANGED, channel=Notification.Channel.SMS)
    assert "er flyttet til" in sms.text


def test_the_old_appointment_leaves_timeavtaler_and_the_new_one_stays(world):
    old = appointment_book_by_clinic(person=world.citizen, slot=world.slots[0], reason="Vaksine")
    new = appointment_move(appointment=old, to_slot=world.slots[1])

    lists = timeavtaler(world.citizen, world.citizen)
    assert [a.pk for a in lists.upcoming] == [new.pk]
    assert old.pk not in [a.pk for a in lists.cancelled + lists.past]


def test_a_move_to_a_taken_slot_or_a_second_move_changes_nothing(world):
    old = appointment_book_by_clinic(person=world.citizen, slot=world.slots[0], reason="Vaksine")
    other = appointment_book_by_clinic(person=world.resident(), slot=world.slots[1], reason="Vaksine")
    with pytest.raises(BookingError, match="ikke ledig"):
        appointment_move(appointment=old, to_slot=world.slots[1])
    appointment_move(appointment=old, to_slot=world.slots[2])
    with pytest.raises(BookingError, match="ikke lenger aktiv"):
        appointment_move(appointment=old, to_slot=world.slots[3])
    assert state(world.slots[3]) == Slot.State.FREE  # the refused move gave back nothing it took
    assert Appointment.objects.get(pk=other.pk).status == Appointment.Status.ASSIGNED
    assert Appointment.objects.filter(status=Appointment.Status.ASSIGNED).count() == 2


def test_an_appointment_moves_only_within_its_timebook(world):
    old = appointment_book_by_clinic(person=world.citizen, slot=world.slots[0], reason="Vaksine")
    elsewhere = build_world().slots[0]
    with pytest.raises(BookingError, match="samme timebok"):
        appointment_move(appointment=old, to_slot=elsewhere)
    assert state(elsewhere) == Slot.State.FREE
    assert state(world.slots[0]) == Slot.State.BOOKED


def _event(client: Client, appointment: Appointment):  # type: ignore[no-untyped-def]
    response = client.get(reverse("booking:ics", args=[appointment.pk]))
    assert response.status_code == 200
    return Calendar.from_ical(response.content).walk("VEVENT")[0]


def test_a_moved_appointment_offers_no_calendar_file_and_its_file_cancels_the_old_time(client, world):
    """Issue 21: the page listed the statuses by hand, so a moved appointment still offered «Legg i egen
    kalender», and its file put the old time in the calendar as a time still to come."""
    old = appointment_book_by_clinic(person=world.citizen, slot=world.slots[0], reason="Vaksine")
    log_in(client, world.citizen)
    added = _event(client, old)
    new = appointment_move(appointment=old, to_slot=world.slots[3])

    assert "Legg i egen kalender" not in text_of(client.get(old.get_absolute_url()))
    cancelled = _event(client, old)
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == str(added["UID"])
    assert cancelled["SEQUENCE"] > added["SEQUENCE"]  # a calendar takes it as an update of the entry it has

    assert "Legg i egen kalender" in text_of(client.get(new.get_absolute_url()))
    moved_to = _event(client, new)
    assert str(moved_to["STATUS"]) == "CONFIRMED"
    assert moved_to.decoded("DTSTART") == world.slots[3].start
    assert str(moved_to["UID"]) != str(added["UID"])


def test_a_rejected_appointments_calendar_file_says_cancelled(client, world):
    appointment = appointment_book_by_clinic(person=world.citizen, slot=world.slots[0], reason="Vaksine")
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.REJECTED)
    log_in(client, world.citizen)
    assert "Legg i egen kalender" not in text_of(client.get(appointment.get_absolute_url()))
    assert str(_event(client, appointment)["STATUS"]) == "CANCELLED"
