"""axe-core on issue 14's pages (DESIGN §5, accessibility everywhere): «Din fastlege», its three forms (also with
an error shown), Innboks with conversations, a conversation with its reply form and with a closed notice, and the
clinic's inbox, a thread with its answer, prescription and conversion forms, and «Ny dialog». No serious or
critical violation; a failure lists every page with its rule and elements, not only the first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from citizens.models import Citizen
from dialogues.models import Dialogue, Kind, Prescription
from dialogues.services import dialogue_answer, dialogue_start
from inbox.models import InboxMessage
from tests.browser.citizen_flow import KURT
from tests.browser.conftest import log_in_citizen, serious_axe_violations
from tests.browser.dialogue_flow import AUGUST, LARS, exe_file, log_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_server", "demo_data")]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _dialogues() -> dict[str, Dialogue]:
    """Kurt's three dialogues, each with a PDF attached, sent through the service as «Din fastlege» does."""
    kurt = Citizen.objects.get(first_name="Kurt Håkon")
    levaxin = Prescription.objects.get(citizen=kurt, medication="Levaxin")

    def start(kind: str, subject: str, prescription_ids: Sequence[int] = ()) -> Dialogue:
        pdf = SimpleUploadedFile("vedlegg.pdf", PDF, content_type="application/pdf")
        return dialogue_start(
            person=kurt,
            written_by=kurt,
            kind=kind,
            subject=subject,
            body="Hei.",
            uploads=[pdf],
            prescription_ids=prescription_ids,
        )

    return {
        "kontakt": start(Kind.E_KONTAKT, "Spørsmål om legeattest"),
        "konsultasjon": start(Kind.E_KONSULTASJON, "Utslett på armen"),
        "resept": start(Kind.RESEPTFORNYELSE, "Reseptfornyelse", prescription_ids=[levaxin.pk]),
    }


def _checker(page: Page, found: dict[str, list[str]]) -> Callable[[str], None]:
    def check(name: str) -> None:
        violations = serious_axe_violations(page)
        if violations:
            found[f"{name} ({page.url})"] = violations

    return check


def _fail_on(found: dict[str, list[str]]) -> None:
    if found:
        report = "\n".join(f"{name}:\n" + "\n".join(v) for name, v in found.items())
        pytest.fail(f"axe-core found serious/critical violations:\n{report}", pytrace=False)


def _first_message_pk(dialogue: Dialogue) -> int:
    return InboxMessage.objects.filter(thread_id=dialogue.thread_id).order_by("sent_at", "pk")[0].pk


def test_the_citizens_dialogue_pages_have_no_serious_or_critical_axe_violations(page: Page, tmp_path: Path) -> None:
    dialogues = _dialogues()
    august = get_user_model().objects.get(username=AUGUST[0])
    dialogue_answer(dialogue=dialogues["konsultasjon"], user=august, body="Smør med krem.", close=True)
    dialogue_answer(dialogue=dialogues["resept"], user=august, body="Fornyet.", outcome=Dialogue.Outcome.RENEWED)
    found: dict[str, list[str]] = {}
    check = _checker(page, found)

    log_in_citizen(page, KURT)
    page.goto("/fastlege/")
    expect(page.get_by_role("heading", level=1, name="Din fastlege")).to_be_visible()
    check("Din fastlege")
    for slug in ("kontakt-legekontoret", "e-konsultasjon", "forny-resept"):
        page.goto(f"/fastlege/{slug}/")
        expect(page.get_by_label("Melding")).to_be_visible()
        check(f"the form {slug}")
    # The form again, with the refusal of a renamed executable on «Vedlegg» (and «Emne» left empty).
    page.goto("/fastlege/kontakt-legekontoret/")
    page.get_by_label("Melding").fill("Se vedlegg.")
    page.get_by_label("Vedlegg").set_input_files([exe_file(tmp_path, "resept.pdf")])
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".field-error").first).to_be_visible()
    check("the form kontakt-legekontoret with errors")

    page.goto("/innboks/")
    expect(page.get_by_text("Spørsmål om legeattest")).to_be_visible()
    check("Innboks with conversations")
    page.goto(f"/innboks/{_first_message_pk(dialogues['kontakt'])}/")
    expect(page.get_by_role("button", name="Send svar")).to_be_visible()
    check("a conversation with the reply form")
    page.get_by_role("button", name="Send svar").click()
    expect(page.locator(".field-error").first).to_be_visible()
    check("a conversation with the reply form's error")
    page.goto(f"/innboks/{_first_message_pk(dialogues['resept'])}/")
    expect(page.locator(".message__note")).to_be_visible()
    check("a prescription request with its outcome")
    page.goto(f"/innboks/{_first_message_pk(dialogues['konsultasjon'])}/")
    expect(page.locator("p.notice")).to_be_visible()
    check("a closed e-konsultasjon")
    _fail_on(found)


def test_the_clinics_dialogue_pages_have_no_serious_or_critical_axe_violations(page: Page) -> None:
    dialogues = _dialogues()
    found: dict[str, list[str]] = {}
    check = _checker(page, found)

    log_in_staff(page, LARS)
    expect(page.locator("#result_list")).to_be_visible()
    check("the clinic's inbox")
    page.goto(f"/klinikk/innboks/{dialogues['resept'].pk}/")
    expect(page.get_by_label("Velg")).to_be_visible()
    check("a prescription request with «Velg» and the answer form")
    page.goto(f"/klinikk/innboks/{dialogues['kontakt'].pk}/")
    expect(page.get_by_role("button", name="Konverter til e-konsultasjon")).to_be_visible()
    check("an e-kontakt with the answer and conversion forms")
    page.goto("/klinikk/innboks/ny/")
    expect(page.get_by_label("Fødselsnummer")).to_be_visible()
    check("Ny dialog")

    page.context.clear_cookies()
    log_in_staff(page, AUGUST)
    page.goto(f"/klinikk/innboks/{dialogues['konsultasjon'].pk}/")
    expect(page.get_by_role("button", name="Avslutt", exact=True)).to_be_visible()
    check("the fastlege's e-konsultasjon")
    _fail_on(found)
