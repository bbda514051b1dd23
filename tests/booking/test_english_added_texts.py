"""Issue 12's new texts in English («Språk/Language»): each page that gained a text says it in English, and the
Norwegian words are gone."""

from __future__ import annotations

import html

from django.urls import reverse

from booking.services import appointment_book_by_clinic, appointment_cancel_by_clinic
from tests.demo import Demo
from tests.pages import log_in, review_url, send_booking, text_of, time_url


def english(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def test_the_gp_offices_steps_in_english(client, demo):
    log_in(client, demo.kurt)
    english(client)
    step_1 = text_of(client.get(reverse("booking:choose_contact")))
    assert "Your GP office Helsenorge testlegekontor" in step_1 and "Ditt fastlegekontor" not in step_1
    step_2 = text_of(client.get(reverse("booking:choose_timebook", args=[8100300])))
    for label in ("Consultation with your GP", "Have a sample taken at the laboratory", "Vaccine"):
        assert label in step_2
    assert "Ta prøve på laboratoriet" not in step_2
    place = reverse("booking:place", args=[Demo.RESSURSTIMEBOK, demo.influensa.pk])
    assert "Booking: Choose a time All fields must be filled in" in text_of(client.get(place))
    review = html.unescape(text_of(client.get(review_url(demo.free_slot(demo.influensa)))))
    assert "Max 50 characters." in review
    assert "The request is stored in the doctor's medical records system." in review
    assert "You can cancel online until" in review
    request = html.unescape(text_of(client.get(reverse("booking:time_request", args=[Demo.RESSURSTIMEBOK]))))
    assert "why you need a doctor's appointment (max 250 characters)" in request


def test_the_limit_and_acting_for_someone_in_english(client, demo):
    log_in(client, demo.kurt)
    client.post(reverse("citizens:switch_person"), {"person": demo.emma.pk})
    slot = demo.free_slot(demo.influensavaksine)
    english(client)
    assert "You are booking an appointment on behalf of Emma Grytten." in text_of(client.get(review_url(slot)))
    send_booking(client, slot)
    step_2 = text_of(client.get(reverse("booking:choose_timebook", args=[Demo.SMITTEVERN])))
    assert "Emma Grytten already has 1 active booking in this appointment book, which is the most allowed." in step_2
    calendar = text_of(client.get(time_url(demo.influensavaksine), {"sted": slot.location_id}))
    assert "All fields must be filled in" in calendar


def test_timeavtaler_varsler_and_innboks_in_english(client, world):
    kept, cancelled = (
        appointment_book_by_clinic(person=world.citizen, slot=slot, reason="Vaksine") for slot in world.slots[:2]
    )
    appointment_cancel_by_clinic(appointment=cancelled)
    log_in(client, world.citizen)
    english(client)
    assert "Cancelled appointments" in text_of(client.get(reverse("booking:appointments")))
    alerts = text_of(client.get(reverse("booking:alerts")))
    assert "You have 3 unread messages in your inbox." in alerts and "Go to the inbox" in alerts
    assert "3 unread messages" in text_of(client.get(reverse("booking:home")))
    inbox = text_of(client.get(reverse("inbox:inbox")))
    assert "3 messages" in inbox
    assert "See details" in inbox and "The message(s) relate to an appointment" in inbox
    assert "Se detaljer" not in inbox and "knyttet" not in inbox
    message = kept.messages.get()
    assert "The message(s) relate to an appointment" in text_of(client.get(message.get_absolute_url()))


def test_a_gp_office_title_in_english(client, demo, django_capture_on_commit_callbacks):
    slot = demo.free_slot(demo.influensa)
    log_in(client, demo.kurt)
    with django_capture_on_commit_callbacks(execute=True):
        send_booking(client, slot)
    english(client)
    text = text_of(client.get(reverse("booking:appointments")))
    appointment = demo.influensa.slots.get(pk=slot.pk).appointments.get()
    assert "Appointment for a vaccine with Helsenorge testlegekontor" in text_of(
        client.get(appointment.get_absolute_url())
    )
    assert "Upcoming appointments" in text
