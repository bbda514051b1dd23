from __future__ import annotations

import datetime as dt

import factory

from addressregistry.models import Organisation, Service
from resourcebooks.models import (
    Location,
    PatientBlock,
    Practitioner,
    Slot,
    StaffMembership,
    Timebook,
    TimeType,
    WeekTemplate,
)
from tests.addressregistry.factories import RESOURCE, ServiceFactory

PRACTITIONER = ("timebestilling", "timereservasjon", "behandleroversikt")


class TimebookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Timebook

    service = factory.SubFactory(ServiceFactory, processes=RESOURCE)
    type = "vaksine"
    name = factory.Sequence(lambda n: f"Influensavaksine {n}")
    description = "Dette er en tekst som kan egendefines i journalsystemet på maks 200 tegn"


class TimeTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeType

    organisation = factory.SubFactory("tests.addressregistry.factories.OrganisationFactory")
    name = factory.Sequence(lambda n: f"Timetype {n}")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory("tests.addressregistry.factories.OrganisationFactory")
    name = factory.Sequence(lambda n: f"Sted {n}")
    attendance_place = "Feberpoliklinikk inngang A"


class WeekTemplateFactory(factory.django.DjangoModelFactory):
    """Weekdays 08:00–16:00 in 5-minute slots at a location of the timebook's organisation."""

    class Meta:
        model = WeekTemplate

    timebook = factory.SubFactory(TimebookFactory)
    location = factory.LazyAttribute(lambda o: LocationFactory(organisation=o.timebook.service.organisation))
    weekdays = factory.LazyFunction(lambda: [0, 1, 2, 3, 4])
    start_time = dt.time(8)
    end_time = dt.time(16)
    slot_minutes = 5
    valid_from = dt.date(2026, 1, 1)
    valid_to = dt.date(2030, 12, 31)


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    timebook = factory.SubFactory(TimebookFactory)
    location = factory.LazyAttribute(lambda o: LocationFactory(organisation=o.timebook.service.organisation))
    start = factory.LazyFunction(lambda: dt.datetime(2030, 1, 7, 8, 0, tzinfo=dt.UTC))
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(minutes=5))
    state = Slot.State.FREE


class PatientBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientBlock

    organisation = factory.SubFactory("tests.addressregistry.factories.OrganisationFactory")
    national_id = "17858010039"  # synthetic test number (month + 80)
    reason = "Misbruk av tjenesten"


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory("tests.conftest.UserFactory")
    organisation = factory.SubFactory("tests.addressregistry.factories.OrganisationFactory")


class PractitionerFactory(factory.django.DjangoModelFactory):
    """A fastlege at a GP office («August (Ddf - Tri) September»)."""

    class Meta:
        model = Practitioner

    organisation = factory.SubFactory(
        "tests.addressregistry.factories.OrganisationFactory", kind=Organisation.Kind.GP_OFFICE
    )
    her_id = factory.Sequence(lambda n: 8_800_000 + n)
    first_name = "August"
    middle_name = "(Ddf - Tri)"
    last_name = factory.Sequence(lambda n: f"September{n}")
    role = Practitioner.Role.FASTLEGE


class PractitionerTimebookFactory(TimebookFactory):
    """A practitioner's own timebook (behandlertimebok) on a Fastlege service of the practitioner's office."""

    service = factory.LazyAttribute(
        lambda o: ServiceFactory(
            organisation=o.practitioner.organisation, service_type=Service.Type.FASTLEGE, processes=PRACTITIONER
        )
    )
    kind = Timebook.Kind.PRACTITIONER
    practitioner = factory.SubFactory(PractitionerFactory)
    type = ""
    name = factory.Sequence(lambda n: f"Timebok Test {n}")
