"""Reads about citizens: whom a citizen may act for."""

from __future__ import annotations

import datetime as dt

from core.limits import CHILD_AGE_LIMIT
from resourcebooks.models import PatientBlock

from .models import Citizen, Representation


def _holds(rep: Representation, day: dt.date) -> bool:
    """A parent's responsibility, as far as the portal goes, ends when the child turns 16."""
    return rep.kind != Representation.Kind.PARENT or rep.represented.age_on(day) < CHILD_AGE_LIMIT


def represented_people(citizen: Citizen, today: dt.date) -> list[tuple[Citizen, Representation]]:
    """Whom ``citizen`` may act for today: children under 16 (parental responsibility) and principals whose
    power of attorney is neither revoked nor expired."""
    reps = Representation.objects.valid_on(today).filter(representative=citizen).select_related("represented")
    return [(rep.represented, rep) for rep in reps if _holds(rep, today)]


def may_act_for(citizen: Citizen, person_id: int, today: dt.date) -> Citizen | None:
    if person_id == citizen.pk:
        return citizen
    return next((p for p, _ in represented_people(citizen, today) if p.pk == person_id), None)


def representatives_of(person: Citizen, day: dt.date) -> list[Representation]:
    """Who may act for ``person`` on ``day``: the valid representations, with their representatives."""
    reps = (
        Representation.objects.valid_on(day).filter(represented=person).select_related("representative", "represented")
    )
    return [rep for rep in reps if _holds(rep, day)]


def is_blocked(person: Citizen, organisation_id: int) -> bool:
    """Whether the organisation has blocked the person (source 001): no free times shown, no booking, no
    dialogue; what booking and dialogues both ask."""
    return PatientBlock.objects.filter(organisation_id=organisation_id, national_id=person.national_id).exists()
