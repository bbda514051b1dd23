"""axe-core on the clinic staff's key admin pages (issue 7: accessibility everywhere)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from resourcebooks.models import Timebook, WeekTemplate

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
    pages = [
        "/admin/",
        "/admin/resourcebooks/timebook/",
        f"/admin/resourcebooks/timebook/{timebook.pk}/change/",
        f"/admin/resourcebooks/timebook/{timebook.pk}/dag/",
        f"/admin/resourcebooks/timebook/{timebook.pk}/belegg/",
        "/admin/resourcebooks/weektemplate/add/",
        f"/admin/resourcebooks/weektemplate/{template.pk}/publiser/",
        "/admin/resourcebooks/slot/",
        "/admin/booking/appointment/",
        "/admin/booking/invitationcampaign/add/",
    ]
    found = {}
    for path in pages:
        page.goto(path)
        violations = serious_axe_violations(page)
        if violations:
            found[path] = violations
    assert not found, "\n".join(f"{path}:\n" + "\n".join(v) for path, v in found.items())
