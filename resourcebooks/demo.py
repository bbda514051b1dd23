"""Demo timebooks of the sources, with slots published from today for eight weeks, and demo staff users.

Idempotent: everything is keyed by name; publishing twice creates nothing new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from addressregistry.models import Organisation, Service

from .gp_demo import seed_gp_office
from .models import Location, StaffMembership, Timebook, TimeType, WeekTemplate
from .services import slots_publish

STAFF_GROUP = "Klinikkansatt"
WEEKS_PUBLISHED = 8
MON_FRI = [0, 1, 2, 3, 4]
EPJ_TEXT = "Dette er en tekst som kan egendefines i journalsystemet på maks 200 tegn"
OFFICE_TEXT = "Dette er en tekst legekontoret selv kan legge til på opptil 300 tegn."


@dataclass(frozen=True)
class DemoTemplate:
    location: str
    attendance_place: str
    weekdays: list[int]
    start: dt.time
    end: dt.time
    location_description: str = ""


@dataclass(frozen=True)
class DemoTimebook:
    service_her_id: int
    name: str
    type: str
    slot_minutes: int
    templates: tuple[DemoTemplate, ...]
    description: str = ""
    office_information: str = ""
    time_type: str = ""
    confirmation: str = Timebook.Confirmation.AUTOMATIC


TIMEBOOKS: tuple[DemoTimebook, ...] = (
    # Source 000: vaccine at the municipality's Smittevern.
    DemoTimebook(
        8100011,
        "Influensavaksine",
        "vaksine",
        5,
        (DemoTemplate("Feberpoliklinikken", "Feberpoliklinikk inngang A", MON_FRI, dt.time(8), dt.time(15)),),
        description=EPJ_TEXT,
        time_type="Influensavaksine",
    ),
    # Source 002: «1. mai 2021, kl. 08:00: Time til koronatest hos Koronatest1 Beste kommune», Oppmøtested: Hall 1.
    DemoTimebook(
        8100101,
        "Koronatest1",
        "koronatest",
        20,
        (DemoTemplate("Hall 1", "Hall 1", MON_FRI, dt.time(8), dt.time(12)),),
        time_type="Koronatest",
    ),
    # Source 002: the vaccination room «i Testveien 1».
    DemoTimebook(
        8100102,
        "Covid-19 vaksinering",
        "koronavaksine",
        10,
        (DemoTemplate("Vaksinasjonslokalet", "Testveien 1", [0, 2, 4], dt.time(9), dt.time(14)),),
        description="Timebestilling for koronavirusvaksine hos kommunens vaksinasjonslokale, i Testveien 1",
        time_type="Koronavaksine",
    ),
    # Source 002: a koronatest timebook on Legevakt is shown only locally (the diagnosis warns).
    DemoTimebook(
        8100103,
        "Koronatest legevakt",
        "koronatest",
        15,
        (DemoTemplate("Legevakten", "Legevakten, inngang B", [5, 6], dt.time(10), dt.time(14)),),
        time_type="Koronatest legevakt",
    ),
    # Source 002: «Kovidtest» in Dhs kommune, whose Smittevern lacks Timereservasjon (support finds it).
    DemoTimebook(
        8100201,
        "Kovidtest",
        "koronatest",
        15,
        (DemoTemplate("Helsestasjonen", "Helsestasjonen i Dhs", MON_FRI, dt.time(9), dt.time(11)),),
        description=(
            "Dette er en tjeneste ved kommunen sin helsestasjon hvor du kan bestille Covid-19 test. "
            "Den er ved tjeneste smittevern og har type Koronatest."
        ),
        time_type="Kovidtest",
    ),
    # Source 002: the «mellomløsning» service still shows a role instead of this timebook.
    DemoTimebook(
        8100202,
        "Koronatest alle tjenester hn",
        "koronatest",
        15,
        (DemoTemplate("Teststasjonen", "Teststasjonen i Dhs", MON_FRI, dt.time(12), dt.time(14)),),
        time_type="Koronatest alle tjenester",
    ),
    # Source 001: «Influensa» at the GP office, three places to choose under «Velg sted».
    DemoTimebook(
        8100302,
        "Influensa",
        "vaksine",
        15,
        (
            DemoTemplate(
                "Influenza",
                "Influensaveien 3a, 1325 Lysaker",
                [0, 2],
                dt.time(8),
                dt.time(12),
                "Dette er en influensavaksine som vises på Helsenorge",
            ),
            DemoTemplate("Influensavaksine 2", "Sandviksveien 10, 1337 Sandvika", [1, 3], dt.time(8), dt.time(12)),
            DemoTemplate("Influensavaksine 3", "Fornebuveien 5, 1366 Lysaker", [4], dt.time(8), dt.time(11)),
        ),
        description="Influensavaksine for voksne i risikogruppene",
        office_information=OFFICE_TEXT,
        time_type="Influensavaksine",
    ),
    # Source 001: «Ta prøve på laboratoriet» (type lab); staff confirm these requests by hand.
    DemoTimebook(
        8100302,
        "Ta prøve på laboratoriet",
        "lab",
        10,
        (DemoTemplate("Laboratoriet", "Laboratoriet, 1. etasje", MON_FRI, dt.time(7, 30), dt.time(10)),),
        office_information=OFFICE_TEXT,
        time_type="Blodprøve",
        confirmation=Timebook.Confirmation.MANUAL,
    ),
)

# username, full name, password, organisation HER-ids
STAFF_USERS = (
    ("kommune-ansatt", "Kari Kommune", "kommune-demo", (8100001,)),
    ("beste-ansatt", "Bente Beste", "beste-demo", (8100100,)),
    ("legekontor-ansatt", "Lars Legekontor", "legekontor-demo", (8100300,)),
)

STAFF_PERMISSIONS = {
    "timetype": ("view", "add", "change", "delete"),
    "location": ("view", "add", "change", "delete"),
    "timebook": ("view", "add", "change", "delete"),
    "timebooklistentry": ("view", "add", "change", "delete"),
    "weektemplate": ("view", "add", "change", "delete"),
    "patientblock": ("view", "add", "change", "delete"),
    "slot": ("view",),
    "practitioner": ("view", "add", "change"),
    "vikarassignment": ("view", "add", "change"),
    "clinicsettings": ("view", "change"),
}


def staff_group() -> Group:
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    codenames = [f"{action}_{model}" for model, actions in STAFF_PERMISSIONS.items() for action in actions]
    wanted = set(Permission.objects.filter(content_type__app_label="resourcebooks", codename__in=codenames))
    missing = wanted - set(group.permissions.all())
    if missing:
        group.permissions.add(*missing)
    return group


def seed_resourcebooks(today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    counts = {"timebooks": 0, "templates": 0, "slots": 0}
    for spec in TIMEBOOKS:
        service = Service.objects.select_related("organisation").get(her_id=spec.service_her_id)
        org = service.organisation
        timebook, created = Timebook.objects.get_or_create(
            service=service,
            name=spec.name,
            defaults={
                "type": spec.type,
                "description": spec.description,
                "office_information": spec.office_information,
                "confirmation": spec.confirmation,
            },
        )
        counts["timebooks"] += created
        if spec.time_type:
            time_type, _ = TimeType.objects.get_or_create(organisation=org, name=spec.time_type)
            if created:
                timebook.time_types.add(time_type)
        for tpl in spec.templates:
            location, _ = Location.objects.get_or_create(
                organisation=org,
                name=tpl.location,
                defaults={"attendance_place": tpl.attendance_place, "description": tpl.location_description},
            )
            template, t_created = WeekTemplate.objects.get_or_create(
                timebook=timebook,
                location=location,
                start_time=tpl.start,
                defaults={
                    "weekdays": tpl.weekdays,
                    "end_time": tpl.end,
                    "slot_minutes": spec.slot_minutes,
                    "valid_from": today,
                    "valid_to": today + dt.timedelta(days=365),
                },
            )
            counts["templates"] += t_created
            last = today + dt.timedelta(weeks=WEEKS_PUBLISHED) - dt.timedelta(days=1)
            if template.valid_from <= last and template.valid_to >= today:
                result = slots_publish(template=template, date_from=today, date_to=last, today=today)
                counts["slots"] += result.created
    for key, value in seed_gp_office(today, WEEKS_PUBLISHED).items():
        counts[key] += value
    return counts


def seed_staff_users() -> list[tuple[str, str, str]]:
    """Demo staff users; returns (username, password, description) to print."""
    User = get_user_model()
    group = staff_group()
    printed = []
    for username, full_name, password, her_ids in STAFF_USERS:
        first, _, last = full_name.partition(" ")
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "is_staff": True}
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        user.groups.add(group)
        orgs = Organisation.objects.filter(her_id__in=her_ids)
        for org in orgs:
            StaffMembership.objects.get_or_create(user=user, organisation=org)
        printed.append((username, password, f"{full_name}, ansatt i {', '.join(o.name for o in orgs)}"))
    return printed
