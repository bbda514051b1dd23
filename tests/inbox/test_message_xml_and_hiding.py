"""Under a message, as source 003 (step 9) shows it: «XML» (the conversation as XML, as source 001 shows it
under a conversation too) and «Skjul samtale for fullmakt ?», the person's own setting that hides the
conversation from whoever holds a power of attorney for them (issue 22, texts)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from booking.services import appointment_book_by_clinic
from citizens.models import Representation
from dialogues.models import Kind
from tests.factories import CitizenFactory, RepresentationFactory
from tests.pages import html_of, log_in, text_of
from tests.world import gp_clinic, gp_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked():
    gp = gp_office()
    appointment = appointment_book_by_clinic(person=gp.citizen, slot=gp.slot(), reason="Test & <sånt>")
    attorney = RepresentationFactory(represented=gp.citizen, kind=Representation.Kind.POWER_OF_ATTORNEY)
    return appointment.messages.get(), attorney.representative


def hide_url(message) -> str:
    return reverse("inbox:message_hide", args=[message.pk])


def test_the_message_shows_xml_and_skjul_samtale_for_fullmakt(client, booked):
    message, _ = booked
    log_in(client, message.citizen)
    page = client.get(message.get_absolute_url())
    html = html_of(page)
    assert f'<a href="{reverse("inbox:message_xml", args=[message.pk])}">XML</a>' in html
    assert f'action="{hide_url(message)}"' in html
    assert "Skjul samtale for fullmakt ?" in text_of(page)


def test_xml_gives_the_conversation_as_well_formed_xml(client, booked):
    message, _ = booked
    log_in(client, message.citizen)
    response = client.get(reverse("inbox:message_xml", args=[message.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    (part,) = root.findall("melding")
    assert part.findtext("avsender") == "August September (fastlege)"
    assert part.findtext("emne") == "Du har fått en ny timeavtale"
    assert part.findtext("tekst").endswith("Din timereservasjon er bekreftet.")


def test_hiding_takes_it_from_the_attorney_and_is_audited_and_showing_gives_it_back(client, booked):
    message, attorney = booked
    log_in(client, message.citizen)
    response = client.post(hide_url(message), {"skjul": "on"}, follow=True)
    assert "Samtalen er skjult for dem som har fullmakt for deg." in text_of(response)
    message.refresh_from_db()
    assert message.hidden
    assert AuditEvent.objects.filter(object_type="inbox_message", object_id=str(message.pk)).filter(
        summary="skjult for fullmakt"
    )
    assert 'id="skjul" checked' in html_of(client.get(message.get_absolute_url()))

    other = log_in(Client(), attorney)
    other.post(reverse("citizens:switch_person"), {"person": message.citizen_id})
    assert other.get(message.get_absolute_url()).status_code == 404
    assert "Du har fått en ny timeavtale" not in text_of(other.get("/innboks/"))
    assert other.post(hide_url(message), {}).status_code == 404  # only the person sets it
    message.refresh_from_db()
    assert message.hidden

    client.post(hide_url(message), {})
    message.refresh_from_db()
    assert not message.hidden
    assert other.get(message.get_absolute_url()).status_code == 200


def test_the_attorney_is_not_offered_the_setting(client, booked):
    message, attorney = booked
    log_in(client, attorney)
    client.post(reverse("citizens:switch_person"), {"person": message.citizen_id})
    page = client.get(message.get_absolute_url())
    assert page.status_code == 200
    assert "Skjul samtale for fullmakt" not in text_of(page)


def test_a_conversation_is_hidden_on_its_thread_but_a_13_year_old_cannot_show_theirs(client):
    c = gp_clinic()
    dialogue = c.send(Kind.E_KONTAKT)
    first = dialogue.thread.messages.get()
    log_in(client, c.citizen)
    client.post(hide_url(first), {"skjul": "on"})
    dialogue.thread.refresh_from_db()
    assert dialogue.thread.hidden

    today = timezone.localdate()
    teen = CitizenFactory(birth_date=dt.date(today.year - 13, 1, 1), gp_office=c.gp.office, fastlege=c.gp.fastlege)
    own = c.send(Kind.E_KONTAKT, person=teen, written_by=teen)
    message = own.thread.messages.get()
    log_in(client, teen)
    response = client.post(hide_url(message), {}, follow=True)
    assert "Samtaler du har mens du er mellom 12 og 16 år, er alltid skjult for foreldrene dine." in text_of(response)
    own.thread.refresh_from_db()
    assert own.thread.hidden


def test_hiding_needs_post_and_another_persons_message_is_404(client, booked):
    message, _ = booked
    log_in(client, CitizenFactory())
    assert client.get(hide_url(message)).status_code == 405
    assert client.post(hide_url(message), {"skjul": "on"}).status_code == 404
    assert client.get(reverse("inbox:message_xml", args=[message.pk])).status_code == 404
    message.refresh_from_db()
    assert not message.hidden
