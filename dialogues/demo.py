"""The demo GP office's dialogue side (source 004): staff users who are its practitioners and reception, a group,
and a few earlier prescriptions for each of its patients. Idempotent: running it twice changes nothing, and a
later change by hand is kept."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from addressregistry.models import Organisation
from citizens.models import Citizen
from resourcebooks.demo import staff_group
from resourcebooks.gp_demo import FASTLEGE_HER_ID, GP_OFFICE_HER_ID
from resourcebooks.models import Practitioner, StaffGroup, StaffMembership

from .models import Prescription

Role = StaffMembership.Role

# username, full name, password, practitioner HER-id (or None), role
GP_STAFF = (
    ("august-september", "August September", "fastlege-demo", FASTLEGE_HER_ID, Role.LEGE),
    ("astrid-info", "Astrid Info", "vikar-demo", 8100311, Role.LEGE),
    ("legekontor-ansatt", "Lars Legekontor", "legekontor-demo", None, Role.HELSESEKRETAER),
)
RECEPTION = "Resepsjonen"
# medication, strength, dosage, days ago
PRESCRIPTIONS = (
    ("Levaxin", "50 mikrog", "1 tablett om morgenen", 300),
    ("Ventoline", "0,1 mg/dose", "1–2 inhalasjoner ved behov", 200),
    ("Paracet", "500 mg", "1–2 tabletter inntil 4 ganger daglig ved behov", 90),
)
STAFF_DIALOGUE_PERMISSIONS = {
    "routingsetting": ("view", "add", "change", "delete"),
    "routingrecipient": ("view", "add", "change", "delete"),
    "routingabsence": ("view", "add", "change", "delete"),
    "prescription": ("view",),
    "journalentry": ("view",),
}
STAFF_RESOURCEBOOKS_PERMISSIONS = ("view_staffgroup", "add_staffgroup", "change_staffgroup", "delete_staffgroup")


def seed_dialogues(today: dt.date | None = None) -> list[tuple[str, str, str]]:
    """Returns (username, password, description) of the GP office's staff to print."""
    today = today or timezone.localdate()
    office = Organisation.objects.filter(her_id=GP_OFFICE_HER_ID).first()
    if office is None:
        return []
    staff_dialogue_permissions()
    printed = [_staff(office, *spec) for spec in GP_STAFF]
    reception, _ = StaffGroup.objects.get_or_create(organisation=office, name=RECEPTION)
    lars = StaffMembership.objects.filter(user__username="legekontor-ansatt", organisation=office).first()
    if lars is not None:
        reception.members.add(lars)
    for citizen in Citizen.objects.filter(gp_office=office):
        if Prescription.objects.filter(citizen=citizen).exists():
            continue
        Prescription.objects.bulk_create(
            Prescription(
                citizen=citizen,
                medication=medication,
                strength=strength,
                dosage=dosage,
                prescribed_on=today - dt.timedelta(days=days),
                prescriber="August September (fastlege)",
            )
            for medication, strength, dosage, days in PRESCRIPTIONS
        )
    return printed


def _staff(
    office: Organisation, username: str, full_name: str, password: str, her_id: int | None, role: str
) -> tuple[str, str, str]:
    User = get_user_model()
    first, _, last = full_name.partition(" ")
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "is_staff": True}
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    user.groups.add(staff_group())
    practitioner = Practitioner.objects.filter(her_id=her_id).first() if her_id else None
    membership, m_created = StaffMembership.objects.get_or_create(
        user=user, organisation=office, defaults={"role": role, "practitioner": practitioner}
    )
    if not m_created and not membership.role:
        membership.role = role
        membership.practitioner = membership.practitioner or practitioner
        membership.save(update_fields=["role", "practitioner"])
    what = practitioner.listed_name if practitioner else Role(role).label.lower()
    return (username, password, f"{full_name}, {what} ved {office.name}")


def staff_dialogue_permissions() -> None:
    group = staff_group()
    codenames = [f"{a}_{m}" for m, actions in STAFF_DIALOGUE_PERMISSIONS.items() for a in actions]
    wanted = set(Permission.objects.filter(content_type__app_label="dialogues", codename__in=codenames))
    wanted |= set(
        Permission.objects.filter(content_type__app_label="resourcebooks", codename__in=STAFF_RESOURCEBOOKS_PERMISSIONS)
    )
    missing = wanted - set(group.permissions.all())
    if missing:
        group.permissions.add(*missing)
