"""The confirmation (source 001 «Varsling»): its text word for word, written with the assignment in one
transaction, delivered after commit, and shown on the citizen's phone (/telefon/) and in the app (/app/)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from booking.models import Appointment
from booking.services import appointment_book_by_clinic, appointment_confirm
from inbox.models import InboxMessage
from notifications.models import Notification
from resourcebooks.models import Timebook
from tests.demo import Demo
from tests.factories import NO_PASSWORD, CitizenFactory
from tests.notifications.support import (
    book,
    by_channel,
    record_channels,
    rows_for,
    source_confirmation,
    text_moment,
)
from tests.pages import log_in, text_of
from tests.world import build_world

pytestmark = pytest.mark.django_db

demo = Demo()  # look-ups in the seeded demo (tests marked usefixtures("demo_db"))

SMS, EMAIL, PUSH = Notification.Channel.SMS, Notification.Channel.EMAIL, Notification.Channel.PUSH
PHONE = reverse("booking:phone")
APP = reverse("booking:app_feed")


def send_booking_in_portal(client, slot) -> Appointment:
    """Open «Se gjennom før du sender» and press «Send bestilling», as the citizen does."""
    url = reverse("booking:review", args=[slot.timebook.service.her_id, slot.timebook_id, slot.pk])
    page = client.get(url)
    assert page.status_code == 200, text_of(page)[:300]
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(url, {"reason": "Influensavaksine", "idempotency_key": key})
    assert response.status_code == 302, text_of(response)[:300]
    return Appointment.objects.get(idempotency_key=key)


# --- On the demo of the sources ----------------------------------------------------------------------


@pytest.mark.usefixtures("demo_db")
def test_kurts_confirmation_is_the_sources_text_word_for_word(client, django_capture_on_commit_callbacks):
    kurt = demo.kurt
    slot = demo.first_free_slot(demo.influensavaksine)
    log_in(client, kurt)

    with django_capture_on_commit_callbacks(execute=True):
        appointment = send_booking_in_portal(client, slot)

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ASSIGNED  # the timebook confirms automatically
    expected = (
        "Kurt Håkon, du har fått time til vaksine hos Influensavaksine, Smittevern (Feberpoliklinikk Test), "
        f"Helsenorge kommune {text_moment(slot.start)}. Oppmøtested: Feberpoliklinikk inngang A. "
        "Logg inn på Helsenorge for å se mer."
    )
    sent = by_channel(rows_for(appointment))
    assert set(sent) == {SMS, PUSH}  # Kurt has not chosen e-mail
    for notification in sent.values():
        assert notification.text == expected
        assert notification.event == Notification.Event.CONFIRMED
        assert notification.recipient_key == f"citizen:{kurt.pk}"
        assert notification.subject == "Du har fått en ny timeavtale"
        assert notification.state == Notification.State.SENT
        assert notification.owner_her_id == demo.influensavaksine.service.organisation.her_id
    assert sent[SMS].address == kurt.phone


@pytest.mark.usefixtures("demo_db")
def test_kurts_confirmation_is_on_his_phone_and_in_his_app(client, django_capture_on_commit_callbacks):
    slot = demo.first_free_slot(demo.influensavaksine)
    log_in(client, demo.kurt)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = send_booking_in_portal(client, slot)
    text = rows_for(appointment, channel=SMS)[0].text

    phone = client.get(PHONE)
    app = client.get(APP)

    assert phone.status_code == 200
    assert text in text_of(phone)
    assert app.status_code == 200
    assert text in text_of(app)


@pytest.mark.usefixtures("demo_db")
def test_another_citizen_does_not_see_kurts_sms_or_push(client, django_capture_on_commit_callbacks):
    slot = demo.first_free_slot(demo.influensavaksine)
    log_in(client, demo.kurt)
    with django_capture_on_commit_callbacks(execute=True):
        send_booking_in_portal(client, slot)

    log_in(client, demo.viktig)

    assert "Kurt Håkon, du har fått time" not in text_of(client.get(PHONE))
    assert "Ingen SMS ennå." in text_of(client.get(PHONE))
    assert "Ingen varsler ennå." in text_of(client.get(APP))


# --- On a clinic made with factories ------------------------------------------------------------------


def test_the_notifications_are_written_in_the_same_transaction_as_the_confirmation(
    django_capture_on_commit_callbacks,
):
    world = build_world(confirmation=Timebook.Confirmation.MANUAL)
    kurt = world.resident()
    appointment = book(kurt, world.future_slot())

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        assert appointment_confirm(appointment_id=appointment.pk) is True
        written = rows_for(appointment)
        assert {n.channel for n in written} == {SMS, PUSH}
        assert {n.state for n in written} == {Notification.State.PENDING}  # delivery waits for the commit
        transaction.set_rollback(True)  # the confirmation fails after all: so do its notifications

    assert rows_for(appointment) == []
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.REQUESTED
    assert not InboxMessage.objects.filter(appointment=appointment).exists()


def test_the_confirmation_is_delivered_once_it_commits(monkeypatch, django_capture_on_commit_callbacks):
    channel_log = record_channels(monkeypatch)
    world = build_world()
    kurt = world.resident()
    slot = world.future_slot()

    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(kurt, slot)

    sent = by_channel(rows_for(appointment))
    assert set(sent) == {SMS, PUSH}
    for notification in sent.values():
        assert notification.state == Notification.State.SENT
        assert notification.sent_at is not None
        assert notification.text == source_confirmation("Kurt Håkon", slot.start)
        assert channel_log.count(notification.pk) == 1
    assert sent[SMS].address == "+4741234567"
    assert sent[PUSH].address == "app"


def test_a_redelivered_confirmation_writes_and_sends_nothing_more(monkeypatch, django_capture_on_commit_callbacks):
    channel_log = record_channels(monkeypatch)
    world = build_world()
    kurt = world.resident()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(kurt, world.future_slot())
    before = [(n.pk, n.state) for n in rows_for(appointment)]

    with django_capture_on_commit_callbacks(execute=True):
        assert appointment_confirm(appointment_id=appointment.pk) is False

    assert [(n.pk, n.state) for n in rows_for(appointment)] == before
    assert len(channel_log.calls) == 2


def test_e_mail_is_sent_when_the_citizen_chose_it_and_has_an_address(django_capture_on_commit_callbacks):
    world = build_world()
    kurt = world.resident(notify_email=True, email="kurt@example.test")
    slot = world.future_slot()

    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(kurt, slot)

    assert {n.channel for n in rows_for(appointment)} == {SMS, EMAIL, PUSH}
    (message,) = mail.outbox
    assert message.to == ["kurt@example.test"]
    assert message.subject == "Du har fått en ny timeavtale"
    assert message.body == source_confirmation("Kurt Håkon", slot.start)


@pytest.mark.parametrize(
    ("choices", "channels"),
    [
        ({"notify_email": False, "email": "kurt@example.test"}, {SMS, PUSH}),
        ({"notify_email": True, "email": ""}, {SMS, PUSH}),
        ({"notify_sms": False}, {PUSH}),
        ({"notify_sms": True, "phone": ""}, {PUSH}),
        ({"notify_push": False}, {SMS}),
        ({"notify_sms": False, "notify_push": False, "notify_email": True, "email": "k@example.test"}, {EMAIL}),
    ],
    ids=["email-not-chosen", "email-without-address", "sms-off", "sms-without-number", "push-off", "email-only"],
)
def test_only_the_chosen_channels_with_an_address_are_used(choices, channels):
    world = build_world()
    kurt = world.resident(**choices)

    appointment = appointment_book_by_clinic(person=kurt, slot=world.future_slot(), reason="Influensavaksine")

    assert {n.channel for n in rows_for(appointment)} == channels
    assert mail.outbox == []  # nothing is sent before the commit


def test_the_clinic_setting_a_patient_up_on_a_time_confirms_it_too(django_capture_on_commit_callbacks):
    world = build_world()
    kurt = world.resident()
    slot = world.future_slot()

    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book_by_clinic(person=kurt, slot=slot, reason="Influensavaksine")

    sent = by_channel(rows_for(appointment))
    assert set(sent) == {SMS, PUSH}
    assert sent[SMS].text == source_confirmation("Kurt Håkon", slot.start)
    assert {n.state for n in sent.values()} == {Notification.State.SENT}


# --- The phone and the app pages ---------------------------------------------------------------------


def test_a_pending_or_failed_sms_is_not_on_the_phone_yet(client, settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_SIMULATED_FAILURES = ("sms",)
    world = build_world()
    kurt = world.resident()
    slot = world.future_slot()
    with django_capture_on_commit_callbacks(execute=True):
        book(kurt, slot)
    log_in(client, kurt)

    assert "Ingen SMS ennå." in text_of(client.get(PHONE))
    assert source_confirmation("Kurt Håkon", slot.start) in text_of(client.get(APP))


def test_the_phone_page_shows_newest_first(client, django_capture_on_commit_callbacks):
    world = build_world()
    kurt = world.resident()
    early, late = world.future_slot(days=3), world.future_slot(days=4)
    world.timebook.max_active_bookings = 2
    world.timebook.save()
    with django_capture_on_commit_callbacks(execute=True):
        book(kurt, early)
    with django_capture_on_commit_callbacks(execute=True):
        book(kurt, late)

    text = text_of(log_in(client, kurt).get(PHONE))

    assert text.index(text_moment(late.start)) < text.index(text_moment(early.start))


@pytest.mark.parametrize("url", [PHONE, APP])
def test_the_phone_and_the_app_refuse_post(client, url):
    log_in(client, CitizenFactory(user__password=NO_PASSWORD))
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("url", [PHONE, APP])
def test_the_phone_and_the_app_send_an_anonymous_visitor_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("citizens:login"))
