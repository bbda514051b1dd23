"""The small shared world of the tests, built with ``tests.factories``: one municipal clinic, as in the sources.

- Helsenorge kommune, its service «Smittevern (Feberpoliklinikk Test)» with the processes of a resource timebook
  (Timebestilling, Timereservasjon, Ressursoversikt), the 5-minute timebook «Influensavaksine» with the time type
  of the same name, one place «Feberpoliklinikken» (attendance place «Feberpoliklinikk inngang A»);
- six free slots the day after tomorrow from 08:00 local time;
- a citizen living in the municipality (``world.citizen``); ``world.resident(…)`` makes more.

A test takes the ``world`` fixture (tests/conftest.py). A test that needs the clinic set up otherwise, or a
second clinic, calls ``build_world(…)`` with the timebook's fields it needs (``waiting_room_rate=1``,
``confirmation=…``, ``service=…``), ``slots=0`` for none, or ``organisation_name=…``. The names are the
sources' so that texts can be compared with them word for word (``ACTOR``, ``PLACE``).

The same module holds the GP office of source 003 (``gp_office()``: «DDFL CGM Test», its fastlege's own
timebook and time types, a citizen on his list) and, on it, the clinic of the dialogue tests with its staff
(``gp_clinic()``; the ``c`` fixture of tests/dialogues/conftest.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from addressregistry.diagnosis.facts import DIALOGUE_PROCESSES
from addressregistry.models import Organisation, Service
from addressregistry.services import service_processes_apply
from citizens.models import Citizen
from dialogues.models import Dialogue, Kind, Prescription
from dialogues.services import dialogue_start
from resourcebooks.models import (
    ClinicSettings,
    Location,
    Practitioner,
    Slot,
    StaffGroup,
    StaffMembership,
    Timebook,
    TimeType,
)
from tests.factories import (
    NO_PASSWORD,
    PRACTITIONER_PROCESSES,
    RESOURCE,
    CitizenFactory,
    ClinicSettingsFactory,
    LocationFactory,
    OrganisationFactory,
    PractitionerFactory,
    PrescriptionFactory,
    ServiceFactory,
    SlotFactory,
    StaffGroupFactory,
    StaffMembershipFactory,
    TimebookFactory,
    TimeTypeFactory,
)

OSLO = ZoneInfo("Europe/Oslo")
ACTOR = "Influensavaksine, Smittevern (Feberpoliklinikk Test), Helsenorge kommune"
PLACE = "Feberpoliklinikk inngang A"


def new_citizen(**fields: Any) -> Citizen:
    """A citizen who logs in with force_login or the test login (an unusable password spares the hashing)."""
    return CitizenFactory(user__password=NO_PASSWORD, **fields)


@dataclass
class World:
    organisation: Organisation
    service: Service
    timebook: Timebook
    location: Location
    time_type: TimeType
    slots: list[Slot]
    citizen: Citizen

    @property
    def municipality(self) -> Organisation:
        return self.organisation

    def resident(self, **fields: Any) -> Citizen:
        """Another citizen of the municipality, by default «Kurt Håkon» with a Norwegian mobile, SMS and push on,
        e-mail off."""
        fields.setdefault("first_name", "Kurt Håkon")
        fields.setdefault("phone", "+4741234567")
        return new_citizen(municipality=self.organisation, **fields)

    def slot(self, start: dt.datetime, minutes: int = 5) -> Slot:
        return SlotFactory(
            timebook=self.timebook, location=self.location, start=start, end=start + dt.timedelta(minutes=minutes)
        )

    def future_slot(self, days: int = 3, hour: int = 8, minute: int = 0) -> Slot:
        day = timezone.localdate() + dt.timedelta(days=days)
        return self.slot(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=OSLO))

    def fallback(self, *, clinic: bool = True, timebook: bool = True, time_types: bool = True) -> None:
        """Switch the clinic's own notifications (source 004) on or off at each of the three levels."""
        ClinicSettings.objects.update_or_create(
            organisation=self.organisation, defaults={"fallback_notifications": clinic}
        )
        self.timebook.fallback_notifications = timebook
        self.timebook.save(update_fields=["fallback_notifications"])
        self.timebook.time_types.update(fallback_notifications=time_types)


def build_world(*, slots: int = 6, organisation_name: str = "Helsenorge kommune", **timebook_fields: Any) -> World:
    if "service" in timebook_fields:
        service = timebook_fields.pop("service")
        organisation = service.organisation
    else:
        organisation = OrganisationFactory(name=organisation_name)
        service = ServiceFactory(
            organisation=organisation, name="Smittevern (Feberpoliklinikk Test)", processes=RESOURCE
        )
    timebook_fields.setdefault("name", "Influensavaksine")
    timebook = TimebookFactory(service=service, type="vaksine", **timebook_fields)
    time_type = TimeTypeFactory(organisation=organisation, name="Influensavaksine")
    timebook.time_types.add(time_type)
    location = LocationFactory(organisation=organisation, name="Feberpoliklinikken", attendance_place=PLACE)
    day = timezone.localdate() + dt.timedelta(days=2)
    first = dt.datetime.combine(day, dt.time(8), tzinfo=OSLO)
    made = [
        SlotFactory(timebook=timebook, location=location, start=first + dt.timedelta(minutes=5 * i))
        for i in range(slots)
    ]
    return World(organisation, service, timebook, location, time_type, made, new_citizen(municipality=organisation))


# --- A GP office (source 003) and its staff (source 004) ------------------------------------------------------


@dataclass
class GpOffice:
    """«DDFL CGM Test» with the fastlege «August (Ddf - Tri) September», his timebook «Timebok Test», the time
    types Konsultasjon, Videotime, Telefontime and Hastetime, and a citizen on his list («Thomas Libront»)."""

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
        return SlotFactory(
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
    fastlege = PractitionerFactory(organisation=office, last_name="September")
    timebook = TimebookFactory(
        service=service,
        kind=Timebook.Kind.PRACTITIONER,
        practitioner=fastlege,
        name="Timebok Test",
        owner="",
        type="",
        description="",
    )

    def time_type(name: str, mode: str, *, urgent: bool = False) -> TimeType:
        tt = TimeTypeFactory(organisation=office, name=name, mode=mode, duration_minutes=15, urgent=urgent)
        timebook.time_types.add(tt)
        return tt

    values = {
        "information": "Dette er en tekst legekontoret selv kan legge til på opptil 300 tegn.",
        "phone": "815 69 069",
    }
    clinic_settings = ClinicSettingsFactory(organisation=office, **(values | settings))
    return GpOffice(
        office=office,
        service=service,
        fastlege=fastlege,
        timebook=timebook,
        location=LocationFactory(organisation=office, name="Legekontoret", attendance_place="DDFL Test(u)"),
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


Role = StaffMembership.Role


@dataclass
class GpClinic:
    """The GP office with all three dialogues on (source 004) and its staff: the fastlege as a user, a
    helsesekretær in the group «Resepsjonen», a nurse, and a member of another GP office."""

    gp: GpOffice
    doctor: Any  # the fastlege's user
    secretary: Any  # helsesekretær, in «Resepsjonen»
    nurse: Any  # sykepleier
    outsider: Any  # staff of another GP office
    reception: StaffGroup

    @property
    def citizen(self) -> Citizen:
        return self.gp.citizen

    def member(self, user: Any) -> StaffMembership:
        return StaffMembership.objects.get(user=user, organisation=self.gp.office)

    def staff(self, role: str = Role.LEGE, practitioner: Any = None, name: str = "Ansatt") -> Any:
        return StaffMembershipFactory(
            organisation=self.gp.office, role=role, practitioner=practitioner, user__first_name=name
        ).user

    def prescription(self, citizen: Citizen | None = None, medication: str = "Levaxin") -> Prescription:
        return PrescriptionFactory(
            citizen=citizen or self.citizen,
            medication=medication,
            strength="50 mikrog",
            prescribed_on=timezone.localdate() - dt.timedelta(days=100),
        )

    def send(self, kind: str = Kind.E_KONTAKT, *, person: Citizen | None = None, **fields: Any) -> Dialogue:
        person = person or self.citizen
        if kind == Kind.RESEPTFORNYELSE and "prescription_ids" not in fields:
            fields["prescription_ids"] = [self.prescription(person).pk]
        fields.setdefault("written_by", person)
        fields.setdefault("subject", "Spørsmål")
        fields.setdefault("body", "Hei, jeg lurer på noe.")
        return dialogue_start(person=person, kind=kind, **fields)


def gp_clinic() -> GpClinic:
    gp = gp_office()
    service_processes_apply(service=gp.service, active=(*PRACTITIONER_PROCESSES, *DIALOGUE_PROCESSES), changed_by=None)
    Citizen.objects.filter(pk=gp.citizen.pk).update(
        phone="+4741234567", email="thomas@example.test", notify_sms=True, notify_email=True, notify_push=True
    )
    gp.citizen.refresh_from_db()
    doctor = StaffMembershipFactory(
        organisation=gp.office, role=Role.LEGE, practitioner=gp.fastlege, user__first_name="August"
    ).user
    secretary_membership = StaffMembershipFactory(
        organisation=gp.office, role=Role.HELSESEKRETAER, user__first_name="Lars"
    )
    nurse = StaffMembershipFactory(organisation=gp.office, role=Role.SYKEPLEIER, user__first_name="Siri").user
    reception = StaffGroupFactory(organisation=gp.office, name="Resepsjonen")
    reception.members.add(secretary_membership)
    other = OrganisationFactory(kind=gp.office.kind, name="Annet legekontor")
    outsider = StaffMembershipFactory(organisation=other, role=Role.LEGE, user__first_name="Kommune").user
    return GpClinic(gp, doctor, secretary_membership.user, nurse, outsider, reception)
