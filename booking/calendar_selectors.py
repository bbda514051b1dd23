"""Steps 3 and 4 of the flow: which places have free slots, the month calendar and the day's free slots.

These are the reads every citizen in a rush makes, many times over, of the same few timebooks. For a
resource timebook they come from the cache, keyed by the timebook's slot version
(``resourcebooks.freshness``), which every change of a slot's state bumps: a booked, held or withdrawn slot
is gone from the next page. What is cached is everything free from the moment it was read; what has
started since is dropped when it is read back, so the cache never offers a slot in the past. Without a
shared cache (version 0), and for a practitioner's timebook (whose bookable slots also depend on the
office's settings and on the hour, see ``bookable_slots``), the database answers every time.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from core import formatting as fmt
from resourcebooks.freshness import NO_CACHE, slots_version
from resourcebooks.models import Location, Slot, Timebook, TimeType
from resourcebooks.services import local_day_bounds

from .gp_selectors import bookable_slots

# Entries are never stale (the version sees to that); the timeout only lets unused ones go.
CACHE_SECONDS = 10 * 60

T = TypeVar("T")


def free_slots(timebook: Timebook, location: Location | None = None) -> QuerySet[Slot]:
    qs = bookable_slots(
        Slot.objects.filter(timebook=timebook, state=Slot.State.FREE, start__gt=timezone.now()), timebook
    )
    return qs.filter(location=location) if location is not None else qs


def _version(timebook: Timebook) -> int:
    """The slot version, asked of Redis once per page: the ``Timebook`` was loaded for this request and
    goes with it, so the version it carries is as fresh as the page's first read."""
    if timebook.kind == Timebook.Kind.PRACTITIONER:
        return NO_CACHE
    version: int | None = getattr(timebook, "_slots_version", None)
    if version is None:
        version = slots_version(timebook.pk)
        timebook._slots_version = version  # type: ignore[attr-defined]
    return version


def _key(timebook: Timebook, version: int, what: str) -> str:
    return f"slots:{timebook.pk}:{version}:{what}"


def _cached(timebook: Timebook, what: str, compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave before under the timebook's current slot version."""
    version = _version(timebook)
    if version == NO_CACHE:
        return compute()
    read: dict[str, object] = getattr(timebook, "_slots_read", {})
    if what in read:
        return read[what]  # type: ignore[return-value]
    key = _key(timebook, version, what)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value  # type: ignore[no-any-return]


def _month_what(location_id: int | None, month: dt.date) -> str:
    return f"month:{location_id or 0}:{month:%Y-%m}"


def _first_what(location_id: int | None) -> str:
    return f"first:{location_id or 0}"


def _day_what(location_id: int | None, day: dt.date) -> str:
    return f"free:{location_id or 0}:{day.isoformat()}"  # not «day:», which held ``Slot`` lists


def prefetch_calendar(timebook: Timebook, *, place_id: int | None, month: dt.date | None, day: dt.date | None) -> None:
    """Ask the cache in one round trip (``get_many``) for everything «Velg time» will read of the timebook —
    its first free day, the month and the day asked for — so that the reads after it find it in
    hand. A read the guess missed (another place, the month of the first free day) asks on its own."""
    version = _version(timebook)
    if version == NO_CACHE:
        return
    whats = [_first_what(place_id)]
    whats += [_month_what(place_id, month)] if month else []
    whats += [_day_what(place_id, day)] if day else []
    keys = {what: _key(timebook, version, what) for what in whats}
    found = cache.get_many(list(keys.values()))
    timebook._slots_read = {what: found[key] for what, key in keys.items() if key in found}  # type: ignore[attr-defined]


def _free_days(timebook: Timebook, location: Location | None, month: dt.date) -> list[dt.date]:
    """The month's days with a free slot, from one grouped query over the month (a month of 5-minute slots
    is ~1,700 rows, grouped into ~22). Scoped to the month, not the year: in a rush the version moves with
    every booking, and what is computed again must stay cheap."""
    first = month.replace(day=1)
    start, end = local_day_bounds(first, first.replace(day=calendar.monthrange(first.year, first.month)[1]))

    def compute() -> dict[dt.date, dt.datetime]:
        rows = (
            free_slots(timebook, location)
            .filter(start__gte=start, start__lt=end)
            .annotate(day=TruncDate("start", tzinfo=ZoneInfo(settings.TIME_ZONE)))
            .order_by()  # without this, Slot's default ordering joins the GROUP BY
            .values("day")
            .annotate(last=Max("start"))
            .values_list("day", "last")
        )
        return dict(rows)

    now = timezone.now()
    days = _cached(timebook, _month_what(location.pk if location else None, first), compute)
    return sorted(day for day, last in days.items() if last > now)


def locations_with_free_slots(timebook: Timebook) -> list[Location]:
    """«Velg sted» in the office's own order, the order it made the places in (source 001 lists «Influenza»
    before «Influensavaksine 2»: not alphabetical).

    One query of the office's places, each with an ``EXISTS`` for a free slot ahead: an index probe per place
    (``slot_timebook_state_start``). Not cached: in a rush every booking moves the slot version, and the
    grouped read it replaces (the last free start per place) went through the whole year's free slots each
    time: the largest single cost in PostgreSQL during ``make bench``."""
    free_here = free_slots(timebook).filter(location=OuterRef("pk"))
    places = Location.objects.filter(organisation_id=timebook.service.organisation_id)
    return list(places.filter(Exists(free_here)).order_by("pk"))


def first_free_day(timebook: Timebook, location: Location | None) -> dt.date | None:
    """The day of the first free slot. The cached start is still the first while it lies ahead (no slot
    changed state since, or the version would have moved); once it has begun, the database is asked."""

    def compute() -> list[dt.datetime]:  # [] , not None: «no free slot» is an answer worth caching
        return list(free_slots(timebook, location).order_by("start").values_list("start", flat=True)[:1])

    first = _cached(timebook, _first_what(location.pk if location else None), compute)
    if first and first[0] <= timezone.now():
        first = compute()
    return timezone.localtime(first[0]).date() if first else None


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    in_month: bool
    has_free: bool
    is_today: bool
    selected: bool

    @property
    def iso(self) -> str:
        """The day as the calendar's links carry it (``?dag=2026-03-02``)."""
        return self.day.isoformat()


def month_calendar(
    timebook: Timebook, location: Location | None, month: dt.date, selected: dt.date | None
) -> list[list[CalendarDay | None]]:
    """Weeks (Monday first) of the month; days with free slots are marked."""
    first = month.replace(day=1)
    days_free = set(_free_days(timebook, location, first))
    today = timezone.localdate()
    return [
        [
            CalendarDay(d, True, d in days_free, d == today, d == selected) if d.month == first.month else None
            for d in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]


@dataclass(frozen=True)
class FreeSlot:
    """One free slot as the day's list shows it: what is cached is this, not the ``Slot`` (smaller to store,
    cheaper to read back, and its label is made once per version, not once per page)."""

    pk: int
    start: dt.datetime
    label: str  # «14:00 - 14:30»; in a practitioner's timebook with the time type: «14:00 - 14:30 Konsultasjon»
    video: bool
    location_id: int


def _free_slot(timebook: Timebook, slot: Slot) -> FreeSlot:
    label = fmt.time_range(slot.start, slot.end)
    if timebook.kind == Timebook.Kind.PRACTITIONER and slot.time_type is not None:
        label = f"{label} {slot.time_type.name}"
    video = slot.time_type is not None and slot.time_type.mode == TimeType.Mode.VIDEO
    return FreeSlot(pk=slot.pk, start=slot.start, label=label, video=video, location_id=slot.location_id)


def free_slots_on(timebook: Timebook, location: Location | None, day: dt.date) -> list[FreeSlot]:
    """The day's free slots in time order, with their label and whether they are by video."""
    start, end = local_day_bounds(day, day)

    def compute() -> list[FreeSlot]:
        slots = (
            free_slots(timebook, location)
            .filter(start__gte=start, start__lt=end)
            .select_related("time_type")  # not the place: read fresh when the page needs it
            .order_by("start")
        )
        return [_free_slot(timebook, slot) for slot in slots]

    now = timezone.now()
    slots = _cached(timebook, _day_what(location.pk if location else None, day), compute)
    return [slot for slot in slots if slot.start > now]


def nearest_free_slots(
    timebook: Timebook, around: dt.datetime, *, location: Location | None, count: int = 4
) -> list[Slot]:
    """The free slots nearest in time to ``around`` (before or after), for «the time is no longer free».
    Always from the database: it is asked right after a slot was lost, when freshness matters most."""
    qs = free_slots(timebook, location).select_related("location")
    after = list(qs.filter(start__gte=around).order_by("start")[:count])
    before = list(qs.filter(start__lt=around).order_by("-start")[:count])
    nearest = sorted(after + before, key=lambda s: abs((s.start - around).total_seconds()))[:count]
    return sorted(nearest, key=lambda s: s.start)
