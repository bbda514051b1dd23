"""axe-core on every page a citizen sees on the way through the booking (DESIGN §5): no serious or critical
violation. One walk through the flow, checking each page as it is reached; the failure lists every page
with its violations, not only the first."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from booking.models import Appointment
from booking.services import appointment_cancel_by_clinic
from inbox.models import InboxMessage
from resourcebooks.models import Timebook
from tests.browser.citizen_flow import (
    FEBER_CHOICE,
    FEBER_CONTACT,
    FEBER_HER_ID,
    FREE_DAY,
    GP_CONTACT,
    GP_HER_ID,
    GP_TIMEBOOK,
    KURT,
    SLOT,
    choose_contact_and_timebook,
    heading,
)
from tests.browser.conftest import log_in_citizen, serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_server", "demo_data")]


def test_every_citizen_page_of_the_flow_has_no_serious_or_critical_axe_violations(page: Page) -> None:
    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        violations = serious_axe_violations(page)
        if violations:
            found[f"{name} ({page.url})"] = violations

    page.goto("/innlogging/")
    check("login")
    log_in_citizen(page, KURT)
    check("Timeavtaler")

    page.get_by_role("link", name="Bestill time").click()
    expect(heading(page, "Hvem vil du bestille time hos?")).to_be_visible()
    check("step 1: Hvem vil du bestille time hos?")
    page.get_by_role("link", name=GP_CONTACT).click()
    expect(heading(page, "Hva trenger du?")).to_be_visible()
    check("step 2 of «Ditt fastlegekontor», with the office's information")
    page.get_by_role("link", name="Tilbake").click()
    page.get_by_role("link", name="Bestill koronatest i annen kommune").click()
    check("Bestill koronatest i annen kommune")
    page.get_by_label("Velg kommune").select_option(label="Beste kommune")
    page.get_by_role("button", name="Vis tjenester").click()
    expect(page.get_by_role("heading", level=2, name="Hvem vil du bestille time hos?")).to_be_visible()
    check("Bestill koronatest i annen kommune, with a municipality chosen")

    gp_influensa = Timebook.objects.get(service__her_id=GP_HER_ID, name=GP_TIMEBOOK)
    page.goto(f"/bestill/{GP_HER_ID}/{gp_influensa.pk}/sted/")
    expect(heading(page, "Velg sted", level=2)).to_be_visible()
    check("Velg sted")

    page.goto("/timeavtaler/")
    choose_contact_and_timebook(page, FEBER_CONTACT, FEBER_CHOICE)
    check("Velg time")
    # The error of step 2 («Du må velge hva du trenger») is checked on the way back.
    page.get_by_role("link", name="Tilbake").click()
    page.get_by_role("button", name="Neste").click()
    expect(page.get_by_text("Du må velge hva du trenger")).to_be_visible()
    check("step 2: Hva trenger du? with the error")
    page.get_by_role("radio", name=FEBER_CHOICE, exact=True).check()
    page.get_by_role("button", name="Neste").click()

    first_free = page.locator(FREE_DAY).first
    label = first_free.get_attribute("aria-label") or ""
    first_free.click()
    expect(page.get_by_role("heading", level=2, name="Ledige timer")).to_be_visible()
    expect(page.locator(f'{FREE_DAY}[aria-current="date"]')).to_have_attribute("aria-label", label)
    check("Velg time with a day selected")
    page.get_by_text("Finner du ikke ledig time?").click()
    check("Velg time with «Finner du ikke ledig time?» open")

    page.locator(SLOT).first.click()
    expect(heading(page, "Se gjennom før du sender")).to_be_visible()
    check("review")
    page.get_by_role("button", name="Send bestilling").click()
    expect(page.locator(".field-error")).to_have_text("Du må skrive hva timen gjelder")
    check("review with «Du må skrive hva timen gjelder»")
    page.get_by_label("Hva gjelder det?").fill("Testmelding")
    page.get_by_role("button", name="Send bestilling").click()
    expect(heading(page, "Timebestillingen er sendt")).to_be_visible()
    check("sent")

    appointment = Appointment.objects.get(citizen__first_name="Kurt Håkon")
    page.goto(f"/timeavtaler/{appointment.pk}/")
    check("appointment")
    page.goto(f"/timeavtaler/{appointment.pk}/avbestill/")
    expect(heading(page, "Avbestill time")).to_be_visible()
    check("cancel")
    page.goto(f"/bestill/{FEBER_HER_ID}/")
    expect(page.get_by_role("radio", name=FEBER_CHOICE, exact=True)).to_be_disabled()
    check("step 2 with a timebook whose limit is reached")
    page.goto("/varsler/")
    expect(page.get_by_role("link", name="Gå til innboksen")).to_be_visible()
    check("Varsler with unread messages")

    page.goto("/innboks/")
    check("Innboks")
    message = InboxMessage.objects.get(appointment=appointment, subject="Du har fått en ny timeavtale")
    page.goto(f"/innboks/{message.pk}/")
    check("a message")
    assert appointment_cancel_by_clinic(appointment=appointment)  # «Avlyst»: no deadline stands in the way
    page.goto("/timeavtaler/")
    expect(page.get_by_role("heading", level=2, name="Avlyste og avbestilte timer")).to_be_visible()
    check("Timeavtaler with a cancelled appointment")

    page.goto(f"/bestill/{FEBER_HER_ID}/timeforesporsel/?timebok={appointment.slot.timebook_id}")
    expect(heading(page, "Send timeforespørsel")).to_be_visible()
    check("time request")
    page.get_by_role("button", name="Send timeforespørsel").click()
    expect(page.get_by_text("Du må skrive et emne")).to_be_visible()
    check("time request with «Du må skrive et emne»")
    page.get_by_label("Emne").fill("Vaksine")
    page.get_by_label("Foreslå ett eller flere tidspunkt som passer deg").fill("Fredag")
    page.get_by_role("button", name="Send timeforespørsel").click()
    expect(heading(page, "Timeavtaler")).to_be_visible()
    own = InboxMessage.objects.get(citizen__first_name="Kurt Håkon", kind=InboxMessage.Kind.TIME_REQUEST)
    page.goto(f"/innboks/{own.pk}/")
    check("a time request in Innboks")

    if found:
        report = "\n".join(f"{page_name}:\n" + "\n".join(v) for page_name, v in found.items())
        pytest.fail(f"axe-core found serious/critical violations:\n{report}", pytrace=False)


def test_the_fastlege_booking_pages_have_no_serious_or_critical_axe_violations(page: Page) -> None:
    """Source 003's new pages (kartleggingsskjema, «Velg behandler», the calendar with time types and the video
    note, «Se gjennom», «Timebestillingen er sendt», the message, the video appointment), on our own office."""
    from tests.browser.test_gp_booking import walk
    from tests.world import gp_office

    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        violations = serious_axe_violations(page)
        if violations:
            found[f"{name} ({page.url})"] = violations

    gp = gp_office(survey_choices="Sykdom\nKontroll\nAttest")
    gp.slot(gp.konsultasjon, days=2, hour=13)
    walk(page, gp, gp.slot(gp.video, days=2, hour=9), check=check)
    if found:
        report = "\n".join(f"{page_name}:\n" + "\n".join(v) for page_name, v in found.items())
        pytest.fail(f"axe-core found serious/critical violations:\n{report}", pytrace=False)
