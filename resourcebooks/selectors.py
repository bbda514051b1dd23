"""Reads of the clinic's side shared by the admin, the diagnosis and (later) the patient portal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from addressregistry.diagnosis import TimebookFacts
from addressregistry.models import Organisation, Service

from .models import ClinicSettings, Practitioner, Slot, StaffMembership, Timebook, VikarAssignment
from .services import local_day_bounds
from .signals import slot_bookings_asked


def organisations_for_staff(user) -> QuerySet[Organisation]:
    """The organisations a staff user works for; a superuser works for all."""
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=StaffMembership.objects.filter(user_id=user.pk).values("organisation_id"))


def behandlere_for(fastlege: Practitioner, day: dt.date | None = None) -> list[Practitioner]:
    """«Velg behandler ved <kontor>» (source 003, step 6): the fastlege, then each vikar set on him on ``day``
    (today), when the office's journal system supports the vikar solution; else the fastlege alone (source 004).
    The citizen's page and the AR support page both list these."""
    office = ClinicSettings.objects.filter(organisation_id=fastlege.organisation_id).first()
    if office is not None and not office.vikar_solution:
        return [fastlege]
    day = day or timezone.localdate()
    assignments = VikarAssignment.objects.filter(fastlege=fastlege, removed_at__isnull=True).select_related("vikar")
    vikarer = [a.vikar for a in assignments if a.is_set_on(day) and a.vikar.role != Practitioner.Role.LIS1]
    return [fastlege, *sorted(set(vikarer), key=lambda p: (p.first_name, p.last_name))]


def timebooks_answered(sender: object, *, service: Service, **kwargs: object) -> list[TimebookFacts]:
    """The receiver of ``addressregistry.signals.timebooks_asked`` (connected in ``apps.py``)."""
    return list(timebook_facts_for_service(service))


def timebook_facts_for_service(service: Service) -> Iterable[TimebookFacts]:
    """What the AR diagnosis needs to know of a service's timebooks: for a
    practitioner's timebook also the owner's role, how many timebooks the owner has, and which time types are
    not online (source 004)."""
    future_free = Slot.objects.filter(timebook=OuterRef("pk"), state=Slot.State.FREE, start__gt=timezone.now())
    owner_count = (
        Timebook.objects.filter(practitioner=OuterRef("practitioner"))
        .order_by()
        .values("practitioner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    timebooks = (
        Timebook.objects.filter(service=service)
        .select_related("practitioner")
        .prefetch_related("time_types")
        .annotate(has_future_free=Exists(future_free), owner_timebook_count=Subquery(owner_count))
        .order_by("name")
    )
    return [_facts(tb) for tb in timebooks]


def _facts(tb: Timebook) -> TimebookFacts:
    time_types = list(tb.time_types.all())
    practitioner = tb.practitioner
    return TimebookFacts(
        id=tb.pk,
        name=tb.name,
        type=tb.type,
        online=tb.online,
        # A timebook is a resource timebook or a practitioner's by a database check; never both.
        is_practitioner_timebook=False,
        time_type_count=max(len(time_types), 1),
        has_future_free_slot=tb.has_future_free,  # type: ignore[attr-defined]
        description=tb.description,
        kind=tb.kind,
        practitioner_name=practitioner.display_name if practitioner else "",
        practitioner_role=practitioner.role if practitioner else "",
        owner_timebook_count=tb.owner_timebook_count or 0,  # type: ignore[attr-defined]
        offline_time_types=tuple(t.name for t in time_types if not t.online),
        online_time_type_count=sum(1 for t in time_types if t.online) if time_types else 1,
        **_behandler_facts(practitioner),
    )


def _behandler_facts(practitioner: Practitioner | None) -> dict[str, Any]:
    """Whom a fastlege's timebook lists under «Velg behandler» today, and whether the office's journal system
    shows vikarer there at all (``ClinicSettings.vikar_solution``)."""
    if practitioner is None or practitioner.role != Practitioner.Role.FASTLEGE:
        return {}
    office = ClinicSettings.objects.filter(organisation_id=practitioner.organisation_id).first()
    return {
        "behandlere": tuple(p.listed_name for p in behandlere_for(practitioner)),
        "vikar_solution": office is None or office.vikar_solution,
    }


def slots_on_day(timebook: Timebook, day: dt.date) -> QuerySet[Slot]:
    start, end = local_day_bounds(day, day)
    return (
        timebook.slots.filter(start__gte=start, start__lt=end).select_related("location", "time_type").order_by("start")
    )


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


@dataclass(frozen=True)
class SlotBooking:
    """The appointment on a slot, as the clinic's day and week show it: who, what for, and its status."""

    who: str
    reason: str
    status: str
    url: str = ""
    behandler: str = ""  # whom the appointment is with, at a fastlege's timebook (issue 22)


def slot_bookings(slots: list[Slot]) -> dict[int, SlotBooking]:
    """The active appointment of each slot (by slot id), as the receivers of ``signals.slot_bookings_asked`` tell
    it (booking, which this app does not import)."""
    result: dict[int, SlotBooking] = {}
    for _receiver, answer in slot_bookings_asked.send(sender=Slot, slots=slots):
        result |= cast(dict[int, SlotBooking], answer)
    return result


def slots_in_week(timebook: Timebook, monday: dt.date) -> QuerySet[Slot]:
    start, end = local_day_bounds(monday, monday + dt.timedelta(days=6))
    return (
        timebook.slots.filter(start__gte=start, start__lt=end).select_related("location", "time_type").order_by("start")
    )
