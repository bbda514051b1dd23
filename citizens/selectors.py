"""Reads about citizens: whom a citizen may act for."""

from __future__ import annotations

import datetime as dt

from core.limits import CHILD_AGE_LIMIT

from .models import Citizen, Representation


def represented_people(citizen: Citizen, today: dt.date) -> list[tuple[Citizen, Representation]]:
    """Whom ``citizen`` may act for today: children under 16 (parental responsibility) and principals."""
    result = []
    for rep in Representation.objects.filter(representative=citizen).select_related("represented"):
        if rep.kind == Representation.Kind.PARENT and rep.represented.age_on(today) >= CHILD_AGE_LIMIT:
            continue
        result.append((rep.represented, rep))
    return result


def may_act_for(citizen: Citizen, person_id: int, today: dt.date) -> Citizen | None:
    if person_id == citizen.pk:
        return citizen
    return next((p for p, _ in represented_people(citizen, today) if p.pk == person_id), None)


def parents_of(person: Citizen) -> list[Citizen]:
    """Those with parental responsibility for ``person``."""
    return [
        r.representative
        for r in Representation.objects.filter(represented=person, kind=Representation.Kind.PARENT).select_related(
            "representative"
        )
    ]
