"""Factories and a GP office for booking with the fastlege (issue 13, source 003): «DDFL CGM Test» with the
fastlege «August (Ddf - Tri) September», his timebook «Timebok Test», time types Konsultasjon, Videotime,
Telefontime and Hastetime, and a citizen on his list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import factory
from django.utils import timezone

from addressregistry.models import Organisation, Service
from citizens.models import Citizen
from resourcebooks.models import ClinicSettings, Location, Practitioner, Slot, Timebook, TimeType, VikarAssignment
from tests.addressregistry.factories import OrganisationFactory, ServiceFactory
from tests.booking.factories import CitizenFactory

PRACTITIONER_PROCESSES = ("timebestilling", "timereservasjon", "behandleroversikt")


class PractitionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practitioner

    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.GP_OFFICE)
    her_id = factory.Sequence(lambda n: 7_000_000 + n)
    first_name = "August"
    middle_name = "(Ddf - Tri)"
    last_name = "September"
    role = Practitioner.Role.FASTLEGE


class VikarAssignmentFactory(factory.django.DjangoModelFactory):
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


@dataclass
class GpOffice:
    office: Organisation
    service: Service
    fastlege: Practitioner
    timebook: Timebook
    location: Location
    settings: ClinicSettings
    konsultasjon: TimeType
    video: TimeType
    phone: TimeType
    urgent: TimeType
    citizen: Citizen

    def slot(self, time_type: TimeType | None = None, *, days: int = 3, hour: int = 14, minutes: int = 0) -> Slot:
        """A free slot ``days`` from today at ``hour:minutes`` local time, 15 minutes long."""
        day = timezone.localdate() + dt.timedelta(days=days)
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minutes)))
        return Slot.objects.create(
            timebook=self.timebook,
            location=self.location,
            time_type=time_type or self.konsultasjon,
            start=start,
            end=start + dt.timedelta(minutes=15),
        )


def gp_office(**settings: object) -> GpOffice:
    """A GP office whose «Konsultasjon med fastlegen» books in the fastlege's own timebook."""
    municipality = OrganisationFactory()
    office = OrganisationFactory(kind=Organisation.Kind.GP_OFFICE, name="DDFL CGM Test")
    service = ServiceFactory(
        organisation=office,
        service_type=Service.Type.FASTLEGE,
        name="Fastlege",
        phone="815 69 069",
        processes=PRACTITIONER_PROCESSES,
    )
    fastlege = PractitionerFactory(organisation=office)
    timebook = Timebook.objects.create(
        service=service, kind=Timebook.Kind.PRACTITIONER, practitioner=fastlege, name="Timebok Test", owner=""
    )

    def time_type(name: str, mode: str, *, urgent: bool = False) -> TimeType:
        tt = TimeType.objects.create(organisation=office, name=name, mode=mode, duration_minutes=15, urgent=urgent)
        timebook.time_types.add(tt)
        return tt

    values = {
        "information": "Dette er en tekst legekontoret selv kan legge til på opptil 300 tegn.",
        "phone": "815 69 069",
    }
    clinic_settings = ClinicSettings.objects.create(organisation=office, **(values | settings))
    return GpOffice(
        office=office,
        service=service,
        fastlege=fastlege,
        timebook=timebook,
        location=Location.objects.create(organisation=office, name="Legekontoret", attendance_place="DDFL Test(u)"),
        settings=clinic_settings,
        konsultasjon=time_type("Konsultasjon", TimeType.Mode.IN_PERSON),
        video=time_type("Videotime", TimeType.Mode.VIDEO),
        phone=time_type("Telefontime", TimeType.Mode.PHONE),
        urgent=time_type("Hastetime", TimeType.Mode.IN_PERSON, urgent=True),
        citizen=CitizenFactory(
            first_name="Thomas",
            last_name="Libront",
            municipality=municipality,
            gp_office=office,
            fastlege=fastlege,
            listed_on_test_login=True,
        ),
    )
