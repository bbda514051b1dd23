"""The fastlege's dialogues and the «fastlegepanelet» (source 004, «Ved ferie og fravær», alternative 3): pure
functions first, then what NHN support sees on the service page when the processes are switched off."""

from __future__ import annotations

import pytest
from django.urls import reverse

from addressregistry.diagnosis import (
    BEHANDLEROVERSIKT,
    DIALOGUE_PROCESSES,
    E_KONSULTASJON,
    E_KONTAKT,
    RESEPTFORNYELSE,
    TIMEBESTILLING,
    TIMERESERVASJON,
    Level,
    ServiceSetup,
    TimebookFacts,
    diagnose,
    dialogue_availability,
)
from addressregistry.services import service_processes_apply
from tests.factories import RESOURCE, PractitionerTimebookFactory

BOOKING = frozenset({TIMEBESTILLING, TIMERESERVASJON, BEHANDLEROVERSIKT})
ALL_ON = BOOKING | set(DIALOGUE_PROCESSES)
ADVICE = (
    "Det anbefales ikke at alle tjenester skrus av, da «fastlegepanelet» ikke vil synes for pasienten lenger. "
    "Skru av e-konsultasjon, e-kontakt og reseptfornyelse, men la timebestilling være skrudd på."
)


def setup(processes, service_type="fastlege", timebooks=()) -> ServiceSetup:
    return ServiceSetup(
        her_id=8_000_001,
        name="Fastlege",
        service_type=service_type,
        organisation_name="Helsenorge testlegekontor",
        organisation_kind="gp_office",
        processes=frozenset(processes),
        timebooks=tuple(timebooks),
    )


def finding(diagnosis, code):
    return next(f for f in diagnosis.findings if f.code == code)


# --- dialogue_availability --------------------------------------------------------------------------------------


def test_every_dialogue_is_available_when_its_process_is_on():
    assert dialogue_availability(frozenset(ALL_ON)) == {
        "e_kontakt": None,
        "e_konsultasjon": None,
        "reseptfornyelse": None,
    }


def test_a_dialogue_whose_process_is_off_says_why():
    availability = dialogue_availability(frozenset({TIMEBESTILLING, E_KONTAKT}))

    assert availability == {
        "e_kontakt": None,
        "e_konsultasjon": "E-konsultasjon er ikke aktivert i Adresseregisteret for tjenesten",
        "reseptfornyelse": "Reseptfornyelse er ikke aktivert i Adresseregisteret for tjenesten",
    }


def test_no_processes_means_no_dialogue():
    availability = dialogue_availability(frozenset())

    assert list(availability) == ["e_kontakt", "e_konsultasjon", "reseptfornyelse"]
    assert availability["e_kontakt"] == "E-kontakt er ikke aktivert i Adresseregisteret for tjenesten"
    assert all(availability.values())


# --- The rules on plain values ----------------------------------------------------------------------------------


def test_all_dialogues_and_booking_on_gives_no_dialogue_finding():
    codes = diagnose(setup(ALL_ON)).codes

    assert "fastlege_dialogues_off" not in codes
    assert "fastlege_panel_hidden" not in codes


def test_booking_on_with_one_dialogue_off_is_a_warning_naming_what_the_citizen_misses():
    found = finding(diagnose(setup(ALL_ON - {E_KONSULTASJON})), "fastlege_dialogues_off")

    assert found.level is Level.WARNING
    assert "E-konsultasjon er skrudd av" in found.message
    assert "«Start e-konsultasjon»" in found.message
    assert "«Kontakt legekontoret»" not in found.message
    assert "«Forny resept»" not in found.message


def test_the_holiday_setup_is_a_warning_that_names_all_three_and_says_it_is_the_recommended_one():
    found = finding(diagnose(setup(BOOKING)), "fastlege_dialogues_off")

    assert found.level is Level.WARNING
    assert "E-kontakt, E-konsultasjon og Reseptfornyelse er alle skrudd av" in found.message
    assert "«Kontakt legekontoret», «Start e-konsultasjon» og «Forny resept»" in found.message
    assert "ved ferie eller fravær, er dette anbefalt oppsett" in found.fix
    assert "fastlege_panel_hidden" not in diagnose(setup(BOOKING)).codes


@pytest.mark.parametrize("processes", [frozenset(), frozenset({TIMERESERVASJON, BEHANDLEROVERSIKT})])
def test_everything_off_hides_the_fastlege_panel_and_gives_the_advice_of_source_004(processes):
    diagnosis = diagnose(setup(processes))

    found = finding(diagnosis, "fastlege_panel_hidden")
    assert found.level is Level.ERROR
    assert "«fastlegepanelet» vil ikke synes for pasienten lenger" in found.message
    assert found.fix.startswith(ADVICE)
    assert "fastlege_dialogues_off" not in diagnosis.codes


@pytest.mark.parametrize("still_on", [E_KONTAKT, E_KONSULTASJON, RESEPTFORNYELSE])
def test_one_dialogue_left_on_keeps_the_panel(still_on):
    assert "fastlege_panel_hidden" not in diagnose(setup({still_on})).codes


def test_the_dialogue_rules_are_for_fastlege_services_only():
    for processes in (frozenset(), frozenset(RESOURCE)):
        codes = diagnose(setup(processes, service_type="smittevern")).codes
        assert not codes & {"fastlege_dialogues_off", "fastlege_panel_hidden"}


def test_a_service_holding_a_practitioner_timebook_is_a_fastlege_service():
    book = TimebookFacts(name="Timebok Test", type="", kind="practitioner", practitioner_role="fastlege")

    diagnosis = diagnose(setup(BOOKING, service_type="legekontor", timebooks=[book]))

    assert finding(diagnosis, "fastlege_dialogues_off").level is Level.WARNING


# --- What NHN support sees ------------------------------------------------------------------------------------


def service_url(service) -> str:
    return reverse("addressregistry:service", args=[service.her_id])


def toggle(client, service, process: str) -> None:
    response = client.post(
        reverse("addressregistry:service_process_toggle", args=[service.her_id]), {"process": process, "active": "off"}
    )
    assert response.status_code == 302


def diagnosis_section(html: str) -> str:
    start = html.index('id="diagnosis-h"')
    return html[start : html.index('id="citizen-h"', start)]


@pytest.fixture
def fastlege_service(db):
    service = PractitionerTimebookFactory().service
    service_processes_apply(service=service, active=ALL_ON, changed_by=None, changed_by_label="test")
    return service


def test_the_service_page_shows_no_dialogue_finding_when_all_are_on(support_client, fastlege_service):
    section = diagnosis_section(support_client.get(service_url(fastlege_service)).content.decode())

    assert "fastlegepanelet" not in section
    assert "badge--error" not in section
    assert "badge--warning" not in section


def test_the_service_page_warns_when_e_kontakt_is_switched_off(support_client, fastlege_service):
    toggle(support_client, fastlege_service, E_KONTAKT)

    section = diagnosis_section(support_client.get(service_url(fastlege_service)).content.decode())

    assert '<span class="badge badge--warning">Advarsel</span>' in section
    assert "Timebestilling er aktivert, men E-kontakt er skrudd av på fastlegens tjeneste." in section
    assert "Pasienten ser derfor ikke «Kontakt legekontoret» i fastlegepanelet på Helsenorge." in section
    assert "badge--error" not in section


def test_the_service_page_shows_the_error_and_the_advice_when_every_service_is_off(support_client, fastlege_service):
    for process in (*DIALOGUE_PROCESSES, TIMEBESTILLING):
        toggle(support_client, fastlege_service, process)

    section = diagnosis_section(support_client.get(service_url(fastlege_service)).content.decode())

    assert '<span class="badge badge--error">Feil</span>' in section
    assert "«fastlegepanelet» vil ikke synes for pasienten lenger" in section
    assert f"<strong>Løsning:</strong> {ADVICE}" in section
    assert "Pasienten ser derfor ikke" not in section  # the warning gives way to the error
    first_badge = section.index("badge badge--")
    assert section[first_badge:].startswith("badge badge--error")
