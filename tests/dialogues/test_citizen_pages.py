"""The citizen's side of the dialogues (issue 14, source 004): «Din fastlege», sending each kind with an
attachment, answering while open, the closed text, the blocked patient's automatic reply, Innboks showing a
conversation as one item with «Finn melding», and 404 for anyone else's conversation or file."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from addressregistry.services import service_process_set
from dialogues.models import Dialogue, JournalEntry
from dialogues.selectors import fastlege_panel, prescriptions_of
from dialogues.services import dialogue_answer, dialogue_close
from inbox.models import Attachment, InboxMessage, Thread
from tests.demo import Demo
from tests.pages import html_of, log_in, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PANEL = reverse("dialogues:panel")
INBOX = reverse("inbox:inbox")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CLOSED_CONSULTATION = "E-konsultasjonen er nå avsluttet fra behandlerens side. Denne meldingen kan ikke besvares."
CLOSED_OTHER = "Samtalen er nå avsluttet fra legekontorets side. Denne meldingen kan ikke besvares."
REFUSED_TYPE = "kan ikke sendes. Du kan bare legge ved bilder (JPEG, PNG, GIF, HEIC) og PDF-dokumenter."


def new_url(slug: str) -> str:
    return reverse("dialogues:new", args=[slug])


def pdf(name: str = "blodprove.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def send(client: Client, slug: str, **fields):
    data = {"subject": "Spørsmål", "body": "Hei, jeg lurer på noe.", "attachments": [pdf()]} | fields
    return client.post(new_url(slug), data)


def staff_user(username: str = "august-september"):
    return get_user_model().objects.get(username=username)


def dialogue_of(citizen) -> Dialogue:
    return Dialogue.objects.select_related("thread").get(thread__citizen=citizen)


# --- «Din fastlege» ----------------------------------------------------------------------------------------


def test_the_panel_shows_the_fastlege_the_office_and_every_link(client, demo):
    log_in(client, demo.kurt)
    response = client.get(PANEL)
    assert response.status_code == 200
    text, html = text_of(response), html_of(response)
    panel = fastlege_panel(demo.kurt)
    assert panel.fastlege is not None and panel.office is not None
    assert panel.fastlege.listed_name in text and panel.office.name in text
    assert f'href="{reverse("booking:choose_timebook", args=[panel.booking_her_id])}"' in html
    for slug, label in (
        ("forny-resept", "Forny resept"),
        ("e-konsultasjon", "Start e-konsultasjon"),
        ("kontakt-legekontoret", "Kontakt legekontoret"),
    ):
        assert re.search(rf'href="{new_url(slug)}"[^>]*>{label}</a>', html), label
    assert "er ikke tilgjengelig" not in text
    home = html_of(client.get(reverse("booking:home")))
    assert f'href="{PANEL}">Din fastlege</a>' in home


def test_a_dialogue_switched_off_in_the_address_registry_is_hidden_with_the_reason(client, demo):
    service = fastlege_panel(demo.kurt).service
    assert service is not None
    service_process_set(service=service, process="e_konsultasjon", active=False, changed_by=None)
    log_in(client, demo.kurt)
    text, html = text_of(client.get(PANEL)), html_of(client.get(PANEL))
    assert f'href="{new_url("e-konsultasjon")}"' not in html
    assert "«Start e-konsultasjon» er ikke tilgjengelig: E-konsultasjon er ikke aktivert i Adresseregisteret" in text
    assert f'href="{new_url("kontakt-legekontoret")}"' in html
    page = client.get(new_url("e-konsultasjon"))
    assert "E-konsultasjon er ikke aktivert i Adresseregisteret for tjenesten" in text_of(page)
    assert "<textarea" not in html_of(page)
    assert send(client, "e-konsultasjon").status_code == 400
    assert not Thread.objects.filter(citizen=demo.kurt).exists()


def test_an_unknown_kind_is_404(client, demo):
    log_in(client, demo.kurt)
    assert client.get(new_url("timebestilling")).status_code == 404


# --- Sending --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "kind"),
    [("kontakt-legekontoret", "e_kontakt"), ("e-konsultasjon", "e_konsultasjon"), ("forny-resept", "reseptfornyelse")],
)
def test_each_kind_is_sent_with_a_pdf_and_shown_in_innboks(client, demo, slug, kind):
    log_in(client, demo.kurt)
    form = client.get(new_url(slug))
    assert "Bilder og PDF, til sammen maks 12 MB" in text_of(form)
    fields: dict = {}
    if kind == "reseptfornyelse":
        levaxin = prescriptions_of(demo.kurt).get(medication="Levaxin")
        assert f"Forskrevet {levaxin.prescribed_on:%d.%m.%Y}" in text_of(form)
        assert "Emne" not in text_of(form)
        fields = {"prescriptions": [levaxin.pk]}
    if kind == "e_konsultasjon":
        assert "Henvendelsen vil bli journalført." in text_of(form)
    response = send(client, slug, **fields)
    assert response.status_code == 302, text_of(response)[:600]
    dialogue = dialogue_of(demo.kurt)
    assert dialogue.kind == kind
    first = dialogue.thread.messages.get()
    assert response.url == reverse("inbox:message", args=[first.pk])
    page = client.get(response.url)
    text = text_of(page)
    assert "Meldingen er sendt til legekontoret." in text
    assert "Hei, jeg lurer på noe." in text
    file = Attachment.objects.get(message=first)
    assert (file.name, file.content_type) == ("blodprove.pdf", "application/pdf")
    assert f'href="{reverse("dialogues:attachment", args=[file.pk])}"' in html_of(page)
    if kind == "reseptfornyelse":
        assert "Levaxin 50 mikrog" in text
    assert JournalEntry.objects.filter(dialogue=dialogue).exists() == (kind == "e_konsultasjon")


def test_a_dialogue_for_a_child_is_the_childs(client, demo):
    log_in(client, demo.kurt)
    client.post(reverse("citizens:switch_person"), {"person": demo.emma.pk})
    assert "for Emma Grytten" in text_of(client.get(PANEL))
    assert send(client, "kontakt-legekontoret", subject="Om Emma").status_code == 302
    dialogue = dialogue_of(demo.emma)
    message = dialogue.thread.messages.get()
    assert (message.citizen, message.written_by) == (demo.emma, demo.kurt)
    assert "Om Emma" in text_of(client.get(INBOX))
    assert not Thread.objects.filter(citizen=demo.kurt).exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf("x.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 20), f"Filen «x.pdf» {REFUSED_TYPE}"),
        (pdf("tom.pdf", b""), "Filen «tom.pdf» er tom. Velg en annen fil."),
    ],
    ids=["renamed-executable", "empty"],
)
def test_a_bad_file_is_refused_in_norwegian_and_nothing_is_stored(client, demo, upload, message):
    log_in(client, demo.kurt)
    response = send(client, "kontakt-legekontoret", attachments=[upload])
    assert response.status_code == 400
    assert message in text_of(response)
    assert 'value="Spørsmål"' in html_of(response)  # what was written is kept
    assert not Thread.objects.exists() and not Attachment.objects.exists()


def test_more_than_12_mb_in_all_is_refused(client, demo):
    log_in(client, demo.kurt)
    half = PDF + b"0" * (6 * 1024 * 1024)
    response = send(client, "kontakt-legekontoret", attachments=[pdf("a.pdf", half), pdf("b.pdf", half)])
    assert response.status_code == 400
    assert "Vedleggene kan til sammen ikke være større enn 12 MB." in text_of(response)
    assert not Thread.objects.exists() and not InboxMessage.objects.filter(citizen=demo.kurt).exists()


def test_the_blocked_patient_gets_the_automatic_reply(client, demo):
    log_in(client, demo.berit)
    assert send(client, "kontakt-legekontoret", subject="Hjelp").status_code == 302
    thread = dialogue_of(demo.berit).thread
    assert thread.is_closed
    page = text_of(client.get(reverse("inbox:message", args=[thread.messages.first().pk])))
    assert "Legekontoret har ikke gitt deg tilgang til denne tjenesten." in page
    assert CLOSED_OTHER in page
    assert "Send svar" not in page


# --- Answering -------------------------------------------------------------------------------------------


def test_the_citizen_answers_while_open_and_sees_the_clinics_note(client, demo):
    log_in(client, demo.kurt)
    send(client, "forny-resept", prescriptions=[prescriptions_of(demo.kurt).first().pk])
    dialogue = dialogue_of(demo.kurt)
    dialogue_answer(dialogue=dialogue, user=staff_user(), body="Fornyet, hentes på apoteket.", outcome="fornyet")
    answer = dialogue.thread.messages.get(staff_user__isnull=False)
    page = client.get(answer.get_absolute_url())
    assert "Resept fornyet" in text_of(page) and "Fornyet, hentes på apoteket." in text_of(page)
    assert InboxMessage.objects.get(pk=answer.pk).read_at is not None
    reply_url = reverse("dialogues:reply", args=[dialogue.thread_id])
    assert f'action="{reply_url}"' in html_of(page)

    response = client.post(reply_url, {"body": "Takk!", "attachments": [pdf("kvittering.pdf")]})
    assert response.status_code == 302
    assert "Takk!" in text_of(client.get(response.url))
    assert dialogue.thread.messages.count() == 3
    assert Attachment.objects.filter(message__thread=dialogue.thread, name="kvittering.pdf").exists()

    refused = client.post(reply_url, {"body": "   "})
    assert refused.status_code == 400 and "Du må skriv" in text_of(refused)
    assert dialogue.thread.messages.count() == 3


@pytest.mark.parametrize(
    ("slug", "closed_text"), [("e-konsultasjon", CLOSED_CONSULTATION), ("kontakt-legekontoret", CLOSED_OTHER)]
)
def test_a_closed_thread_says_so_and_refuses_an_answer(client, demo, slug, closed_text):
    log_in(client, demo.kurt)
    send(client, slug)
    dialogue = dialogue_of(demo.kurt)
    dialogue_close(dialogue=dialogue, user=staff_user())
    page = client.get(dialogue.thread.messages.get().get_absolute_url())
    assert closed_text in text_of(page)
    assert "Send svar" not in text_of(page)
    response = client.post(reverse("dialogues:reply", args=[dialogue.thread_id]), {"body": "Hallo?"})
    assert response.status_code == 400
    assert closed_text in text_of(response)
    assert dialogue.thread.messages.count() == 1


# --- Anyone else's ---------------------------------------------------------------------------------------


def test_another_citizens_thread_attachment_and_reply_are_404(client, demo):
    log_in(client, demo.kurt)
    send(client, "kontakt-legekontoret")
    dialogue = dialogue_of(demo.kurt)
    message = dialogue.thread.messages.get()
    file = Attachment.objects.get(message=message)
    own = client.get(reverse("dialogues:attachment", args=[file.pk]))
    assert own.status_code == 200 and own.content == PDF
    assert own["Content-Type"] == "application/pdf" and own["X-Content-Type-Options"] == "nosniff"
    assert own["Content-Disposition"].startswith("attachment;") and "blodprove.pdf" in own["Content-Disposition"]

    intruder = log_in(Client(), demo.viktig)
    assert intruder.get(message.get_absolute_url()).status_code == 404
    assert intruder.get(reverse("dialogues:attachment", args=[file.pk])).status_code == 404
    assert (
        intruder.post(reverse("dialogues:reply", args=[dialogue.thread_id]), {"body": "Inntrenger"}).status_code == 404
    )
    assert intruder.post(reverse("dialogues:reply", args=[987654]), {"body": "x"}).status_code == 404
    assert dialogue.thread.messages.count() == 1
    assert message.get_absolute_url() not in html_of(intruder.get(INBOX))


# --- Innboks ---------------------------------------------------------------------------------------------


def test_innboks_shows_a_conversation_as_one_item_counts_and_finds(client, demo):
    log_in(client, demo.kurt)
    send(client, "kontakt-legekontoret", subject="Attest til skolen", attachments=[])
    dialogue = dialogue_of(demo.kurt)
    dialogue_answer(dialogue=dialogue, user=staff_user(), body="Attesten er klar.")
    client.post(reverse("dialogues:reply", args=[dialogue.thread_id]), {"body": "Flott, jeg henter den."})
    dialogue_answer(dialogue=dialogue, user=staff_user(), body="Velkommen.")
    send(client, "kontakt-legekontoret", subject="Betaling", body="Har jeg betalt regningen?", attachments=[])

    response = client.get(INBOX)
    text, html = text_of(response), html_of(response)
    items = re.findall(r'<li class="inbox__item[^"]*">(.*?)</li>', html, re.S)
    assert len(items) == 2
    thread_item = next(item for item in items if "Attest til skolen" in item)
    assert "4 meldinger" in thread_item and "Ny</span>" in thread_item
    assert "August September" in thread_item  # the sender of the latest message
    assert "5 meldinger" in text  # in all
    assert f'href="{PANEL}">Skriv ny melding</a>' in html

    found = text_of(client.get(INBOX, {"q": "REGNINGEN"}))
    assert "Betaling" in found and "Attest til skolen" not in found and "1 melding " in found
    assert "Attest til skolen" in text_of(client.get(INBOX, {"q": "henter den"}))
    nothing = text_of(client.get(INBOX, {"q": "finnes ikke"}))
    assert "Ingen meldinger passer søket" in nothing and "0 meldinger" in nothing


def test_a_time_request_and_its_automatic_reply_are_one_item(client, demo):
    log_in(client, demo.berit)
    client.post(
        reverse("booking:time_request", args=[Demo.RESSURSTIMEBOK]),
        {"subject": "Trenger time", "suggested_times": "Mandag"},
    )
    items = re.findall(r'<li class="inbox__item[^"]*">(.*?)</li>', html_of(client.get(INBOX)), re.S)
    assert len(items) == 1 and "2 meldinger" in items[0] and "Trenger time" in items[0]


def test_without_consent_every_dialogue_says_why_and_none_is_offered(client, demo):
    kurt = demo.kurt
    kurt.digital_contact_consent = False
    kurt.save(update_fields=["digital_contact_consent"])
    log_in(client, kurt)
    text, html = text_of(client.get(PANEL)), html_of(client.get(PANEL))
    assert "«Kontakt legekontoret» er ikke tilgjengelig: Du har ikke gitt samtykke til digital kontakt" in text
    assert ".." not in text
    assert 'href="/fastlege/' not in html.split("<main", 1)[1]  # the header's «Meny» links to the panel
    assert "Bestill time" in text
