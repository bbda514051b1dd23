"""The fastlege rules of source 004 as diagnosis findings: pure functions first, then through the stored models."""

from __future__ import annotations

import pytest
from django.urls import reverse

from addressregistry.diagnosis import (
    BEHANDLEROVERSIKT,
    RESSURSOVERSIKT,
    TIMEBESTILLING,
    TIMERESERVASJON,
    Level,
    Offer,
    ServiceSetup,
    TimebookFacts,
    diagnose,
    diagnose_service,
)
from resourcebooks.models import Practitioner
from tests.factories import PractitionerFactory, PractitionerTimebookFactory, TimeTypeFactory

FASTLEGE_PROCESSES = frozenset({TIMEBESTILLING, TIMERESERVASJON, BEHANDLEROVERSIKT})


def fastlege_book(**kwargs) -> TimebookFacts:
    values: dict = {
        "name": "Timebok Test",
        "type": "",
        "kind": "practitioner",
        "practitioner_name": "August (Ddf - Tri) September",
        "practitioner_role": "fastlege",
        "owner_timebook_count": 1,
        "online_time_type_count": 2,
    }
    values.update(kwargs)
    return TimebookFacts(**values)


def setup(*timebooks: TimebookFacts, processes=FASTLEGE_PROCESSES) -> ServiceSetup:
    return ServiceSetup(
        her_id=8_000_001,
        name="Fastlege",
        service_type="fastlege",
        organisation_name="Helsenorge testlegekontor",
        organisation_kind="gp_office",
        processes=frozenset(processes),
        timebooks=tuple(timebooks),
    )


def finding(diagnosis, code):
    return next(f for f in diagnosis.findings if f.code == code)


def test_a_correct_fastlege_service_has_no_error_and_offers_the_fastlege():
    diagnosis = diagnose(setup(fastlege_book()))

    assert not diagnosis.has_errors
    assert "mellomlosning" not in diagnosis.codes
    assert diagnosis.portal.offer is Offer.PRACTITIONER
    assert [tb.name for tb in diagnosis.portal.listed_timebooks] == ["Timebok Test"]
    assert any("«August (Ddf - Tri) September»" in line for line in diagnosis.portal.lines)


def test_own_fastlege_only_is_told_as_information():
    own = finding(diagnose(setup(fastlege_book())), "own_fastlege_only")

    assert own.level is Level.INFO
    assert "Pasienten kan kun bestille time i sin egen fastleges timebok" in own.message


@pytest.mark.parametrize("missing", [TIMERESERVASJON, BEHANDLEROVERSIKT])
def test_a_fastlege_service_needs_timebestilling_timereservasjon_and_behandleroversikt(missing):
    diagnosis = diagnose(setup(fastlege_book(), processes=FASTLEGE_PROCESSES - {missing}))

    found = finding(diagnosis, "fastlege_processes_missing")
    assert found.level is Level.ERROR
    assert missing.capitalize() in found.fix


def test_ressursoversikt_is_not_required_on_a_fastlege_service():
    diagnosis = diagnose(setup(fastlege_book(), processes=FASTLEGE_PROCESSES | {RESSURSOVERSIKT}))

    assert "resource_processes_missing" not in diagnosis.codes
    assert finding(diagnosis, "fastlege_ressursoversikt").level is Level.INFO


def test_a_fastlege_who_owns_two_timebooks_cannot_be_booked():
    diagnosis = diagnose(setup(fastlege_book(owner_timebook_count=2)))

    found = finding(diagnosis, "fastlege_several_timebooks")
    assert found.level is Level.ERROR
    assert "Fastlegen kan kun stå som eier av én timebok" in found.message
    assert diagnosis.portal.listed_timebooks == ()


def test_an_offline_practitioner_timebook_is_an_error():
    diagnosis = diagnose(setup(fastlege_book(online=False)))

    assert finding(diagnosis, "practitioner_timebook_offline").level is Level.ERROR
    assert diagnosis.portal.listed_timebooks == ()


def test_an_offline_time_type_is_a_warning_while_others_are_online():
    diagnosis = diagnose(setup(fastlege_book(offline_time_types=("Telefontime",), online_time_type_count=2)))

    found = finding(diagnosis, "time_type_offline")
    assert found.level is Level.WARNING
    assert "«Telefontime»" in found.message
    assert diagnosis.portal.listed_timebooks


def test_no_time_type_online_is_an_error():
    diagnosis = diagnose(setup(fastlege_book(offline_time_types=("Konsultasjon",), online_time_type_count=0)))

    assert finding(diagnosis, "time_type_offline").level is Level.ERROR
    assert diagnosis.portal.listed_timebooks == ()


def test_a_vikar_with_a_timebook_of_their_own_is_an_error():
    vikar = fastlege_book(name="Vikarbok", practitioner_name="Astrid Psa Info", practitioner_role="vikar")
    diagnosis = diagnose(setup(fastlege_book(), vikar))

    found = finding(diagnosis, "vikar_own_timebook")
    assert found.level is Level.ERROR
    assert "Vikaren kan ikke benytte egen timebok." in found.message
    assert [tb.name for tb in diagnosis.portal.listed_timebooks] == ["Timebok Test"]


def test_a_lis1_with_an_online_timebook_is_a_warning():
    lis1 = fastlege_book(name="LIS1-bok", practitioner_name="Lise Lege", practitioner_role="lis1")

    offline_lis1 = fastlege_book(name="LIS1-bok", practitioner_role="lis1", online=False)

    assert finding(diagnose(setup(fastlege_book(), lis1)), "lis1_online").level is Level.WARNING
    assert "lis1_online" not in diagnose(setup(fastlege_book(), offline_lis1)).codes


def test_a_fastlege_service_without_a_fastlege_timebook_is_a_warning():
    assert finding(diagnose(setup()), "no_fastlege_timebook").level is Level.WARNING


# --- Through the stored models -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_selector_tells_the_diagnosis_of_role_owner_count_and_offline_types():
    timebook = PractitionerTimebookFactory()
    org = timebook.service.organisation
    online = TimeTypeFactory(organisation=org, name="Konsultasjon")
    offline = TimeTypeFactory(organisation=org, name="Telefontime", online=False)
    timebook.time_types.set([online, offline])

    diagnosis = diagnose_service(timebook.service)

    assert not diagnosis.has_errors, diagnosis.findings
    assert finding(diagnosis, "time_type_offline").level is Level.WARNING
    assert diagnosis.portal.offer is Offer.PRACTITIONER


@pytest.mark.django_db
def test_a_second_timebook_for_the_same_fastlege_shows_on_the_service_page():
    timebook = PractitionerTimebookFactory()
    PractitionerTimebookFactory(practitioner=timebook.practitioner, service=timebook.service, name="Andre timebok")

    assert "fastlege_several_timebooks" in diagnose_service(timebook.service).codes


@pytest.mark.django_db
def test_a_vikar_owning_a_timebook_shows_on_the_service_page():
    fastlege_book_ = PractitionerTimebookFactory()
    vikar = PractitionerFactory(
        organisation=fastlege_book_.practitioner.organisation, first_name="Astrid", role=Practitioner.Role.VIKAR
    )
    PractitionerTimebookFactory(practitioner=vikar, service=fastlege_book_.service, name="Vikarens timebok")

    assert "vikar_own_timebook" in diagnose_service(fastlege_book_.service).codes


@pytest.mark.django_db
def test_support_reads_the_fastlege_findings_on_the_service_page(support_client):
    timebook = PractitionerTimebookFactory()
    PractitionerTimebookFactory(practitioner=timebook.practitioner, service=timebook.service, name="Andre timebok")

    response = support_client.get(reverse("addressregistry:service", args=[timebook.service.her_id]))

    text = response.content.decode()
    assert "Fastlegen kan kun stå som eier av én timebok." in text
    assert "Pasienten kan kun bestille time i sin egen fastleges timebok" in text
    assert "Behandlertimebok, eier August (Ddf - Tri)" in text
