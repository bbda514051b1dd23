"""Source 003 in Chromium with a vikar (issue 22, defect 1 and the acceptance's walk): Kurt, acting for his
daughter Emma, books a Videotime with «Astrid Psa Info (vikar for fastlege)» chosen under «Velg behandler», and
every page after says Astrid: the review, the Innboks message, the appointment. Each page is photographed to
/tmp/shots/vikar-*.png to be looked at."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from booking.models import Appointment
from tests.browser.citizen_flow import FREE_DAY, heading, long_date
from tests.browser.conftest import log_in_citizen
from tests.browser.dialogue_flow import shot
from tests.factories import CitizenFactory, RepresentationFactory, VikarAssignmentFactory
from tests.world import GpOffice, gp_office

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_server", "transactional_db")]

KURT, EMMA = "Kurt Grytten", "Emma Grytten"
ASTRID = "Astrid Psa Info (vikar for fastlege)"
CONTACT = "Ditt fastlegekontor DDFL CGM Test"


@pytest.fixture
def gp(transactional_db: None) -> GpOffice:
    """The office with a survey and Astrid standing in for the fastlege; Emma on his list, Kurt her father."""
    office = gp_office(survey_choices="Sykdom\nKontroll\nSykmelding")
    VikarAssignmentFactory(fastlege=office.fastlege)
    emma = CitizenFactory(
        first_name="Emma",
        last_name="Grytten",
        birth_date=dt.date(2015, 5, 5),
        municipality=office.citizen.municipality,
        gp_office=office.office,
        fastlege=office.fastlege,
    )
    kurt = CitizenFactory(
        first_name="Kurt", last_name="Grytten", municipality=office.citizen.municipality, listed_on_test_login=True
    )
    RepresentationFactory(representative=kurt, represented=emma)
    return office


def test_kurt_books_a_videotime_for_emma_with_the_vikar_and_every_page_after_names_her(
    page: Page, gp: GpOffice
) -> None:
    slot = gp.slot(gp.video, days=2, hour=9)
    local = timezone.localtime(slot.start)
    label = f"{local:%H:%M} - {timezone.localtime(slot.end):%H:%M} Videotime"

    log_in_citizen(page, KURT)
    page.get_by_label("Du bruker Helsenorge på vegne av").select_option(label=f"{EMMA} (foreldreansvar)")
    page.get_by_role("button", name="Bytt person").click()
    expect(page.get_by_text(f"Du bruker nå Helsenorge på vegne av {EMMA}.")).to_be_visible()
    page.get_by_role("link", name="Bestill time").click()
    page.get_by_role("link", name=CONTACT).click()
    page.get_by_role("radio", name="Konsultasjon med fastlegen").check()
    page.get_by_role("button", name="Neste").click()
    page.get_by_role("group", name="Hva gjelder timebestillingen?").get_by_label("Sykmelding").check()
    shot(page, "vikar-1-kartlegging")
    page.get_by_role("button", name="Neste").click()

    behandler = page.get_by_role("group", name="Velg behandler ved DDFL CGM Test")
    expect(behandler.get_by_label(ASTRID)).to_be_visible()
    behandler.get_by_label(ASTRID).check()
    shot(page, "vikar-2-velg-behandler")
    page.get_by_role("button", name="Neste").click()
    expect(page.get_by_text(f"{ASTRID}, Timebok Test")).to_be_visible()
    page.locator(f'{FREE_DAY}[href$="dag={local.date().isoformat()}"]').click()
    shot(page, "vikar-3-kalender")
    page.get_by_role("link", name=label).click()

    expect(heading(page, "Se gjennom før du sender")).to_be_visible()
    expect(page.get_by_text("Time hos Astrid")).to_be_visible()
    expect(page.get_by_text("Oppmøtested: Videotime")).to_be_visible()
    page.get_by_label("Hva gjelder det?").fill("Sykmelding")
    shot(page, "vikar-4-se-gjennom")
    page.get_by_role("button", name="Send bestilling").click()

    expect(heading(page, "Timebestillingen er sendt")).to_be_visible()
    page.get_by_role("link", name="Gå til innboksen").click()
    shot(page, "vikar-5-innboks")
    page.locator("a", has_text="Se detaljer").first.click()
    expect(
        page.get_by_text(
            f"Du har fått tildelt en timeavtale {long_date(local.date())} kl. {label.rsplit(' ', 1)[0]} hos Astrid."
        )
    ).to_be_visible()
    expect(page.get_by_text("August")).to_have_count(0)
    shot(page, "vikar-6-melding")
    page.get_by_role("link", name="Vis timeavtale").click()

    expect(page.get_by_text("Behandler: Vikar for fastlege Astrid Info")).to_be_visible()
    expect(heading(page, f"{long_date(local.date())} kl. {local:%H:%M}: Videotime hos DDFL CGM Test")).to_be_visible()
    expect(page.get_by_text("Oppmøtested: Videotime")).to_be_visible()
    shot(page, "vikar-7-timeavtale")
    booked = Appointment.objects.get(slot=slot)
    assert (booked.citizen.full_name, booked.booked_by.full_name, booked.behandler.first_name) == (EMMA, KURT, "Astrid")
