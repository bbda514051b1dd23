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
from core.errors import ApplicationError
from dialogues.models import Kind
from dialogues.notify import recipients
from inbox.models import InboxMessage
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


def test_a_conversation_is_hidden_for_fullmakt_on_its_thread_apart_from_the_youth_rule(client):
    """Red team: the setting once shared ``Thread.hidden`` with a 12–16-year-old's own conversation; it has its own
    field now, so turning it on and off never touches the youth rule."""
    c = gp_clinic()
    dialogue = c.send(Kind.E_KONTAKT)
    first = dialogue.thread.messages.get()
    log_in(client, c.citizen)
    client.post(hide_url(first), {"skjul": "on"})
    dialogue.thread.refresh_from_db()
    assert (dialogue.thread.hidden_for_proxies, dialogue.thread.hidden) == (True, False)
    client.post(hide_url(first), {})
    dialogue.thread.refresh_from_db()
    assert (dialogue.thread.hidden_for_proxies, dialogue.thread.hidden) == (False, False)


@pytest.mark.parametrize("age", [8, 13])
def test_under_16_the_setting_is_neither_offered_nor_taken_and_a_parents_conversation_stays_theirs(client, age):
    """Red team: a 13-year-old could hide a conversation a parent started, and then never show it again; an
    8-year-old could hide one from the parents, and the office's answer went to the child's phone."""
    c = gp_clinic()
    today = timezone.localdate()
    child = CitizenFactory(birth_date=dt.date(today.year - age, 1, 1), gp_office=c.gp.office, fastlege=c.gp.fastlege)
    parent = RepresentationFactory(represented=child, kind=Representation.Kind.PARENT).representative
    dialogue = c.send(Kind.E_KONTAKT, person=child, written_by=parent)
    message = dialogue.thread.messages.get()
    log_in(client, child)
    assert "Skjul samtale for fullmakt" not in text_of(client.get(message.get_absolute_url()))

    response = client.post(hide_url(message), {"skjul": "on"}, follow=True)

    assert "Du kan skjule samtaler for dem som har fullmakt for deg fra du er 16 år." in text_of(response)
    dialogue.thread.refresh_from_db()
    assert (dialogue.thread.hidden_for_proxies, dialogue.thread.hidden) == (False, False)
    assert not AuditEvent.objects.filter(summary="skjult for fullmakt").exists()
    log_in(client, parent)
    client.post(reverse("citizens:switch_person"), {"person": child.pk})
    assert client.get(message.get_absolute_url()).status_code == 200


def test_a_conversation_hidden_for_fullmakt_is_told_to_the_person_alone(client):
    """The attorney who wrote in it is no longer told of the office's answer once it is hidden."""
    c = gp_clinic()
    attorney = RepresentationFactory(represented=c.citizen, kind=Representation.Kind.POWER_OF_ATTORNEY).representative
    dialogue = c.send(Kind.E_KONTAKT, written_by=attorney)
    assert attorney in recipients(dialogue)
    log_in(client, c.citizen)
    client.post(hide_url(dialogue.thread.messages.get()), {"skjul": "on"})
    dialogue.thread.refresh_from_db()
    assert recipients(dialogue) == [c.citizen]
    # Nor can the attorney read it or answer in it any more.
    log_in(client, attorney)
    client.post(reverse("citizens:switch_person"), {"person": c.citizen.pk})
    assert client.get(dialogue.thread.messages.get().get_absolute_url()).status_code == 404
    answer = client.post(reverse("dialogues:reply", args=[dialogue.thread_id]), {"body": "Hei igjen"})
    assert answer.status_code == 404
    assert dialogue.thread.messages.count() == 1


def test_an_appointment_message_says_the_appointment_itself_stays_visible(client, booked):
    message, _ = booked
    log_in(client, message.citizen)
    assert "Timeavtalen selv og varsler om den vises fortsatt for dem." in text_of(
        client.get(message.get_absolute_url())
    )


def test_a_message_from_before_threads_is_hidden_with_those_written_with_it(client):
    """Red team: an old time request and its automatic reply are shown together; hiding one hid only that row,
    and the attorney opening the other still read both."""
    c = gp_clinic()
    attorney = RepresentationFactory(represented=c.citizen, kind=Representation.Kind.POWER_OF_ATTORNEY).representative
    sent = timezone.now()
    request, reply = (
        InboxMessage.objects.create(
            citizen=c.citizen, kind=kind, subject="Timeforespørsel", body=body, sender="DDFL CGM Test", sent_at=sent
        )
        for kind, body in (
            (InboxMessage.Kind.TIME_REQUEST, "Jeg ønsker time."),
            (InboxMessage.Kind.AUTOMATIC_REPLY, "Vi tar kontakt."),
        )
    )
    log_in(client, c.citizen)
    client.post(hide_url(request), {"skjul": "on"})
    assert set(InboxMessage.objects.filter(pk__in=[request.pk, reply.pk]).values_list("hidden", flat=True)) == {True}
    log_in(client, attorney)
    client.post(reverse("citizens:switch_person"), {"person": c.citizen.pk})
    assert client.get(reply.get_absolute_url()).status_code == 404


def test_hiding_needs_post_and_another_persons_message_is_404(client, booked):
    message, _ = booked
    log_in(client, CitizenFactory())
    assert client.get(hide_url(message)).status_code == 405
    assert client.post(hide_url(message), {"skjul": "on"}).status_code == 404
    assert client.get(reverse("inbox:message_xml", args=[message.pk])).status_code == 404
    message.refresh_from_db()
    assert not message.hidden


@pytest.mark.parametrize("nonchar", ["\ufffe", "\uffff", "\U0001ffff"])
def test_a_character_xml_cannot_hold_is_refused_before_it_is_stored(nonchar):
    """Red team: U+FFFF in a message's text was stored, and its «XML» then did not parse."""
    c = gp_clinic()
    with pytest.raises(ApplicationError) as refused:
        c.send(Kind.E_KONTAKT, body=f"Hei {nonchar} der")
    assert "Teksten inneholder tegn som ikke kan brukes." in str(refused.value.message)
    assert not InboxMessage.objects.filter(thread__isnull=False).exists()
