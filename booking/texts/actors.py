"""Who offers a time, as the citizen's pages and messages name it (sources 000, 001, 003)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from resourcebooks.models import Practitioner, Timebook


def actor_name(timebook: Timebook) -> str:
    """«Influensavaksine, Smittevern (Feberpoliklinikk Test), Helsenorge kommune» (source 000) for a
    municipality; «Influensa, Helsenorge testlegekontor» (source 001) for a GP office."""
    service = timebook.service
    org = service.organisation
    if timebook.practitioner is not None:
        # A fastlege's own timebook: Innboks's sender «August September (fastlege)» (source 003, step 9).
        return f"{timebook.practitioner.full_name} (fastlege)"
    if org.is_gp_office:
        return f"{timebook.name}, {org.name}"
    return f"{timebook.name}, {service.name}, {org.name}"


def short_actor_name(timebook: Timebook) -> str:
    """«… hos August.» (source 003, step 9): a fastlege by first name; otherwise ``actor_name``."""
    practitioner = timebook.practitioner
    return practitioner.first_name if practitioner is not None else actor_name(timebook)


def practitioner_calendar_title(behandler: Practitioner, timebook: Timebook) -> str:
    """«Elias Psa Rud (fastlege), Timebok Test» (source 003, step 6)."""
    return f"{behandler.listed_name}, {timebook.name}"


def description_owner(timebook: Timebook) -> str:
    """Who confirms: «Din timereservasjon er bekreftet. Smittevern (Feberpoliklinikk Test).»"""
    org = timebook.service.organisation
    return org.name if org.is_gp_office else timebook.service.name
