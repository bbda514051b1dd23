"""«Journalsystemet støtter vikarløsningen» (issue 22, item 6): sources 003 and 004 disagree on whether the patient
sees a vikar under «Velg behandler», so it is the office's setting, on by default as in 003. Off, the citizen sees
the fastlege alone, a vikar's id sent by hand is refused, and AR support's page for the service says so and
previews the same list the citizen sees."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from resourcebooks.models import ClinicSettings
from tests.factories import VikarAssignmentFactory
from tests.pages import log_in, text_of
from tests.world import gp_office

pytestmark = pytest.mark.django_db

ASTRID = "Astrid Psa Info (vikar for fastlege)"


@pytest.fixture
def gp():
    office = gp_office()
    VikarAssignmentFactory(fastlege=office.fastlege)
    return office


def velg_behandler(client, gp, **query):
    return client.get(reverse("booking:practitioner", args=[gp.service.her_id]), query)


def support_page(support_client, gp) -> str:
    return text_of(support_client.get(reverse("addressregistry:service", args=[gp.service.her_id])))


def velg_behandler_drawn(html: str) -> tuple[str, list[tuple[str, bool]]]:
    """«Velg behandler»'s fieldset as drawn: its legend, and each choice's label and whether it is chosen."""
    fieldset = re.search(r"<fieldset[^>]*>.*?</fieldset>", html, re.S)
    assert fieldset, "no «Velg behandler» on the page"
    legend = re.search(r"<legend>\s*(.*?)\s*</legend>", fieldset.group(0), re.S).group(1)
    radios = re.findall(r"<input type=\"radio\"[^>]*?( checked)?><label[^>]*>(.*?)</label>", fieldset.group(0))
    return legend, [(label, bool(checked)) for checked, label in radios]


def test_support_previews_velg_behandler_drawn_by_the_citizens_own_template(client, support_client, gp):
    """Issue 22, item 9: the preview is the citizen's step, not a copy of it: the same legend, the same choices
    in the same order, the fastlege chosen; drawn disabled."""
    html = support_client.get(reverse("addressregistry:service", args=[gp.service.her_id])).content.decode()
    preview = html.split("Forhåndsvisning av steg 1 og 2")[-1]
    assert re.search(r"<fieldset[^>]*disabled", preview)
    log_in(client, gp.citizen)
    citizen = velg_behandler(client, gp).content.decode()
    drawn = velg_behandler_drawn(preview)
    assert drawn == velg_behandler_drawn(citizen)
    assert drawn == (f"Velg behandler ved {gp.office.name}", [(gp.fastlege.listed_name, True), (ASTRID, False)])


def test_by_default_the_vikar_is_listed_for_the_citizen_and_on_the_support_page(client, support_client, gp):
    assert ClinicSettings.objects.get(organisation=gp.office).vikar_solution is True
    page = support_page(support_client, gp)
    assert f"{gp.fastlege.listed_name} {ASTRID}" in page.split("Forhåndsvisning av steg 1 og 2")[-1]
    assert "Journalsystemet støtter vikarløsningen" in page

    log_in(client, gp.citizen)
    assert ASTRID in text_of(velg_behandler(client, gp))


def test_without_the_vikar_solution_the_citizen_sees_the_fastlege_alone(client, support_client, gp):
    ClinicSettings.objects.filter(organisation=gp.office).update(vikar_solution=False)
    vikar = gp.fastlege.vikar_assignments.get().vikar
    page = support_page(support_client, gp)  # the same client logs in as the citizen below
    preview = page.split("Forhåndsvisning av steg 1 og 2")[-1].split("Timebøker")[0]
    assert (
        "Journalsystemet støtter ikke vikarløsningen: det vil ikke synes for pasienten at fastlegen har vikar" in page
    )
    assert gp.fastlege.listed_name in preview and "Astrid" not in preview

    log_in(client, gp.citizen)
    text = text_of(velg_behandler(client, gp))

    assert gp.fastlege.listed_name in text and "Astrid" not in text
    refused = velg_behandler(client, gp, behandler=vikar.pk)
    assert refused.status_code == 400 and "Astrid" not in text_of(refused)


def test_the_setting_is_the_offices_in_the_clinic_admin(admin_client, gp):
    page = admin_client.get(reverse("admin:resourcebooks_clinicsettings_change", args=[gp.settings.pk]))

    assert "Journalsystemet støtter vikarløsningen" in page.content.decode()
