"""Booking with the fastlege in English («Språk/Language»): each new page's texts follow the language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from booking.models import Appointment
from tests.pages import log_in, open_review, review_url, text_of, time_url
from tests.world import gp_office

pytestmark = pytest.mark.django_db


def english(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def test_steps_5_to_7_in_english(client):
    gp = gp_office(survey_choices="Sykdom\nKontroll")
    slot = gp.slot(gp.video, hour=9)
    log_in(client, gp.citizen)
    english(client)
    practitioner = reverse("booking:practitioner", args=[gp.service.her_id])
    survey = text_of(client.get(practitioner))
    assert "What is the booking about?" in survey
    assert "Choose one of the options" in survey
    behandler = text_of(client.get(practitioner, {"gjelder": "Kontroll"}))
    assert "Choose a practitioner at DDFL CGM Test" in behandler
    day = slot.start.astimezone().date().isoformat()
    calendar = text_of(client.get(time_url(gp.timebook), {"dag": day}))
    assert "A video appointment suits you if you do not need tests or examinations." in calendar
    review = text_of(client.get(review_url(slot)))
    assert "Place: Video appointment" in review or "Video appointment" in review
    assert "The request will be recorded in your medical record." in review


def test_steps_8_and_10_in_english(client, django_capture_on_commit_callbacks):
    gp = gp_office()
    slot = gp.slot(gp.video, hour=9)
    log_in(client, gp.citizen)
    key = open_review(client, slot)
    english(client)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(review_url(slot), {"reason": "Test", "idempotency_key": key})
    receipt = text_of(client.get(sent.url))
    assert "If your health changes before the appointment, you must contact the GP office." in receipt
    assert "You will find information about the booking in your inbox." in receipt
    appointment = Appointment.objects.get(slot=slot)
    page = text_of(client.get(reverse("booking:appointment", args=[appointment.pk])))
    assert "Practitioner: GP August September" in page
    assert "This is a video appointment" in page
    assert "Your rights when travelling" in page
    assert "Go to Pasientreiser to apply for travel reimbursement" in page
