"""The AR diagnosis over real timebooks: what resourcebooks tells it, and what the portal then lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from addressregistry.diagnosis import Level, Offer, diagnose_service
from addressregistry.models import Service
from resourcebooks.models import Slot
from resourcebooks.services import slots_publish
from tests.factories import RESOURCE, ServiceFactory, SlotFactory, TimebookFactory, TimeTypeFactory, WeekTemplateFactory

pytestmark = pytest.mark.django_db


def service(service_type: str = Service.Type.SMITTEVERN, processes=RESOURCE) -> Service:
    return ServiceFactory(service_type=service_type, processes=processes)


def timebook(on: Service, *, free_slot: bool = True, **kwargs):
    """A timebook on the service, with one free slot tomorrow unless told otherwise."""
    tb = TimebookFactory(service=on, **kwargs)
    if free_slot:
        add_slot(tb, timezone.now() + dt.timedelta(days=1))
    return tb


def add_slot(tb, start: dt.datetime, state: str = Slot.State.FREE) -> Slot:
    return SlotFactory(timebook=tb, start=start, end=start + dt.timedelta(minutes=15), state=state)


def finding(diagnosis, code: str):
    return next(f for f in diagnosis.findings if f.code == code)


def test_a_correct_smittevern_service_with_a_koronatest_timebook_with_free_slots_has_no_findings_and_lists_it():
    smittevern = service(Service.Type.SMITTEVERN)
    timebook(smittevern, type="koronatest", name="Koronatest1")

    d = diagnose_service(smittevern)

    assert d.findings == ()
    assert d.portal.offer is Offer.TIMEBOOKS
    assert d.portal.can_reserve
    assert [tb.name for tb in d.portal.listed_timebooks] == ["Koronatest1"]
    assert [tb.name for tb in d.portal.in_other_municipality] == ["Koronatest1"]
    assert "Under «Hva trenger du?» vises: «Koronatest1»." in d.portal.lines


def test_the_diagnosis_sees_the_timebooks_facts_from_the_database():
    smittevern = service()
    tb = timebook(smittevern, type="koronatest", name="Koronatest1")

    (facts,) = diagnose_service(smittevern).setup.timebooks

    assert (facts.id, facts.name, facts.type, facts.online) == (tb.pk, "Koronatest1", "koronatest", True)
    assert facts.has_future_free_slot is True
    assert facts.time_type_count == 1
    assert facts.is_practitioner_timebook is False


def test_a_koronatest_timebook_on_legevakt_gets_a_warning_and_is_shown_only_locally():
    legevakt = service(Service.Type.LEGEVAKT)
    timebook(legevakt, type="koronatest", name="Koronatest Legevakt")

    d = diagnose_service(legevakt)

    warning = finding(d, "koronatest_on_legevakt")
    assert warning.level is Level.WARNING
    assert warning.timebook == "Koronatest Legevakt"
    assert "vises bare lokalt" in warning.message
    assert d.codes == {"koronatest_on_legevakt"}
    (visibility,) = d.portal.timebooks
    assert visibility.listed
    assert visibility.local_only
    assert not visibility.in_other_municipality
    assert "«Koronatest Legevakt» vises bare for innbyggere i kommunen." in d.portal.lines


def test_an_online_timebook_without_a_future_free_slot_gets_no_free_slots_and_publishing_clears_it():
    smittevern = service()
    tb = timebook(smittevern, type="koronatest", name="Koronatest1", free_slot=False)

    before = diagnose_service(smittevern)

    assert before.codes == {"no_free_slots"}
    assert finding(before, "no_free_slots").level is Level.WARNING
    assert finding(before, "no_free_slots").timebook == "Koronatest1"
    assert [t.name for t in before.portal.listed_timebooks] == ["Koronatest1"]

    today = timezone.localdate()
    first, last = today + dt.timedelta(days=1), today + dt.timedelta(days=7)
    template = WeekTemplateFactory(
        timebook=tb,
        weekdays=[0, 1, 2, 3, 4, 5, 6],
        start_time=dt.time(8),
        end_time=dt.time(9),
        slot_minutes=15,
        valid_from=first,
        valid_to=last,
        skip_holidays=False,  # every day of the week counts, holiday or not
    )
    assert slots_publish(template=template, date_from=first, date_to=last, today=today).created == 28

    after = diagnose_service(smittevern)

    assert after.findings == ()
    assert after.setup.timebooks[0].has_future_free_slot is True


def test_past_free_slots_and_future_taken_slots_do_not_count_as_free():
    smittevern = service()
    tb = timebook(smittevern, type="koronatest", free_slot=False)
    tomorrow = timezone.now() + dt.timedelta(days=1)
    add_slot(tb, timezone.now() - dt.timedelta(days=1))
    add_slot(tb, tomorrow, state=Slot.State.HELD)
    add_slot(tb, tomorrow + dt.timedelta(hours=1), state=Slot.State.BOOKED)
    add_slot(tb, tomorrow + dt.timedelta(hours=2), state=Slot.State.WITHDRAWN)

    assert "no_free_slots" in diagnose_service(smittevern).codes


def test_a_timebook_with_two_time_types_gets_multiple_time_types_and_its_type_is_shown_blank():
    smittevern = service()
    tb = timebook(smittevern, type="koronatest", name="Koronatest1")
    organisation = smittevern.organisation
    tb.time_types.add(TimeTypeFactory(organisation=organisation), TimeTypeFactory(organisation=organisation))

    d = diagnose_service(smittevern)

    multiple = finding(d, "multiple_time_types")
    assert multiple.level is Level.WARNING
    assert "2 timetyper" in multiple.message
    assert d.setup.timebooks[0].time_type_count == 2
    assert d.portal.timebooks[0].type_shown_blank
    assert "Timetypen til «Koronatest1» vises blank." in d.portal.lines


def test_a_timebook_with_one_time_type_is_fine():
    smittevern = service()
    tb = timebook(smittevern, type="koronatest")
    tb.time_types.add(TimeTypeFactory(organisation=smittevern.organisation))

    d = diagnose_service(smittevern)

    assert "multiple_time_types" not in d.codes
    assert not d.portal.timebooks[0].type_shown_blank


def test_an_offline_timebook_is_not_listed():
    smittevern = service()
    timebook(smittevern, type="koronatest", name="Koronatest1")
    timebook(smittevern, type="koronatest", name="Koronatest2", online=False, free_slot=False)

    d = diagnose_service(smittevern)

    assert [t.name for t in d.portal.listed_timebooks] == ["Koronatest1"]
    offline = next(v for v in d.portal.timebooks if v.timebook.name == "Koronatest2")
    assert not offline.listed
    assert offline.why_not == "timeboken er ikke på nett"
    assert d.codes == {"timebook_offline"}
    assert finding(d, "timebook_offline").timebook == "Koronatest2"


def test_on_a_service_without_ressursoversikt_the_timebooks_are_not_listed():
    no_overview = service(processes=("timebestilling", "timereservasjon"))
    timebook(no_overview, type="koronatest", name="Koronatest1")

    d = diagnose_service(no_overview)

    assert d.portal.listed_timebooks == ()
    assert d.portal.offer is Offer.NOTHING
    assert d.portal.timebooks[0].why_not == "tjenesten viser ikke ressurstimebøker"
    assert "resource_processes_missing" in d.codes
    assert "Ressursoversikt" in finding(d, "resource_processes_missing").message


def test_a_service_with_ressursoversikt_and_no_timebooks_gets_no_timebooks():
    smittevern = service()
    timebook(service(), type="koronatest")  # another service's timebook does not count

    d = diagnose_service(smittevern)

    assert d.setup.timebooks == ()
    assert d.codes == {"no_timebooks"}
    assert "Under «Hva trenger du?» vises ingen timebøker." in d.portal.lines
