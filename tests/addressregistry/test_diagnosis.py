"""Every rule of the AR setup diagnosis (DESIGN.md §3), on plain values: no database."""

from __future__ import annotations

import pytest

from addressregistry.diagnosis import (
    Level,
    Offer,
    ServiceSetup,
    TimebookFacts,
    diagnose,
)

TB, TR, RO, BO = "timebestilling", "timereservasjon", "ressursoversikt", "behandleroversikt"
CORRECT = frozenset({TB, TR, RO})


def setup(
    processes=CORRECT,
    service_type="smittevern",
    kind="municipality",
    timebooks=None,
    name="Smittevern (Feberpoliklinikk Test)",
) -> ServiceSetup:
    return ServiceSetup(
        her_id=1,
        name=name,
        service_type=service_type,
        organisation_name="Helsenorge kommune",
        organisation_kind=kind,
        processes=frozenset(processes),
        timebooks=None if timebooks is None else tuple(timebooks),
    )


def tb(name="Influensavaksine", type="vaksine", **kw) -> TimebookFacts:
    return TimebookFacts(name=name, type=type, **kw)


def test_correct_setup_has_no_findings_and_lists_the_service_with_its_timebooks():
    d = diagnose(setup(service_type="smittevern", timebooks=[tb("Koronatest1", "koronatest")]))
    assert d.findings == ()
    assert d.portal.has_bestill_time
    assert d.portal.offer is Offer.TIMEBOOKS
    assert d.portal.can_reserve
    assert [t.name for t in d.portal.listed_timebooks] == ["Koronatest1"]
    assert "«Helsenorge kommune Smittevern (Feberpoliklinikk Test)»" in d.portal.lines[0]


def test_without_timebestilling_there_is_no_bestill_time_button():
    d = diagnose(setup(processes={TR, RO}))
    assert "timebestilling_missing" in d.codes
    finding = next(f for f in d.findings if f.code == "timebestilling_missing")
    assert finding.level is Level.ERROR
    assert "«Bestill time»" in finding.message
    assert finding.fix == "Aktiver Timebestilling på tjenesten."
    assert not d.portal.has_bestill_time
    assert d.portal.offer is Offer.NOTHING
    assert d.portal.listed_timebooks == ()


def test_a_service_with_no_booking_processes_at_all_is_information_not_an_error():
    d = diagnose(setup(processes={"e_kontakt"}, service_type="helsestasjon"))
    assert d.codes == {"no_booking"}
    assert not d.has_errors
    assert not d.portal.has_bestill_time


@pytest.mark.parametrize(
    ("processes", "missing", "effect"),
    [
        ({TB, RO}, "Timereservasjon", "bestillingen ikke kan sendes"),
        ({TB, TR}, "Ressursoversikt", "timebøkene ikke listes"),
        ({TB}, "Timereservasjon og Ressursoversikt", "timebøkene ikke listes"),
    ],
)
def test_resource_booking_needs_all_three_processes(processes, missing, effect):
    d = diagnose(setup(processes=processes))
    finding = next(f for f in d.findings if f.code == "resource_processes_missing")
    assert finding.level is Level.ERROR
    assert f"Mangler: {missing}." in finding.message
    assert effect in finding.message
    assert finding.fix == f"Aktiver {missing}."


def test_missing_timereservasjon_lists_the_timebooks_but_the_booking_cannot_be_sent():
    d = diagnose(setup(processes={TB, RO}, timebooks=[tb()]))
    assert d.portal.offer is Offer.TIMEBOOKS
    assert [t.name for t in d.portal.listed_timebooks] == ["Influensavaksine"]
    assert not d.portal.can_reserve
    assert any("Timereservasjon ikke er aktivert" in line for line in d.portal.lines)


def test_missing_ressursoversikt_lists_no_timebooks():
    d = diagnose(setup(processes={TB, TR}, timebooks=[tb()]))
    assert d.portal.offer is Offer.NOTHING
    assert d.portal.listed_timebooks == ()
    assert d.portal.timebooks[0].why_not


def test_mellomlosning_shows_a_practitioner_role_instead_of_timebooks_and_says_how_to_fix_it():
    d = diagnose(setup(processes={TB, TR, RO, BO}, timebooks=[tb("Koronatest1", "koronatest")]))
    finding = next(f for f in d.findings if f.code == "mellomlosning")
    assert finding.level is Level.ERROR
    assert "Helsefaglig kontakt" in finding.message
    assert finding.fix == "Slå på Ressursoversikt og Timebestilling, og slå av Behandleroversikt."
    assert d.portal.offer is Offer.PRACTITIONER_ROLE
    assert d.portal.listed_timebooks == ()


def test_old_mellomlosning_without_ressursoversikt_reports_both_problems():
    d = diagnose(setup(processes={TB, TR, BO}))
    assert {"mellomlosning", "resource_processes_missing"} <= d.codes
    assert d.portal.offer is Offer.PRACTITIONER_ROLE


def test_behandleroversikt_on_a_gp_service_without_timebooks_is_ordinary_practitioner_booking():
    d = diagnose(setup(processes={TB, TR, BO}, service_type="fastlege", kind="gp_office", timebooks=[]))
    assert not d.has_errors
    assert d.portal.offer is Offer.PRACTITIONER


def test_koronatest_on_legevakt_is_shown_only_locally():
    d = diagnose(setup(service_type="legevakt", timebooks=[tb("Koronatest1", "koronatest")]))
    finding = next(f for f in d.findings if f.code == "koronatest_on_legevakt")
    assert finding.level is Level.WARNING
    assert finding.timebook == "Koronatest1"
    assert "bare lokalt" in finding.message
    visibility = d.portal.timebooks[0]
    assert visibility.listed and visibility.local_only and not visibility.in_other_municipality


def test_every_timebook_type_under_smittevern_appears_in_bestill_koronatest_i_annen_kommune():
    d = diagnose(setup(service_type="smittevern", timebooks=[tb("Influensavaksine", "vaksine"), tb("Lab", "lab")]))
    infos = [f for f in d.findings if f.code == "shown_in_other_municipality"]
    assert [f.timebook for f in infos] == ["Influensavaksine", "Lab"]
    assert all(f.level is Level.INFO for f in infos)
    assert [t.name for t in d.portal.in_other_municipality] == ["Influensavaksine", "Lab"]


def test_timebooks_outside_smittevern_are_not_in_the_other_municipality_search():
    d = diagnose(setup(service_type="vaksinasjon", timebooks=[tb("Covid-19 vaksinering", "koronavaksine")]))
    assert d.portal.in_other_municipality == ()
    assert not d.findings


@pytest.mark.parametrize(
    ("service_type", "tb_type", "code"),
    [
        ("vaksinasjon", "koronatest", "pairing_koronatest"),
        ("smittevern", "koronavaksine", "pairing_koronavaksine"),
        ("legevakt", "koronavaksine", "pairing_koronavaksine"),
        ("helsestasjon", "lab", "pairing_service"),
    ],
)
def test_recommended_pairings_are_advice_not_requirements(service_type, tb_type, code):
    d = diagnose(setup(service_type=service_type, timebooks=[tb("X", tb_type)]))
    finding = next(f for f in d.findings if f.code == code)
    assert finding.level is Level.INFO
    assert "anbefaling" in (finding.message + finding.fix).lower()
    assert not d.has_errors


def test_pairing_advice_is_for_municipalities_not_gp_offices():
    d = diagnose(setup(service_type="legekontor", kind="gp_office", timebooks=[tb("Koronatest", "koronatest")]))
    assert not d.findings


def test_a_resource_timebook_cannot_also_be_a_practitioner_timebook():
    d = diagnose(setup(timebooks=[tb("Kalender1", "koronatest", is_practitioner_timebook=True)]))
    finding = next(f for f in d.findings if f.code == "resource_and_practitioner")
    assert finding.level is Level.ERROR
    assert finding.timebook == "Kalender1"
    assert d.portal.listed_timebooks == ()


def test_several_time_types_make_the_type_show_as_blank():
    d = diagnose(setup(timebooks=[tb("Koronatest1", "koronatest", time_type_count=2)]))
    finding = next(f for f in d.findings if f.code == "multiple_time_types")
    assert finding.level is Level.WARNING
    assert "blank" in finding.message
    assert d.portal.timebooks[0].type_shown_blank
    assert d.portal.listed_timebooks  # it does not fail, the type is just blank
    assert any("vises blank" in line for line in d.portal.lines)


def test_an_offline_timebook_is_not_shown():
    d = diagnose(setup(timebooks=[tb("Koronatest1", "koronatest", online=False)]))
    assert "timebook_offline" in d.codes
    assert d.portal.listed_timebooks == ()


def test_an_online_timebook_with_no_future_free_slot_is_a_warning():
    d = diagnose(setup(timebooks=[tb("Koronatest1", "koronatest", has_future_free_slot=False)]))
    finding = next(f for f in d.findings if f.code == "no_free_slots")
    assert finding.level is Level.WARNING
    assert finding.fix == "Publiser timer fra en ukemal."


def test_ressursoversikt_without_any_timebook_is_a_warning_once_timebooks_are_known():
    assert "no_timebooks" in diagnose(setup(timebooks=[])).codes
    assert "no_timebooks" not in diagnose(setup(timebooks=None)).codes


def test_findings_come_errors_first():
    d = diagnose(
        setup(
            processes={TB, TR, BO},
            timebooks=[tb("A", "vaksine", time_type_count=3), tb("B", "koronatest", is_practitioner_timebook=True)],
        )
    )
    ranks = [f.level.rank for f in d.findings]
    assert ranks == sorted(ranks)
    assert d.worst_level is Level.ERROR
