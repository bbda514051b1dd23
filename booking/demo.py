"""Demo citizens of the sources (synthetic numbers only), who acts for whom, a blocked person, and a hidden
appointment. Idempotent: keyed by national id; the hidden appointment is made once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from addressregistry.models import Organisation
from citizens.forms import normalise_norwegian_mobile
from citizens.models import Citizen, Representation
from core.national_id import make_synthetic_national_id
from resourcebooks.demo import staff_group
from resourcebooks.gp_demo import FASTLEGE_HER_ID
from resourcebooks.models import PatientBlock, Practitioner, Slot, Timebook

from .models import Appointment
from .services import appointment_book_by_clinic


@dataclass(frozen=True)
class DemoCitizen:
    key: str
    first_name: str
    last_name: str
    birth_date: dt.date
    municipality_her_id: int
    gp_office_her_id: int | None
    phone: str = ""
    email: str = ""


CITIZENS = (
    # Names from the sources' screenshots.
    DemoCitizen(
        "kurt", "Kurt Håkon", "Grytten", dt.date(1980, 3, 14), 8100001, 8100300, "412 34 567", "kurt@example.test"
    ),
    DemoCitizen(
        "viktig", "Viktig", "Person", dt.date(1975, 5, 17), 8100001, 8100300, "413 45 678", "viktig@example.test"
    ),
    # Kurt's children: one under 12, and one of 13 with a hidden appointment.
    DemoCitizen("emma", "Emma", "Grytten", dt.date(2018, 6, 2), 8100001, 8100300),
    DemoCitizen("ola", "Ola", "Grytten", dt.date(2013, 4, 20), 8100001, 8100300),
    # Gave Viktig Person a power of attorney.
    DemoCitizen("astrid", "Astrid", "Fullmaktsgiver", dt.date(1941, 9, 9), 8100001, 8100300, "414 56 789"),
    # Blocked by Helsenorge testlegekontor (source 001, «Kan jeg sperre tilgang til pasienten?»).
    DemoCitizen("berit", "Berit", "Sperret", dt.date(1990, 1, 15), 8100001, 8100300, "415 67 890"),
    # Lives in Beste kommune: books koronatest there, or in another municipality.
    DemoCitizen("per", "Per", "Beste", dt.date(1985, 11, 30), 8100100, None, "416 78 901"),
)

REPRESENTATIONS = (
    ("kurt", "emma", Representation.Kind.PARENT),
    ("kurt", "ola", Representation.Kind.PARENT),
    ("viktig", "astrid", Representation.Kind.POWER_OF_ATTORNEY),
)

STAFF_BOOKING_PERMISSIONS = (
    "view_appointment",
    "change_appointment",
    "view_timerequest",
    "change_timerequest",
    "view_invitationcampaign",
    "add_invitationcampaign",
    "change_invitationcampaign",
)


def synthetic_number(birth_date: dt.date, seed: int) -> str:
    """The first valid synthetic number from individual number ``seed`` upwards (stable across runs)."""
    start = seed if birth_date.year < 2000 else 500 + seed
    for individual in range(start, start + 100):
        try:
            return make_synthetic_national_id(birth_date, individual)
        except ValueError:
            continue
    raise ValueError(f"No synthetic number for {birth_date}")  # pragma: no cover


def seed_citizens() -> dict[str, int]:
    User = get_user_model()
    created_count = 0
    by_key: dict[str, Citizen] = {}
    for i, spec in enumerate(CITIZENS):
        number = synthetic_number(spec.birth_date, 100 + i * 7)
        citizen = Citizen.objects.filter(national_id=number).first()
        if citizen is None:
            user = User.objects.create_user(
                username=f"innbygger-{number}", first_name=spec.first_name, last_name=spec.last_name
            )
            citizen = Citizen.objects.create(
                user=user,
                national_id=number,
                first_name=spec.first_name,
                last_name=spec.last_name,
                municipality=Organisation.objects.get(her_id=spec.municipality_her_id),
                gp_office=Organisation.objects.filter(her_id=spec.gp_office_her_id).first()
                if spec.gp_office_her_id
                else None,
                phone=normalise_norwegian_mobile(spec.phone) if spec.phone else "",
                email=spec.email,
                listed_on_test_login=spec.key not in {"emma"},
            )
            created_count += 1
        by_key[spec.key] = citizen
    for rep, represented, kind in REPRESENTATIONS:
        Representation.objects.get_or_create(representative=by_key[rep], represented=by_key[represented], kind=kind)
    office = Organisation.objects.get(her_id=8100300)
    PatientBlock.objects.get_or_create(
        organisation=office,
        national_id=by_key["berit"].national_id,
        defaults={"reason": "Misbruk av tjenesten (demodata)", "blocked_on": timezone.localdate()},
    )
    _on_fastlege_list(list(by_key.values()))
    _hidden_appointment(by_key["ola"])
    group = staff_group()
    wanted = set(Permission.objects.filter(content_type__app_label="booking", codename__in=STAFF_BOOKING_PERMISSIONS))
    missing = wanted - set(group.permissions.all())
    if missing:
        group.permissions.add(*missing)
    return {"citizens": created_count}


def _on_fastlege_list(citizens: list[Citizen]) -> None:
    """The demo citizens of Helsenorge testlegekontor stand on August September's fastlegeliste (source 003).
    A later change by hand is kept."""
    august = Practitioner.objects.filter(her_id=FASTLEGE_HER_ID).first()
    if august is None:
        return
    ids = [c.pk for c in citizens if c.gp_office_id == august.organisation_id and c.fastlege_id is None]
    Citizen.objects.filter(pk__in=ids).update(fastlege=august)


def _hidden_appointment(ola: Citizen) -> None:
    """Ola (13) has a hidden lab appointment his parents cannot see (source 004, «Skjult time»)."""
    if Appointment.objects.filter(citizen=ola, hidden=True).exists():
        return
    lab = Timebook.objects.filter(name="Ta prøve på laboratoriet").first()
    if lab is None:
        return
    slot = (
        Slot.objects.filter(timebook=lab, state=Slot.State.FREE, start__gte=timezone.now() + dt.timedelta(days=3))
        .order_by("start")
        .first()
    )
    if slot is not None:
        appointment_book_by_clinic(person=ola, slot=slot, reason="Blodprøve", hidden=True)
