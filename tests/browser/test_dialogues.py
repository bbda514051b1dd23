"""Issue 14 in Chromium: Kurt sends the three dialogues of «Din fastlege» with attachments, each reaches the staff
it is routed to (and only them), the office answers, converts, renews and closes, and Kurt reads it all in
Innboks. Also: a renamed executable is refused on the page, and «Din fastlege» in English."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from dialogues.models import Dialogue, Kind
from inbox.models import InboxMessage, Thread
from tests.browser.citizen_flow import KURT, heading, open_inbox
from tests.browser.conftest import log_in_citizen, new_context
from tests.browser.dialogue_flow import (
    AUGUST,
    CLOSED_CONSULTATION,
    CONSULTATION,
    CONSULTATION_NOTICE,
    CONTACT,
    KOMMUNE,
    LARS,
    PRESCRIPTION,
    exe_file,
    log_in_staff,
    pdf_file,
    png_file,
    send_dialogue,
    shot,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_server", "demo_data")]

CONTACT_SUBJECT = "Spørsmål om legeattest"
CONSULTATION_SUBJECT = "Utslett på armen"
PRESCRIPTION_SUBJECT = "Reseptfornyelse"  # a prescription request is named for its kind


def _open_thread(page: Page, subject: str) -> None:
    """Innboks → the conversation's «Se detaljer» (its link is named by the subject too)."""
    open_inbox(page)
    page.get_by_role("link", name=re.compile(f"Se detaljer.*{subject}")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(subject)


def _citizen_sends_the_three(page: Page, tmp_path: Path) -> None:
    """Acceptance 1: from the home tile «Din fastlege», each kind with an attachment, shown in its thread."""
    log_in_citizen(page, KURT)
    page.goto("/")
    page.get_by_role("link", name="Din fastlege", exact=True).click()
    expect(heading(page, "Din fastlege")).to_be_visible()
    panel = page.locator(".fastlege-panel")
    expect(panel).to_contain_text("August (Ddf - Tri) September (fastlege)")
    expect(panel).to_contain_text("Helsenorge testlegekontor")
    shot(page, "dialogues-1-panel")

    send_dialogue(
        page,
        CONTACT,
        subject=CONTACT_SUBJECT,
        body="Kan jeg få en legeattest til skolen?",
        files=[pdf_file(tmp_path, "skjema.pdf")],
        before_send=lambda: shot(page, "dialogues-2-form-kontakt"),
    )
    expect(page.get_by_role("heading", level=1, name=CONTACT_SUBJECT)).to_be_visible()
    expect(page.get_by_text("Kan jeg få en legeattest til skolen?")).to_be_visible()
    expect(page.get_by_role("link", name="skjema.pdf")).to_be_visible()

    def the_notice_is_shown_before_sending() -> None:
        expect(page.get_by_text(CONSULTATION_NOTICE)).to_be_visible()
        shot(page, "dialogues-3-form-e-konsultasjon")

    send_dialogue(
        page,
        CONSULTATION,
        subject=CONSULTATION_SUBJECT,
        body="Jeg har fått et kløende utslett på armen.",
        files=[png_file(tmp_path, "utslett.png")],
        before_send=the_notice_is_shown_before_sending,
    )
    expect(page.get_by_text("Jeg har fått et kløende utslett på armen.")).to_be_visible()
    expect(page.get_by_role("link", name="utslett.png")).to_be_visible()

    send_dialogue(
        page,
        PRESCRIPTION,
        prescription="Levaxin",
        body="Jeg trenger mer Levaxin.",
        files=[pdf_file(tmp_path, "blodprove.pdf")],
        before_send=lambda: shot(page, "dialogues-4-form-forny-resept"),
    )
    expect(page.get_by_text("Jeg trenger mer Levaxin.")).to_be_visible()
    expect(page.get_by_role("link", name="blodprove.pdf")).to_be_visible()

    _open_thread(page, CONSULTATION_SUBJECT)
    expect(page.get_by_role("link", name="utslett.png")).to_be_visible()
    shot(page, "dialogues-5-innboks-thread")


def _staff_page(browser: Browser, live_server: Any, credentials: tuple[str, str]) -> Page:
    staff = new_context(browser, live_server.url).new_page()
    log_in_staff(staff, credentials)
    return staff


def _routing(browser: Browser, live_server: Any, consultation_pk: int) -> tuple[Page, Page]:
    """Acceptance 2: the e-konsultasjon only to the fastlege; e-kontakt and the prescription to the whole clinic."""
    august = _staff_page(browser, live_server, AUGUST)
    inbox = august.locator("#result_list")
    expect(inbox.get_by_role("link", name=re.compile(CONSULTATION_SUBJECT))).to_be_visible()
    shot(august, "dialogues-6-staff-inbox")

    lars = _staff_page(browser, live_server, LARS)
    inbox = lars.locator("#result_list")
    expect(inbox.get_by_role("link", name=re.compile(CONTACT_SUBJECT))).to_be_visible()
    expect(inbox.get_by_role("link", name=re.compile(PRESCRIPTION_SUBJECT))).to_be_visible()
    expect(inbox.get_by_role("link", name=re.compile(CONSULTATION_SUBJECT))).to_have_count(0)
    response = lars.goto(f"/klinikk/innboks/{consultation_pk}/")
    assert response is not None and response.status == 404, "the helsesekretær may not open the e-konsultasjon"

    kommune = _staff_page(browser, live_server, KOMMUNE)
    response = kommune.goto(f"/klinikk/innboks/{consultation_pk}/")
    assert response is not None and response.status == 404, "another organisation's staff get 404"
    kommune.context.close()
    return august, lars


def _staff_answer(lars: Page, august: Page, tmp_path: Path) -> None:
    """Acceptance 3: answer with an attachment, convert, renew the prescription, close the e-konsultasjon."""
    lars.goto("/klinikk/innboks/")
    lars.locator("#result_list").get_by_role("link", name=re.compile(CONTACT_SUBJECT)).click()
    expect(lars.get_by_text("Kan jeg få en legeattest til skolen?")).to_be_visible()
    expect(lars.get_by_role("link", name="skjema.pdf")).to_be_visible()
    lars.get_by_label("Melding").fill("Ja, legeattesten ligger vedlagt.")
    lars.get_by_label("Vedlegg").set_input_files([pdf_file(tmp_path, "legeattest.pdf")])
    lars.get_by_role("button", name="Send svar").click()
    expect(lars.get_by_text("Svaret er sendt. Pasienten er varslet.")).to_be_visible()
    expect(lars.get_by_role("link", name="legeattest.pdf")).to_be_visible()
    lars.get_by_role("button", name="Konverter til e-konsultasjon").click()
    expect(lars.get_by_text("E-kontakten er konvertert til en e-konsultasjon og journalført.")).to_be_visible()
    expect(lars.get_by_text(re.compile(r"Journalført \d\d\.\d\d\.\d{4} kl\. \d\d:\d\d"))).to_be_visible()
    expect(lars.get_by_text("E-konsultasjon - helsenorge.no", exact=True)).to_be_visible()

    lars.goto("/klinikk/innboks/")
    lars.locator("#result_list").get_by_role("link", name=re.compile(PRESCRIPTION_SUBJECT)).click()
    expect(lars.get_by_role("heading", name="Resepter pasienten ber om å få fornyet")).to_be_visible()
    expect(lars.get_by_text(re.compile(r"^Levaxin 50 mikrog"))).to_be_visible()
    shot(lars, "dialogues-7-staff-thread-resept")
    lars.get_by_label("Velg").select_option(label="Resept fornyet")
    expect(lars.get_by_label("Melding")).to_have_attribute("required", "")
    lars.get_by_label("Melding").fill("Resepten er fornyet og ligger klar på apoteket.")
    lars.get_by_role("button", name="Send svar").click()
    expect(lars.get_by_text("Svaret er sendt. Pasienten er varslet.")).to_be_visible()
    expect(lars.locator("strong", has_text="Resept fornyet")).to_be_visible()

    august.goto("/klinikk/innboks/")
    august.locator("#result_list").get_by_role("link", name=re.compile(CONSULTATION_SUBJECT)).click()
    expect(august.get_by_text("Jeg har fått et kløende utslett på armen.")).to_be_visible()
    expect(august.get_by_role("link", name="utslett.png")).to_be_visible()
    shot(august, "dialogues-8-staff-thread-e-konsultasjon")
    august.get_by_label("Melding").fill("Smør med hydrokortisonkrem i en uke.")
    august.get_by_role("button", name="Send svar").click()
    expect(august.get_by_text("Svaret er sendt. Pasienten er varslet.")).to_be_visible()
    august.get_by_role("button", name="Avslutt", exact=True).click()
    expect(august.get_by_text("Samtalen er avsluttet. Pasienten kan ikke lenger svare.")).to_be_visible()
    expect(august.get_by_text("Samtalen er avsluttet og kan ikke besvares.")).to_be_visible()
    expect(august.get_by_role("button", name="Send svar")).to_have_count(0)


def _citizen_reads(page: Page) -> None:
    """Acceptance 4: the answers in Innboks, the outcome, the closed e-konsultasjon, and a reply where still open."""
    page.goto("/")
    _open_thread(page, CONSULTATION_SUBJECT)
    expect(page.get_by_text("Smør med hydrokortisonkrem i en uke.")).to_be_visible()
    expect(page.locator("p.notice")).to_have_text(CLOSED_CONSULTATION)
    expect(page.locator("form.reply-form")).to_have_count(0)
    expect(page.get_by_role("button", name="Send svar")).to_have_count(0)
    shot(page, "dialogues-9-innboks-closed")

    _open_thread(page, PRESCRIPTION_SUBJECT)
    expect(page.get_by_text("Resepten er fornyet og ligger klar på apoteket.")).to_be_visible()
    expect(page.locator(".message__note")).to_have_text("Resept fornyet")

    _open_thread(page, CONTACT_SUBJECT)
    expect(page.get_by_text("Ja, legeattesten ligger vedlagt.")).to_be_visible()
    expect(page.get_by_role("link", name="legeattest.pdf")).to_be_visible()
    expect(page.get_by_text("Lars Legekontor").first).to_be_visible()
    page.get_by_label("Melding").fill("Tusen takk!")
    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_text("Svaret ditt er sendt til legekontoret.")).to_be_visible()
    expect(page.get_by_text("Tusen takk!")).to_be_visible()
    shot(page, "dialogues-10-innboks-reply")


def test_three_dialogues_are_sent_routed_answered_and_read(
    page: Page, browser: Browser, live_server: Any, tmp_path: Path
) -> None:
    _citizen_sends_the_three(page, tmp_path)
    consultation = Dialogue.objects.get(thread__kind=Kind.E_KONSULTASJON)
    august, lars = _routing(browser, live_server, consultation.pk)
    _staff_answer(lars, august, tmp_path)
    _citizen_reads(page)
    august.context.close()
    lars.context.close()


def test_a_renamed_executable_is_refused_and_nothing_is_sent(page: Page, tmp_path: Path) -> None:
    log_in_citizen(page, KURT)
    page.goto("/")
    open_inbox(page)
    count = page.get_by_text(re.compile(r"^\d+ meldinger?$")).inner_text()
    threads, messages = Thread.objects.count(), InboxMessage.objects.count()

    page.goto("/fastlege/")
    page.get_by_role("link", name=PRESCRIPTION, exact=True).click()
    page.get_by_role("group", name="Hvilke resepter ønsker du fornyet?").get_by_label(re.compile("Levaxin")).check()
    page.get_by_label("Melding").fill("Se vedlagt resept.")
    page.get_by_label("Vedlegg").set_input_files([exe_file(tmp_path, "resept.pdf")])
    page.get_by_role("button", name="Send", exact=True).click()

    refusal = (
        "Filen «resept.pdf» kan ikke sendes. Du kan bare legge ved bilder (JPEG, PNG, GIF, HEIC) og PDF-dokumenter."
    )
    expect(page.get_by_text(refusal)).to_be_visible()
    expect(page.get_by_label("Vedlegg")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("heading", level=1, name=PRESCRIPTION)).to_be_visible()
    open_inbox(page)
    expect(page.get_by_text(re.compile(r"^\d+ meldinger?$"))).to_have_text(count)
    assert (Thread.objects.count(), InboxMessage.objects.count()) == (threads, messages)


def test_din_fastlege_in_english(page: Page) -> None:
    log_in_citizen(page, KURT)
    page.goto("/fastlege/")
    expect(heading(page, "Din fastlege")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(heading(page, "Your GP")).to_be_visible()
    for name in ("Contact the GP office", "Start an e-consultation", "Renew a prescription"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
