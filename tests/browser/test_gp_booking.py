"""Source 003 in Chromium: the ten steps of booking with the fastlege, found by the source's texts alone,
for a Konsultasjon and for a Videotime. The GP office is made here with the factories (not seed_demo)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from resourcebooks.models import Slot
from tests.browser.citizen_flow import FREE_DAY, heading, long_date, short_date
from tests.browser.conftest import log_in_citizen
from tests.world import GpOffice, gp_office

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_server", "transactional_db")]

CITIZEN = "Thomas Libront"
CONTACT = "Ditt fastlegekontor DDFL CGM Test"
FASTLEGE = "August (Ddf - Tri) September (fastlege)"


def _nothing(name: str) -> None:
    return None


def walk(page: Page, gp: GpOffice, slot: Slot, *, check: Callable[[str], None] = _nothing) -> None:
    """Steps 1–10 for ``slot``; ``check(name)`` runs on each page as it is reached (axe, in the axe tests)."""
    local = timezone.localtime(slot.start)
    label = f"{local:%H:%M} - {timezone.localtime(slot.end):%H:%M} {slot.time_type.name}"

    log_in_citizen(page, CITIZEN)
    page.goto("/")
    page.get_by_role("link", name="Timeavtaler").first.click()  # step 1
    page.get_by_role("link", name="Bestill time").click()  # step 2
    expect(heading(page, "Hvem vil du bestille time hos?")).to_be_visible()
    page.get_by_role("link", name=CONTACT).click()  # step 3
    expect(heading(page, "Hva trenger du?")).to_be_visible()
    page.get_by_role("radio", name="Konsultasjon med fastlegen").check()  # step 4
    page.get_by_role("button", name="Neste").click()

    expect(heading(page, "Timebestilling hos fastlegen")).to_be_visible()  # step 5
    expect(page.get_by_text("Velg ett av alternativene")).to_be_visible()
    check("step 5: kartleggingsskjema")
    page.get_by_role("group", name="Hva gjelder timebestillingen?").get_by_label("Kontroll").check()
    page.get_by_role("button", name="Neste").click()

    expect(heading(page, "Timebestilling: Velg time")).to_be_visible()  # step 6
    expect(page.get_by_text("Alle felt må fylles ut")).to_be_visible()
    expect(page.get_by_text("Informasjon fra legekontoret")).to_be_visible()
    check("step 6: velg behandler")
    page.get_by_role("group", name="Velg behandler ved DDFL CGM Test").get_by_label(FASTLEGE).check()
    page.get_by_role("button", name="Neste").click()
    expect(page.get_by_text(f"{FASTLEGE}, Timebok Test")).to_be_visible()
    page.locator(f'{FREE_DAY}[href$="dag={local.date().isoformat()}"]').click()
    expect(heading(page, f"Ledige timer {short_date(local.date())}", level=2)).to_be_visible()
    if slot.time_type.mode == "video":
        expect(
            page.get_by_text("Videotime egner seg hvis du ikke trenger å ta prøver eller undersøkelser.")
        ).to_be_visible()
    check("step 6: calendar with the day's slots")
    page.get_by_role("link", name=label).click()

    expect(heading(page, "Se gjennom før du sender")).to_be_visible()  # step 7
    place = "Videotime" if slot.time_type.mode == "video" else "Legekontoret, hvis ikke annet er avtalt"
    for text in ("Time hos August", f"Oppmøtested: {place}", f"Type: {slot.time_type.name}", "Antatt varighet: 15 min",
                 "Henvendelsen vil bli journalført."):  # fmt: skip
        expect(page.get_by_text(text)).to_be_visible()
    reason = page.get_by_label("Hva gjelder det?")
    expect(reason).to_have_attribute("placeholder", "F. eks. magesmerter")
    check("step 7: se gjennom")
    reason.fill("Test")
    page.get_by_role("button", name="Send bestilling").click()

    expect(heading(page, "Timebestillingen er sendt")).to_be_visible()  # step 8
    expect(page.get_by_text("Du finner informasjon om timebestillingen i innboksen.")).to_be_visible()
    check("step 8: sendt")
    page.get_by_role("link", name="Gå til innboksen").click()

    expect(page.locator(".inbox__sender").get_by_text("August", exact=True).first).to_be_visible()  # step 9
    expect(page.get_by_text("Meldingen(e) er knyttet til en timeavtale").first).to_be_visible()
    page.get_by_role("link", name=re.compile("Se detaljer")).first.click()
    expect(page.get_by_text("Du har fått en ny timeavtale").first).to_be_visible()
    expect(
        page.get_by_text(
            f"Du har fått tildelt en timeavtale {long_date(local.date())} kl. {label.rsplit(' ', 1)[0]} hos August."
        )
    ).to_be_visible()
    expect(page.get_by_text("Denne meldingen kan ikke besvares.")).to_be_visible()
    check("step 9: the message")
    page.get_by_role("link", name="Vis timeavtale").click()

    expect(page.get_by_text("Behandler: Fastlege August September")).to_be_visible()  # step 10
    for text in ("Antatt varighet: 15 min", "Timen gjelder: Test", "Administrer timen", "Beskrivelse",
                 "Rettigheter i forbindelse med reise"):  # fmt: skip
        expect(page.get_by_text(text, exact=False).first).to_be_visible()
    expect(page.get_by_role("link", name="Legg i egen kalender")).to_be_visible()
    expect(page.get_by_role("link", name="Avbestill time")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Gå til Pasientreiser"))).to_be_visible()
    if slot.time_type.mode == "video":
        expect(
            heading(
                page,
                f"{long_date(local.date())} kl. {local:%H:%M}: Videotime hos DDFL CGM Test",
            )
        ).to_be_visible()
        expect(heading(page, "Dette er en videotime", level=2)).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("Se brukerveiledning"))).to_be_visible()
        expect(page.get_by_role("link", name="Start video")).to_have_attribute("href", re.compile(r"/video/\d+/$"))
    check("step 10: the appointment")


@pytest.fixture
def gp(transactional_db: None) -> GpOffice:
    """Committed, so the live server's thread sees it."""
    return gp_office(survey_choices="Sykdom\nKontroll\nAttest")


def test_the_ten_steps_for_a_konsultasjon(page: Page, gp: GpOffice) -> None:
    walk(page, gp, gp.slot(gp.konsultasjon, days=2, hour=14))


def test_the_ten_steps_for_a_videotime(page: Page, gp: GpOffice) -> None:
    gp.slot(gp.konsultasjon, days=2, hour=13)
    walk(page, gp, gp.slot(gp.video, days=2, hour=9))
