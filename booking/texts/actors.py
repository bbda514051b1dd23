"""Who offers a time, as the citizen's pages and messages name it (sources 000, 001, 003)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import translation

if TYPE_CHECKING:
    from resourcebooks.models import Practitioner, Timebook

    from ..models import Appointment


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


def behandler_of(appointment: Appointment) -> Practitioner | None:
    """Whom the appointment is with: the behandler chosen under «Velg behandler» (source 003, step 6), else the
    fastlege whose timebook it is in; None at a resource timebook."""
    if appointment.behandler_id is not None:
        return appointment.behandler
    return appointment.slot.timebook.practitioner


def appointment_actor(appointment: Appointment) -> str:
    """Who the appointment is with, as Innboks's sender and the channels name them: «August September (fastlege)»
    (source 003, step 9), «Astrid Info (vikar for fastlege)»; at a resource timebook ``actor_name``. Norwegian."""
    behandler = behandler_of(appointment)
    if behandler is None:
        return actor_name(appointment.slot.timebook)
    with translation.override("nb"):
        return f"{behandler.full_name} ({behandler.get_role_display()})"


def appointment_short_actor(appointment: Appointment) -> str:
    """«… hos August.» (source 003, step 9): the behandler by first name; otherwise ``actor_name``."""
    behandler = behandler_of(appointment)
    return behandler.first_name if behandler is not None else actor_name(appointment.slot.timebook)
