"""axe-core on the clinic staff's key admin pages (issue 7: accessibility everywhere)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from booking.models import Appointment
from booking.services import appointment_book_by_clinic
from citizens.models import Citizen
from resourcebooks.models import ClinicSettings, Slot, Timebook, WeekTemplate
from tests.factories import AppointmentFactory

from .conftest import serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_data")]


def test_the_clinic_admins_key_pages_have_no_serious_or_critical_axe_violations(page: Page) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Brukernavn").fill("kommune-ansatt")
    page.get_by_label("Passord").fill("kommune-demo")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("link", name="Ressurstimebøker").first).to_be_visible()
    timebook = Timebook.objects.get(name="Influensavaksine")
    template = WeekTemplate.objects.filter(timebook=timebook).first()
    assigned, _requested = _appointments(timebook)
    pages = [
        "/admin/",
        "/admin/resourcebooks/timebook/",
        f"/admin/resourcebooks/timebook/{timebook.pk}/change/",
        f"/admin/resourcebooks/timebook/{timebook.pk}/dag/",
        f"/admin/resourcebooks/timebook/{timebook.pk}/belegg/",
        "/admin/resourcebooks/weektemplate/add/",
        f"/admin/resourcebooks/weektemplate/{template.pk}/change/",
        f"/admin/resourcebooks/weektemplate/{template.pk}/publiser/",
        "/admin/resourcebooks/slot/",
        "/admin/booking/appointment/",
        f"/admin/booking/appointment/{assigned.pk}/change/",
        "/admin/booking/invitationcampaign/add/",
    ]
    found = {}
    for path in pages:
        page.goto(path)
        violations = serious_axe_violations(page)
        if violations:
            found[path] = violations
    # «Avvis forespørsel» asks for the reason on a page of its own.
    page.goto("/admin/booking/appointment/?status__exact=requested")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("reject")
    page.get_by_role("button", name="Gå", exact=True).click()
    expect(page.get_by_label("Begrunnelse til pasienten")).to_be_visible()
    if violations := serious_axe_violations(page):
        found["avvis forespørsel"] = violations
    assert not found, "\n".join(f"{path}:\n" + "\n".join(v) for path, v in found.items())


def _appointments(timebook: Timebook) -> tuple[Appointment, Appointment]:
    """Kurt on a time (assigned by the clinic), and Viktig's request still waiting for an answer."""
    free = Slot.objects.filter(timebook=timebook, state=Slot.State.FREE).order_by("start")
    kurt, viktig = Citizen.objects.get(first_name="Kurt Håkon"), Citizen.objects.get(first_name="Viktig")
    assigned = appointment_book_by_clinic(person=kurt, slot=free[10], reason="Influensavaksine")
    slot = free[20]
    Slot.objects.filter(pk=slot.pk).update(state=Slot.State.HELD)
    requested = AppointmentFactory(slot=slot, citizen=viktig, booked_by=viktig, reason="Vaksine")
    return assigned, requested


def test_the_gp_offices_pages_have_no_serious_or_critical_axe_violations(page: Page) -> None:
    """The fastlege's week, practitioners, vikar, «Tilpass Helsenorge», «Sett opp pasient på time», «Flytt time»."""
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Brukernavn").fill("legekontor-ansatt")
    page.get_by_label("Passord").fill("legekontor-demo")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("link", name="Ressurstimebøker").first).to_be_visible()
    timebook = Timebook.objects.get(name="Timebok Test")
    video = Slot.objects.filter(timebook=timebook, state=Slot.State.FREE, time_type__name="Videotime").order_by("start")
    kurt = Citizen.objects.get(first_name="Kurt Håkon")
    appointment = appointment_book_by_clinic(person=kurt, slot=video[5], reason="Kontroll")
    day = appointment.slot.start.date().isoformat()
    august = timebook.practitioner
    assert august is not None
    settings = ClinicSettings.objects.get(organisation=august.organisation)
    pages = [
        f"/admin/resourcebooks/timebook/{timebook.pk}/uke/?dato={day}",
        f"/admin/resourcebooks/timebook/{timebook.pk}/dag/?dato={day}",
        f"/admin/resourcebooks/timebook/{timebook.pk}/change/",
        "/admin/resourcebooks/practitioner/",
        f"/admin/resourcebooks/practitioner/{august.pk}/change/",
        "/admin/resourcebooks/vikarassignment/",
        f"/admin/resourcebooks/clinicsettings/{settings.pk}/change/",
        "/admin/booking/appointment/sett-opp/",
        f"/admin/booking/appointment/{appointment.pk}/change/",
    ]
    found = {}
    for path in pages:
        page.goto(path)
        if violations := serious_axe_violations(page):
            found[path] = violations
    for path, action, label in (
        ("/admin/resourcebooks/practitioner/?role__exact=fastlege", "set_vikar", "Vikar"),
        (f"/admin/booking/appointment/?slot__timebook__id__exact={timebook.pk}", "move", "Ny time"),
    ):
        page.goto(path)
        page.locator("input[name=_selected_action]").first.check()
        page.locator("select[name=action]").select_option(action)
        page.get_by_role("button", name="Gå", exact=True).click()
        expect(page.get_by_label(label)).to_be_visible()
        if violations := serious_axe_violations(page):
            found[action] = violations
    assert not found, "\n".join(f"{path}:\n" + "\n".join(v) for path, v in found.items())
