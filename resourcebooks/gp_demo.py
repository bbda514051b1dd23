"""The demo GP office's side (sources 003 and 004): the fastlege «August (Ddf - Tri) September» with one practitioner
timebook and a mixed week, his vikarer, a LIS1, and the office's «Tilpass Helsenorge» settings.

Idempotent: keyed by HER-id and name; publishing twice creates nothing new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from addressregistry.models import Organisation, Service

from .models import ClinicSettings, Location, Practitioner, Timebook, TimeType, VikarAssignment, WeekTemplate
from .services import slots_publish

GP_OFFICE_HER_ID = 8100300
FASTLEGE_SERVICE_HER_ID = 8100301
FASTLEGE_HER_ID = 8100310
MON_FRI = [0, 1, 2, 3, 4]
OFFICE_TEXT = "Dette er en tekst legekontoret selv kan legge til på opptil 300 tegn."
SURVEY_CHOICES = ("Ny plage eller sykdom", "Kontroll eller oppfølging", "Sykmelding", "Annet")

# her_id, first, middle, last, role (source 003: «Velg behandler ved …» lists the fastlege and his vikarer)
PRACTITIONERS = (
    (FASTLEGE_HER_ID, "August", "(Ddf - Tri)", "September", Practitioner.Role.FASTLEGE),
    (8100311, "Astrid", "Psa", "Info", Practitioner.Role.VIKAR),
    (8100312, "Ingar", "", "Udnæs", Practitioner.Role.VIKAR),
    (8100313, "Line", "", "Lisen", Practitioner.Role.LIS1),
)
VIKARER = (8100311, 8100312)


@dataclass(frozen=True)
class DemoTimeType:
    name: str
    mode: str
    urgent: bool = False
    description: str = ""


TIME_TYPES = (
    DemoTimeType("Konsultasjon", TimeType.Mode.IN_PERSON),
    DemoTimeType(
        "Videotime",
        TimeType.Mode.VIDEO,
        description="Videotime egner seg hvis du ikke trenger å ta prøver eller undersøkelser.",
    ),
    DemoTimeType("Telefontime", TimeType.Mode.PHONE),
    DemoTimeType("Hastetime", TimeType.Mode.IN_PERSON, urgent=True),
)

# time type, local start, local end (15-minute slots, Monday to Friday): one day mixes «08:00 - 08:15 Hastetime»,
# «09:00 - 09:15 Videotime» and «13:15 - 13:30 Konsultasjon», as in source 003.
WEEK = (
    ("Hastetime", dt.time(8), dt.time(8, 30)),
    ("Videotime", dt.time(9), dt.time(11)),
    ("Telefontime", dt.time(11, 30), dt.time(12)),
    ("Konsultasjon", dt.time(13, 15), dt.time(15, 30)),
)


def seed_gp_office(today: dt.date, weeks: int) -> dict[str, int]:
    counts = {"timebooks": 0, "templates": 0, "slots": 0}
    office = Organisation.objects.filter(her_id=GP_OFFICE_HER_ID).first()
    service = Service.objects.filter(her_id=FASTLEGE_SERVICE_HER_ID).first()
    if office is None or service is None:
        return counts
    _settings(office)
    people = {her_id: _practitioner(office, her_id, *rest) for her_id, *rest in PRACTITIONERS}
    august = people[FASTLEGE_HER_ID]
    for her_id in VIKARER:
        VikarAssignment.objects.get_or_create(
            fastlege=august, vikar=people[her_id], removed_at=None, defaults={"valid_from": today}
        )
    types = {spec.name: _time_type(office, spec) for spec in TIME_TYPES}
    timebook, created = Timebook.objects.get_or_create(
        service=service,
        name="Timebok Test",
        defaults={
            "kind": Timebook.Kind.PRACTITIONER,
            "practitioner": august,
            "type": "",
            "owner": august.display_name,
            "who_may_book": Timebook.WhoMayBook.GP_LIST,
        },
    )
    counts["timebooks"] += created
    timebook.time_types.add(*types.values())
    location, _ = Location.objects.get_or_create(
        organisation=office,
        name="Legekontoret",
        defaults={"attendance_place": "Legekontoret, hvis ikke annet er avtalt"},
    )
    last = today + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
    for type_name, start, end in WEEK:
        template, t_created = WeekTemplate.objects.get_or_create(
            timebook=timebook,
            location=location,
            start_time=start,
            defaults={
                "name": type_name,
                "time_type": types[type_name],
                "weekdays": MON_FRI,
                "end_time": end,
                "slot_minutes": 15,
                "valid_from": today,
                "valid_to": today + dt.timedelta(days=365),
            },
        )
        counts["templates"] += t_created
        if template.valid_from <= last and template.valid_to >= today:
            counts["slots"] += slots_publish(template=template, date_from=today, date_to=last, today=today).created
    return counts


def _settings(office: Organisation) -> None:
    ClinicSettings.objects.get_or_create(
        organisation=office,
        defaults={
            "calendar_booking": True,
            "time_wish": True,
            "survey_choices": "\n".join(SURVEY_CHOICES),
            "information": OFFICE_TEXT,
            "phone": "815 69 069",
            "urgent_online": True,
            "urgent_online_hours_before": 24,
        },
    )


def _practitioner(office: Organisation, her_id: int, first: str, middle: str, last: str, role: str) -> Practitioner:
    practitioner, _ = Practitioner.objects.get_or_create(
        her_id=her_id,
        defaults={"organisation": office, "first_name": first, "middle_name": middle, "last_name": last, "role": role},
    )
    return practitioner


def _time_type(office: Organisation, spec: DemoTimeType) -> TimeType:
    time_type, _ = TimeType.objects.get_or_create(
        organisation=office,
        name=spec.name,
        defaults={"mode": spec.mode, "duration_minutes": 15, "urgent": spec.urgent, "description": spec.description},
    )
    return time_type
