from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from addressregistry.models import Organisation, Service
from resourcebooks.models import (
    ClinicSettings,
    Location,
    PatientBlock,
    Practitioner,
    Slot,
    StaffGroup,
    StaffMembership,
    Timebook,
    TimebookListEntry,
    TimeType,
    VikarAssignment,
    WeekTemplate,
)
from tests.factories.addressregistry import PRACTITIONER_PROCESSES, RESOURCE, OrganisationFactory, ServiceFactory
from tests.factories.users import UserFactory


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

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Timetype {n}")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
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

    organisation = factory.SubFactory(OrganisationFactory)
    national_id = "17858010039"  # synthetic test number (month + 80)
    reason = "Misbruk av tjenesten"


class TimebookListEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimebookListEntry

    timebook = factory.SubFactory(TimebookFactory)
    national_id = "17858010039"  # synthetic test number (month + 80)


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class StaffGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffGroup

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Gruppe {n}")


class ClinicSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClinicSettings

    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.GP_OFFICE)


class PractitionerFactory(factory.django.DjangoModelFactory):
    """A fastlege at a GP office: «August (Ddf - Tri) September<n>» (source 003's name; pass
    ``last_name="September"`` for the source's own)."""

    class Meta:
        model = Practitioner

    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.GP_OFFICE)
    her_id = factory.Sequence(lambda n: 8_800_000 + n)
    first_name = "August"
    middle_name = "(Ddf - Tri)"
    last_name = factory.Sequence(lambda n: f"September{n}")
    role = Practitioner.Role.FASTLEGE


class VikarAssignmentFactory(factory.django.DjangoModelFactory):
    """«Astrid Psa Info» standing in for a fastlege from yesterday on."""

    class Meta:
        model = VikarAssignment

    fastlege = factory.SubFactory(PractitionerFactory)
    vikar = factory.SubFactory(
        PractitionerFactory,
        organisation=factory.SelfAttribute("..fastlege.organisation"),
        first_name="Astrid",
        middle_name="Psa",
        last_name="Info",
        role=Practitioner.Role.VIKAR,
    )
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))


class PractitionerTimebookFactory(TimebookFactory):
    """A practitioner's own timebook (behandlertimebok) on a Fastlege service of the practitioner's office."""

    service = factory.LazyAttribute(
        lambda o: ServiceFactory(
            organisation=o.practitioner.organisation,
            service_type=Service.Type.FASTLEGE,
            processes=PRACTITIONER_PROCESSES,
        )
    )
    kind = Timebook.Kind.PRACTITIONER
    practitioner = factory.SubFactory(PractitionerFactory)
    type = ""
    name = factory.Sequence(lambda n: f"Timebok Test {n}")
