"""What the citizen sees of a service: the same result drives the support page and the patient portal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..timebook_types import TimebookType

if TYPE_CHECKING:
    pass

from .facts import (
    BEHANDLEROVERSIKT,
    LEGEVAKT,
    RESSURSOVERSIKT,
    ROLE_FASTLEGE,
    SMITTEVERN,
    TIMEBESTILLING,
    TIMERESERVASJON,
    Offer,
    PortalView,
    ServiceSetup,
    TimebookFacts,
    TimebookVisibility,
)
from .rules import expects_resource_booking

# --- What the citizen sees --------------------------------------------------------------------------


def _offer(setup: ServiceSetup) -> Offer:
    if not setup.has(TIMEBESTILLING):
        return Offer.NOTHING
    if setup.has(BEHANDLEROVERSIKT):
        return Offer.PRACTITIONER_ROLE if expects_resource_booking(setup) else Offer.PRACTITIONER
    return Offer.TIMEBOOKS if setup.has(RESSURSOVERSIKT) else Offer.NOTHING


def _visibilities(setup: ServiceSetup, offer: Offer) -> tuple[TimebookVisibility, ...]:
    visibilities = []
    for tb in setup.timebooks or ():
        why_not = ""
        if tb.is_practitioner_owned:
            why_not = _practitioner_why_not(tb, offer)
        elif offer is not Offer.TIMEBOOKS:
            why_not = "tjenesten viser ikke ressurstimebøker"
        elif not tb.online:
            why_not = "timeboken er ikke på nett"
        elif tb.is_practitioner_timebook:
            why_not = "timeboken er også behandlertimebok"
        listed = not why_not
        visibilities.append(
            TimebookVisibility(
                timebook=tb,
                listed=listed,
                why_not=why_not,
                local_only=listed
                and tb.is_resource
                and tb.type == TimebookType.KORONATEST
                and setup.service_type == LEGEVAKT,
                in_other_municipality=listed and tb.is_resource and setup.service_type == SMITTEVERN,
                type_shown_blank=tb.is_resource and tb.time_type_count > 1,
            )
        )
    return tuple(visibilities)


def _practitioner_why_not(tb: TimebookFacts, offer: Offer) -> str:
    """Why a practitioner's timebook is not offered under «Velg behandler» (source 004), or "" when it is."""
    if offer is not Offer.PRACTITIONER:
        return "tjenesten viser ikke behandlere"
    if tb.practitioner_role != ROLE_FASTLEGE:
        return "timeboken eies ikke av en fastlege"
    if tb.owner_timebook_count > 1:
        return "fastlegen eier flere timebøker"
    if not tb.online:
        return "timeboken er ikke på nett"
    if tb.online_time_type_count == 0:
        return "ingen timetyper er på nett"
    return ""


def _timebook_lines(visible: tuple[TimebookVisibility, ...]) -> list[str]:
    names = [v.timebook.name for v in visible if v.listed]
    if names:
        lines = ["Under «Hva trenger du?» vises: " + ", ".join(f"«{n}»" for n in names) + "."]
    else:
        lines = ["Under «Hva trenger du?» vises ingen timebøker."]
    if any(v.in_other_municipality for v in visible):
        lines.append("De vises også under «Bestill koronatest i annen kommune».")
    for v in visible:
        if v.local_only:
            lines.append(f"«{v.timebook.name}» vises bare for innbyggere i kommunen.")
        if v.listed and v.type_shown_blank:
            lines.append(f"Timetypen til «{v.timebook.name}» vises blank.")
    return lines


def _behandler_lines(listed: list[TimebookFacts]) -> list[str]:
    """Whom «Velg behandler» lists (the fastlege and, when the journal system supports it, his vikarer today)."""
    names = [n for tb in listed for n in (tb.behandlere or ((tb.practitioner_name,) if tb.practitioner_name else ()))]
    if not names:
        return []
    lines = [
        "Under «Velg behandler» vises: " + ", ".join(f"«{n}»" for n in names) + ", for pasienter på fastlegens liste."
    ]
    for tb in listed:
        if not tb.behandlere:
            continue
        if tb.vikar_solution:
            lines.append(
                "Journalsystemet støtter vikarløsningen: vikarer satt på fastlegen vises under «Velg behandler»."
            )
        else:
            lines.append(
                "Journalsystemet støtter ikke vikarløsningen: det vil ikke synes for pasienten at fastlegen har vikar "
                "når timen bestilles."
            )
    return lines


def _lines(setup: ServiceSetup, offer: Offer, visible: tuple[TimebookVisibility, ...], can_reserve: bool) -> list[str]:
    """What the citizen sees, in sentences support can read out."""
    if not setup.has(TIMEBESTILLING):
        return [
            "Tjenesten vises ikke under «Hvem vil du bestille time hos?», og det finnes ingen «Bestill time» for den."
        ]
    lines = [f"Tjenesten vises som «{setup.contact_name}» under «Hvem vil du bestille time hos?»."]
    if offer is Offer.PRACTITIONER_ROLE:
        lines.append(
            "Etter valget ser innbyggeren en behandlerrolle (f.eks. «Helsefaglig kontakt») under "
            "«Velg behandler» i stedet for timebøkene."
        )
    elif offer is Offer.PRACTITIONER:
        lines.append("Etter valget bestiller innbyggeren time hos en behandler (ikke i ressurstimebok).")
        lines += _behandler_lines([v.timebook for v in visible if v.listed])
    elif offer is Offer.NOTHING:
        lines.append("Under «Hva trenger du?» vises ingen timebøker, fordi Ressursoversikt ikke er aktivert.")
    elif setup.timebooks is None:
        lines.append("Under «Hva trenger du?» vises tjenestens ressurstimebøker.")
    else:
        lines += _timebook_lines(visible)
    if not can_reserve:
        lines.append("«Send bestilling» fører ikke fram, fordi Timereservasjon ikke er aktivert.")
    return lines


def portal_view(setup: ServiceSetup) -> PortalView:
    has_button = setup.has(TIMEBESTILLING)
    offer = _offer(setup)
    can_reserve = has_button and setup.has(TIMERESERVASJON)
    visible = _visibilities(setup, offer)
    return PortalView(
        has_bestill_time=has_button,
        offer=offer,
        can_reserve=can_reserve,
        timebooks=visible,
        lines=tuple(_lines(setup, offer, visible, can_reserve)),
    )
