"""``seed_demo`` gives Helsenorge testlegekontor a fastlege to book with (sources 003 and 004)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from addressregistry.diagnosis import Offer, diagnose_service
from addressregistry.models import Service
from citizens.models import Citizen
from resourcebooks.models import ClinicSettings, Practitioner, Slot, Timebook, VikarAssignment
from resourcebooks.services import local_day_bounds

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=StringIO())


def test_the_fastlege_has_one_timebook_with_a_mixed_week(seeded):
    august = Practitioner.objects.get(first_name="August", last_name="September")
    assert august.listed_name == "August (Ddf - Tri) September (fastlege)"
    timebook = Timebook.objects.get(practitioner=august)
    assert timebook.kind == Timebook.Kind.PRACTITIONER

    # The first whole day: today's slots start from now, so after 08:30 today has no Hastetime left.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    first = timebook.slots.filter(start__gte=local_day_bounds(tomorrow, tomorrow)[0]).order_by("start").first()
    monday = timezone.localtime(first.start).date()
    day = [
        f"{timezone.localtime(s.start):%H:%M} - {timezone.localtime(s.end):%H:%M} {s.time_type}"
        for s in Slot.objects.filter(timebook=timebook).select_related("time_type").order_by("start")
        if timezone.localtime(s.start).date() == monday
    ]
    assert {line.split(" ", 3)[-1] for line in day} == {"Hastetime", "Videotime", "Telefontime", "Konsultasjon"}
    assert "13:15 - 13:30 Konsultasjon" in day
    types = {t.name: t for t in timebook.time_types.all()}
    assert types["Videotime"].mode == "video" and types["Telefontime"].mode == "phone"
    assert types["Hastetime"].urgent and types["Konsultasjon"].duration_minutes == 15


def test_vikar_lis1_settings_and_the_list(seeded):
    august = Practitioner.objects.get(first_name="August", last_name="September")
    vikarer = {str(a.vikar) for a in VikarAssignment.objects.filter(fastlege=august, removed_at=None)}
    assert "Astrid Psa Info (vikar for fastlege)" in vikarer
    assert Practitioner.objects.filter(organisation=august.organisation, role=Practitioner.Role.LIS1).exists()

    office = ClinicSettings.objects.get(organisation=august.organisation)
    assert office.phone == "815 69 069"
    assert office.information and len(office.information) <= 300
    assert len(office.survey_choices.splitlines()) >= 3

    on_list = set(Citizen.objects.filter(fastlege=august).values_list("first_name", flat=True))
    assert {"Kurt Håkon", "Emma", "Ola", "Viktig"} <= on_list


def test_the_fastlege_service_diagnoses_clean_and_offers_august(seeded):
    diagnosis = diagnose_service(Service.objects.get(her_id=8100301))

    assert not diagnosis.has_errors, diagnosis.findings
    assert diagnosis.portal.offer is Offer.PRACTITIONER
    assert [tb.name for tb in diagnosis.portal.listed_timebooks] == ["Timebok Test"]
