"""Who is told (sources 001 and 004): no portal notification without activity on the portal and consent;
the clinic's own SMS only when the clinic, the timebook and every time type have it on; the parent or
representative who acts for someone; never a parent about a hidden appointment."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from booking.services import (
    appointment_book_by_clinic,
    appointment_cancel,
    appointment_cancel_by_clinic,
    appointment_request,
    reminders_send,
)
from notifications.models import Notification
from resourcebooks.models import ClinicSettings
from tests.demo import Demo
from tests.factories import TimeTypeFactory
from tests.notifications.support import LOGIN, by_channel, rows, rows_for, text_moment
from tests.pages import log_in, text_of
from tests.world import ACTOR, PLACE, build_world

pytestmark = pytest.mark.django_db

demo = Demo()  # look-ups in the seeded demo (tests marked usefixtures("demo_db"))

SMS, EMAIL, PUSH = Notification.Channel.SMS, Notification.Channel.EMAIL, Notification.Channel.PUSH


def clinic_books(citizen, slot, **kwargs):
    return appointment_book_by_clinic(person=citizen, slot=slot, reason="Influensavaksine", **kwargs)


# --- Activity on the portal and consent ---------------------------------------------------------------


@pytest.mark.parametrize("off", ["active_on_portal", "digital_contact_consent"])
def test_a_citizen_not_on_the_portal_or_without_consent_gets_no_portal_notification(off):
    world = build_world()
    kari = world.resident(first_name="Kari", notify_email=True, email="kari@example.test", **{off: False})

    appointment = clinic_books(kari, world.future_slot())

    assert rows_for(appointment) == []


@pytest.mark.parametrize("off", ["active_on_portal", "digital_contact_consent"])
def test_with_the_clinics_own_notifications_on_it_sends_one_sms_itself(off):
    world = build_world()
    world.fallback()
    kari = world.resident(first_name="Kari", notify_email=True, email="kari@example.test", **{off: False})
    slot = world.future_slot()

    appointment = clinic_books(kari, slot)

    (sms,) = rows_for(appointment)
    assert sms.channel == SMS
    assert sms.address == "+4741234567"
    assert sms.recipient_key == f"citizen:{kari.pk}"
    assert sms.sender_name == "Helsenorge kommune"  # the clinic's message, not Helsenorge's
    assert sms.text.startswith("Kari, du har fått time til vaksine hos ")


def test_the_clinics_fallback_uses_e_mail_when_there_is_no_mobile_number():
    world = build_world()
    world.fallback()
    kari = world.resident(first_name="Kari", phone="", email="kari@example.test", active_on_portal=False)

    appointment = clinic_books(kari, world.future_slot())

    (email,) = rows_for(appointment)
    assert (email.channel, email.address) == (EMAIL, "kari@example.test")


@pytest.mark.parametrize(
    "levels",
    [
        {"clinic": False},
        {"timebook": False},
        {"time_types": False},
    ],
    ids=["clinic-off", "timebook-off", "time-type-off"],
)
def test_the_clinics_fallback_needs_the_clinic_the_timebook_and_the_time_type(levels):
    world = build_world()
    world.fallback(**levels)
    kari = world.resident(first_name="Kari", active_on_portal=False)

    appointment = clinic_books(kari, world.future_slot())

    assert rows_for(appointment) == []


def test_the_clinics_fallback_is_off_without_any_clinic_settings():
    world = build_world()
    world.fallback()
    ClinicSettings.objects.filter(organisation=world.organisation).delete()
    kari = world.resident(first_name="Kari", active_on_portal=False)

    appointment = clinic_books(kari, world.future_slot())

    assert rows_for(appointment) == []


def test_the_clinics_fallback_needs_every_time_type_of_the_timebook():
    world = build_world()
    world.fallback()
    world.timebook.time_types.add(TimeTypeFactory(organisation=world.organisation, fallback_notifications=False))
    kari = world.resident(first_name="Kari", active_on_portal=False)

    appointment = clinic_books(kari, world.future_slot())

    assert rows_for(appointment) == []


def test_a_citizen_on_the_portal_gets_helsenorges_notifications_and_not_the_clinics_as_well():
    world = build_world()
    world.fallback()
    kari = world.resident(first_name="Kari")

    appointment = clinic_books(kari, world.future_slot())

    notifications = by_channel(rows_for(appointment))
    assert set(notifications) == {SMS, PUSH}
    assert {n.sender_name for n in notifications.values()} == {"Helsenorge"}


# --- Acting for someone (demo) ---------------------------------------------------------------------------


@pytest.mark.usefixtures("demo_db")
def test_when_kurt_books_for_emma_kurt_is_told_and_not_emma(django_capture_on_commit_callbacks):
    kurt, emma = demo.kurt, demo.emma
    slot = demo.first_free_slot(demo.influensavaksine)

    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_request(
            person=emma,
            booked_by=kurt,
            timebook=demo.influensavaksine,
            slot_id=slot.pk,
            reason="Influensavaksine",
            idempotency_key=uuid.uuid4(),
        ).appointment

    notifications = by_channel(rows_for(appointment))
    assert set(notifications) == {SMS, PUSH}
    assert {n.recipient_key for n in notifications.values()} == {f"citizen:{kurt.pk}"}
    assert notifications[SMS].address == kurt.phone
    assert notifications[SMS].text == (
        f"Kurt Håkon, Emma har fått time til vaksine hos {ACTOR} {text_moment(slot.start)}. "
        f"Oppmøtested: {PLACE}. {LOGIN}"
    )
    assert {n.state for n in notifications.values()} == {Notification.State.SENT}
    assert not Notification.objects.filter(recipient_key=f"citizen:{emma.pk}").exists()


@pytest.mark.usefixtures("demo_db")
def test_kurt_sees_the_sms_about_emma_on_his_phone(client, django_capture_on_commit_callbacks):
    kurt, emma = demo.kurt, demo.emma
    slot = demo.first_free_slot(demo.influensavaksine)
    with django_capture_on_commit_callbacks(execute=True):
        clinic_books(emma, slot)

    text = text_of(log_in(client, kurt).get("/telefon/"))

    assert f"Kurt Håkon, Emma har fått time til vaksine hos {ACTOR} {text_moment(slot.start)}." in text


@pytest.mark.usefixtures("demo_db")
def test_the_clinic_setting_up_emma_tells_her_parent():
    kurt, emma = demo.kurt, demo.emma

    appointment = clinic_books(emma, demo.first_free_slot(demo.influensavaksine))

    assert {n.recipient_key for n in rows_for(appointment)} == {f"citizen:{kurt.pk}"}


@pytest.mark.usefixtures("demo_db")
def test_the_cancellation_receipt_of_emmas_appointment_goes_to_kurt():
    kurt, emma = demo.kurt, demo.emma
    slot = demo.first_free_slot(demo.influensavaksine, days_ahead=3)  # before the cancellation deadline
    appointment = appointment_request(
        person=emma,
        booked_by=kurt,
        timebook=demo.influensavaksine,
        slot_id=slot.pk,
        reason="Influensavaksine",
        idempotency_key=uuid.uuid4(),
    ).appointment

    appointment_cancel(appointment=appointment, by=kurt)

    receipts = rows_for(appointment, event=Notification.Event.CANCELLATION_RECEIPT)
    assert receipts
    assert {n.recipient_key for n in receipts} == {f"citizen:{kurt.pk}"}
    assert all(n.text.startswith("Kurt Håkon, Emmas time til ") for n in receipts)


@pytest.mark.usefixtures("demo_db")
def test_olas_hidden_appointment_is_never_told_to_kurt(client, django_capture_on_commit_callbacks):
    kurt, ola = demo.kurt, demo.ola
    hidden = demo.hidden_appointment()
    slot_start = hidden.slot.start

    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(now=slot_start - dt.timedelta(hours=30))
        appointment_cancel_by_clinic(appointment=hidden)

    told = rows_for(hidden)
    assert {n.event for n in told} == {
        Notification.Event.CONFIRMED,
        Notification.Event.REMINDER,
        Notification.Event.CANCELLED,
    }
    assert {n.recipient_key for n in told} == {f"citizen:{ola.pk}"}  # the app; Ola has no mobile number
    assert not rows(recipient_key=f"citizen:{kurt.pk}")
    log_in(client, kurt)
    assert "Ingen SMS ennå." in text_of(client.get("/telefon/"))
    assert "Ingen varsler ennå." in text_of(client.get("/app/"))
