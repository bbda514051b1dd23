"""Demo content of the Adresseregisteret, from the sources. Only synthetic HER-ids and numbers.

``seed_addressregistry`` is idempotent: organisations and services are keyed by HER-id, and
processes go through ``service_processes_apply``, which writes history only for real changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .models import Organisation, Service
from .services import service_processes_apply

TB, TR, RO, BO = "timebestilling", "timereservasjon", "ressursoversikt", "behandleroversikt"
DIALOGUE = ("e_kontakt", "e_konsultasjon", "reseptfornyelse")


@dataclass(frozen=True)
class DemoService:
    her_id: int
    service_type: str
    name: str
    processes: tuple[str, ...]
    phone: str = ""


@dataclass(frozen=True)
class DemoOrganisation:
    her_id: int
    name: str
    kind: str
    organisation_number: str
    municipality_name: str
    municipality_number: str
    services: tuple[DemoService, ...]


# HER-ids in the 81000xx range and municipality numbers 99xx are made up for the simulator.
ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(
        8100001,
        "Helsenorge kommune",
        "municipality",
        "999900003",
        "Helsenorge",
        "9901",
        (
            # Source 000: the correct setup (Timebestilling + Timereservasjon + Ressursoversikt).
            DemoService(8100011, "smittevern", "Smittevern (Feberpoliklinikk Test)", (TB, TR, RO), "24 20 00 00"),
            DemoService(8100012, "vaksinasjon", "Vaksinasjon", (TB, TR, RO)),
            # A service that offers no booking at all: nothing wrong, only information.
            DemoService(8100013, "helsestasjon", "Helsestasjon Test", ("e_kontakt",)),
        ),
    ),
    DemoOrganisation(
        8100100,
        "Beste kommune",
        "municipality",
        "999900011",
        "Beste",
        "9902",
        (
            DemoService(8100101, "smittevern", "Smittevern", (TB, TR, RO)),
            DemoService(8100102, "vaksinasjon", "Vaksinasjon", (TB, TR, RO)),
            DemoService(8100103, "legevakt", "Legevakt", (TB, TR, RO), "116 117"),
        ),
    ),
    DemoOrganisation(
        8100200,
        "Dhs kommune",
        "municipality",
        "999900038",
        "Dhs",
        "9903",
        (
            # Support has something to find: Timereservasjon is missing ...
            DemoService(8100201, "smittevern", "Smittevern (Feberpoliklinikk)", (TB, RO)),
            # ... and this one is still on the old «mellomløsning» (source 002).
            DemoService(8100202, "smittevern", "Smittevern (Test COVID-19)", (TB, TR, BO)),
        ),
    ),
    DemoOrganisation(
        8100300,
        "Helsenorge testlegekontor",
        "gp_office",
        "999900046",
        "Helsenorge",
        "9901",
        (
            # Ordinary practitioner booking with the GP (source 003): Behandleroversikt is right here.
            DemoService(8100301, "fastlege", "Fastlege", (TB, TR, BO, *DIALOGUE), "815 69 069"),
            DemoService(8100302, "legekontor", "Ressurstimebok", (TB, TR, RO), "815 69 069"),
        ),
    ),
)


def seed_addressregistry() -> dict[str, int]:
    """Create or update the demo organisations and services; returns counts of what changed."""
    counts = {"organisations": 0, "services": 0, "process_changes": 0}
    for org in ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(
            her_id=org.her_id,
            defaults={
                "name": org.name,
                "kind": org.kind,
                "organisation_number": org.organisation_number,
                "municipality_name": org.municipality_name,
                "municipality_number": org.municipality_number,
            },
        )
        counts["organisations"] += created
        for svc in org.services:
            service, created = Service.objects.get_or_create(
                her_id=svc.her_id,
                defaults={
                    "organisation": organisation,
                    "service_type": svc.service_type,
                    "name": svc.name,
                    "phone": svc.phone,
                },
            )
            counts["services"] += created
            if created:
                # Only a new service gets the demo processes; a support user's later changes are kept.
                changes = service_processes_apply(
                    service=service,
                    active=svc.processes,
                    changed_by=None,
                    changed_by_label="seed_demo",
                    note="Demodata",
                )
                counts["process_changes"] += len(changes)
    return counts


# Demo passwords are printed on purpose: this is a simulator with synthetic data only.
SUPPORT_USERS = (("nhn-support", "Nora Kundesenter", "nhn-support-demo"),)


def seed_support_users() -> list[tuple[str, str, str]]:
    """NHN support users; returns (username, password, description) to print."""
    User = get_user_model()
    group, _ = Group.objects.get_or_create(name=settings.NHN_SUPPORT_GROUP)
    printed = []
    for username, full_name, password in SUPPORT_USERS:
        first, _, last = full_name.partition(" ")
        # Staff status lets support open the outbox in the admin (it sees nothing else there).
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "is_staff": True}
        )
        if created:
            # Set only on creation so that a second run changes nothing (a new hash would).
            user.set_password(password)
            user.save(update_fields=["password"])
        user.groups.add(group)
        printed.append((username, password, f"{full_name}, NHN kundesenter"))
    return printed
