"""Source 004, «Reseptforespørsler» step 4: «Ved behov kan svaret på reseptforespørselen gjøres om til e-kontakt
eller e-konsultasjon, ved å klikke på de tre prikkene.» Offered on the staff's thread page once the request is
answered; an e-konsultasjon is journalled; refusals say why in Norwegian and change nothing (issue 22, texts)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from dialogues.models import Dialogue, JournalEntry, Kind
from dialogues.services import dialogue_answer, dialogue_close
from tests.pages import html_of, text_of

pytestmark = pytest.mark.django_db


def staff_of(c) -> Client:
    c.secretary.is_staff = True
    c.secretary.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(c.secretary)
    return client


def answered(c) -> Dialogue:
    dialogue = c.send(Kind.RESEPTFORNYELSE)
    dialogue_answer(dialogue=dialogue, user=c.secretary, body="Fornyet for et år.", outcome="fornyet")
    return dialogue


def convert(client: Client, dialogue: Dialogue, to: str):
    return client.post(reverse("dialogues:staff_convert", args=[dialogue.pk]), {"til": to}, follow=True)


def test_the_answered_request_offers_the_three_dots_with_both_conversions(c):
    page = html_of(staff_of(c).get(reverse("dialogues:staff_thread", args=[answered(c).pk])))
    menu = page[page.index('<details class="more-actions">') : page.index("</details>")]
    assert "Flere valg" in menu and "⋯" in menu
    assert 'name="til" value="e_kontakt">Gjør om til e-kontakt</button>' in menu
    assert 'name="til" value="e_konsultasjon">Gjør om til e-konsultasjon</button>' in menu


def test_an_unanswered_request_offers_no_conversion_and_refuses_one(c):
    dialogue = c.send(Kind.RESEPTFORNYELSE)
    client = staff_of(c)
    assert "more-actions" not in html_of(client.get(reverse("dialogues:staff_thread", args=[dialogue.pk])))
    response = convert(client, dialogue, Kind.E_KONTAKT)
    assert "Svar på reseptforespørselen før du gjør svaret om til e-kontakt eller e-konsultasjon." in text_of(response)
    dialogue.refresh_from_db()
    assert dialogue.kind == Kind.RESEPTFORNYELSE and dialogue.converted_at is None


def test_into_an_e_kontakt_the_patient_can_answer_and_the_outcome_stays_on_the_answer(c):
    dialogue = answered(c)
    response = convert(staff_of(c), dialogue, Kind.E_KONTAKT)
    assert "Svaret på reseptforespørselen er gjort om til en e-kontakt." in text_of(response)
    dialogue.refresh_from_db()
    assert dialogue.kind == Kind.E_KONTAKT and dialogue.converted_at is not None
    assert dialogue.outcome == "" and dialogue.journalled_at is None
    assert dialogue.thread.messages.get(note="Resept fornyet")  # what the patient was told stays
    summaries = AuditEvent.objects.filter(object_type="dialogue", object_id=str(dialogue.pk)).values_list(
        "summary", flat=True
    )
    assert any(s.endswith("konvertert fra reseptfornyelse (svar: Resept fornyet) til e-kontakt") for s in summaries)


def test_into_an_e_konsultasjon_it_is_journalled(c):
    dialogue = answered(c)
    response = convert(staff_of(c), dialogue, Kind.E_KONSULTASJON)
    assert "Svaret på reseptforespørselen er gjort om til en e-konsultasjon og journalført." in text_of(response)
    dialogue.refresh_from_db()
    assert dialogue.kind == Kind.E_KONSULTASJON and dialogue.journalled_at is not None
    assert JournalEntry.objects.filter(dialogue=dialogue).exists()


def test_a_bad_choice_or_a_closed_request_changes_nothing(c):
    dialogue = answered(c)
    client = staff_of(c)
    assert "Velg e-kontakt eller e-konsultasjon." in text_of(convert(client, dialogue, "timeforesporsel"))
    dialogue_close(dialogue=dialogue, user=c.secretary)
    assert "Dialogen er avsluttet" in text_of(convert(client, dialogue, Kind.E_KONTAKT))
    dialogue.refresh_from_db()
    assert dialogue.kind == Kind.RESEPTFORNYELSE and dialogue.outcome == "fornyet"


def test_another_offices_staff_get_404(c):
    dialogue = answered(c)
    other = Client()
    c.outsider.is_staff = True
    c.outsider.save(update_fields=["is_staff"])
    other.force_login(c.outsider)
    assert other.post(reverse("dialogues:staff_convert", args=[dialogue.pk]), {"til": "e_kontakt"}).status_code == 404
    dialogue.refresh_from_db()
    assert dialogue.kind == Kind.RESEPTFORNYELSE
