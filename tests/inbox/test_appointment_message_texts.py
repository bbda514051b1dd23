"""Innboks as source 003 (step 9) shows a new appointment with the fastlege: the list names him by first name
(«August»), says only the time for today («Sendt: 11:35») and is titled by what the appointment is for
(«Test»); the message says «Din timereservasjon er bekreftet.» without the office's name, which the
appointment's «Beskrivelse» keeps (issue 22, texts)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from booking.services import appointment_book_by_clinic
from inbox.models import InboxMessage
from tests.factories import InboxMessageFactory
from tests.pages import html_of, log_in, oslo, text_of
from tests.world import gp_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(client):
    gp = gp_office()
    appointment = appointment_book_by_clinic(person=gp.citizen, slot=gp.slot(), reason="Test")
    log_in(client, gp.citizen)
    return appointment


def items(response) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", " ", item).split())
        for item in re.findall(r'<li class="inbox__item[^"]*">(.*?)</li>', html_of(response), re.S)
    ]


def test_the_list_names_august_says_the_time_and_is_titled_by_the_reason(client, booked):
    message = booked.messages.get()
    line = items(client.get("/innboks/"))[0]
    assert line.startswith(f"August Ny Sendt: {oslo(message.sent_at):%H:%M} Se detaljer")
    assert "Test Meldingen(e) er knyttet til en timeavtale" in line
    assert "Du har fått en ny timeavtale" not in line
    assert "I dag" not in line


def test_an_older_message_in_the_list_gives_its_date(client, booked):
    sent = timezone.now() - dt.timedelta(days=3)
    InboxMessageFactory(citizen=booked.citizen, kind=InboxMessage.Kind.AUTOMATIC_REPLY, subject="Gammel", sent_at=sent)
    line = next(item for item in items(client.get("/innboks/")) if "Gammel" in item)
    assert f"Sendt: {oslo(sent):%d.%m.%Y %H:%M}" in line


def test_the_message_keeps_its_subject_the_full_name_and_no_office_after_bekreftet(client, booked):
    message = booked.messages.get()
    assert message.body.endswith("hos August.\n\nDin timereservasjon er bekreftet.")
    text = text_of(client.get(message.get_absolute_url()))
    assert "Du har fått en ny timeavtale" in text
    assert "August September (fastlege)" in text
    assert "Din timereservasjon er bekreftet. DDFL CGM Test" not in text


def test_the_appointments_beskrivelse_keeps_the_offices_name(client, booked):
    text = text_of(client.get(booked.get_absolute_url()))
    assert "Beskrivelse Din timereservasjon er bekreftet. DDFL CGM Test." in text
