"""Reads of the clinic's side shared by the admin, the diagnosis and (later) the patient portal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from addressregistry.diagnosis import TimebookFacts
from addressregistry.models import Organisation, Service

from .models import Slot, StaffMembership, Timebook
from .services import local_day_bounds


def organisations_for_staff(user) -> QuerySet[Organisation]:
    """The organisations a staff user works for; a superuser works for all."""
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=StaffMembership.objects.filter(user_id=user.pk).values("organisation_id"))


def timebook_facts_for_service(service: Service) -> Iterable[TimebookFacts]:
    """What the AR diagnosis needs to know of a service's timebooks (registered in ``apps.py``)."""
    future_free = Slot.objects.filter(timebook=OuterRef("pk"), state=Slot.State.FREE, start__gt=timezone.now())
    timebooks = (
        Timebook.objects.filter(service=service)
        .annotate(time_type_count=Count("time_types", distinct=True), has_future_free=Exists(future_free))
        .order_by("name")
    )
    return [
        TimebookFacts(
            id=tb.pk,
            name=tb.name,
            type=tb.type,
            online=tb.online,
            # Our timebooks are resource timebooks by construction; the EPJ cannot make one a practitioner's.
            is_practitioner_timebook=False,
            time_type_count=max(tb.time_type_count, 1),
            has_future_free_slot=tb.has_future_free,
            description=tb.description,
        )
        for tb in timebooks
    ]


def slots_on_day(timebook: Timebook, day: dt.date) -> QuerySet[Slot]:
    start, end = local_day_bounds(day, day)
    return timebook.slots.filter(start__gte=start, start__lt=end).select_related("location").order_by("start")


@dataclass(frozen=True)
class DayLoad:
    day: dt.date
    free: int = 0
    held: int = 0
    booked: int = 0
    withdrawn: int = 0

    @property
    def offered(self) -> int:
        return self.free + self.held + self.booked


def utilisation(timebook: Timebook, first_day: dt.date, days: int) -> list[DayLoad]:
    """Slots per local day and state from ``first_day`` for ``days`` days, in one grouped query."""
    last_day = first_day + dt.timedelta(days=days - 1)
    start, end = local_day_bounds(first_day, last_day)
    rows = (
        timebook.slots.filter(start__gte=start, start__lt=end)
        .annotate(day=TruncDate("start", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values("day")
        .annotate(
            free=Count("pk", filter=Q(state=Slot.State.FREE)),
            held=Count("pk", filter=Q(state=Slot.State.HELD)),
            booked=Count("pk", filter=Q(state=Slot.State.BOOKED)),
            withdrawn=Count("pk", filter=Q(state=Slot.State.WITHDRAWN)),
        )
    )
    by_day = {row["day"]: row for row in rows}
    result = []
    for offset in range(days):
        day = first_day + dt.timedelta(days=offset)
        row: dict[str, Any] = dict(by_day.get(day, {}))
        result.append(
            DayLoad(
                day=day,
                free=row.get("free", 0),
                held=row.get("held", 0),
                booked=row.get("booked", 0),
                withdrawn=row.get("withdrawn", 0),
            )
        )
    return result


OccupantSource = Callable[[list[Slot]], dict[int, str]]
_occupant_sources: list[OccupantSource] = []


def register_occupant_source(source: OccupantSource) -> None:
    """Let a higher app (booking) say who holds a slot, for the day view, without this app importing it."""
    if source not in _occupant_sources:
        _occupant_sources.append(source)


def slot_occupants(slots: list[Slot]) -> dict[int, str]:
    """Who holds each slot (by slot id), as told by the registered sources."""
    result: dict[int, str] = {}
    for source in _occupant_sources:
        result |= source(slots)
    return result
