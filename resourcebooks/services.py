"""Writes of the clinic's side. Each service owns its transaction and says what it locks."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

import audit
from core.limits import MAX_PUBLISH_DAYS
from core.locking import lock_rows

from .freshness import slots_changed
from .models import Slot, Timebook, WeekTemplate
from .signals import holds_withdrawn

__all__ = ["MAX_PUBLISH_DAYS", "slots_publish", "slots_withdraw", "slots_withdraw_selected"]

BULK_BATCH = 5000


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _fmt_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _fmt_local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y kl. %H:%M")


def local_day_bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """UTC instants of local midnight at the start of ``date_from`` and the end of ``date_to``."""
    tz = _tz()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


@dataclass(frozen=True)
class PublishResult:
    created: int
    existing: int
    date_from: dt.date
    date_to: dt.date

    @property
    def message(self) -> str:
        period = f"{_fmt_date(self.date_from)}–{_fmt_date(self.date_to)}"
        if self.created == 0 and self.existing:
            return ngettext(
                "Ingen nye timer: %(count)d time i perioden %(period)s var publisert fra før.",
                "Ingen nye timer: alle %(count)d timer i perioden %(period)s var publisert fra før.",
                self.existing,
            ) % {"count": self.existing, "period": period}
        if self.created == 0:
            return f"Ingen timer å publisere i perioden {period}."
        text = ngettext(
            "Publiserte %(count)d ny time for perioden %(period)s.",
            "Publiserte %(count)d nye timer for perioden %(period)s.",
            self.created,
        ) % {"count": self.created, "period": period}
        if self.existing:
            text += " " + ngettext(
                "%(count)d time fantes fra før og ble ikke laget på nytt.",
                "%(count)d timer fantes fra før og ble ikke laget på nytt.",
                self.existing,
            ) % {"count": self.existing}
        return text


def template_validate(template: WeekTemplate) -> None:
    """The template's own rules, shared by the admin form and ``slots_publish``."""
    errors: dict[str, str] = {}
    if not template.weekdays or any(d not in range(7) for d in template.weekdays):
        errors["weekdays"] = "Velg minst én ukedag."
    if template.start_time and template.end_time:
        if template.end_time <= template.start_time:
            errors["end_time"] = "Sluttidspunktet må være etter starttidspunktet."
        elif template.slot_minutes and template.window_minutes % template.slot_minutes:
            errors["slot_minutes"] = (
                f"Timelengden ({template.slot_minutes} min) går ikke opp i tidsrommet "
                f"{template.start_time:%H:%M}–{template.end_time:%H:%M} ({template.window_minutes} min)."
            )
    if template.valid_from and template.valid_to and template.valid_to < template.valid_from:
        errors["valid_to"] = "«Gyldig til» kan ikke være før «gyldig fra»."
    if errors:
        raise ValidationError(errors)


# Not public holidays in Norway, but days a clinic is closed all the same (issue 12: the demo published slots
# on 24 and 31 December). Skipped together with the public holidays.
CLOSED_EVES = ((12, 24, "Julaften"), (12, 31, "Nyttårsaften"))


def closed_days(date_from: dt.date, date_to: dt.date) -> dict[dt.date, str]:
    """The days a week template that skips holidays publishes nothing on, with their Norwegian names: Norway's
    public holidays (``holidays.Norway``; plain Sundays are not among them, a template that names Sundays
    means them) and ``CLOSED_EVES``."""
    years = range(date_from.year, date_to.year + 1)
    days: dict[dt.date, str] = dict(holidays.Norway(years=years, include_sundays=False, language="no"))
    days.update({dt.date(year, month, day): name for year in years for month, day, name in CLOSED_EVES})
    return days


def template_slot_times(
    template: WeekTemplate, date_from: dt.date, date_to: dt.date
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """The (start, end) UTC instants a template gives on the days from ``date_from`` to ``date_to``.

    Week templates think in local wall-clock time: a 08:00 slot is 08:00 in Oslo on either side of a
    DST change. Wall-clock times that do not exist (the hour skipped in March) are left out; the end is
    the start plus the slot length in absolute time, so the repeated hour in October never makes a
    slot longer than the template says. A template that skips holidays gives nothing on ``closed_days``.
    """
    tz = _tz()
    length = dt.timedelta(minutes=template.slot_minutes)
    weekdays = set(template.weekdays)
    closed = closed_days(date_from, date_to) if template.skip_holidays else {}
    day = date_from
    while day <= date_to:
        if day.weekday() in weekdays and day not in closed:
            wall = dt.datetime.combine(day, template.start_time)
            last = dt.datetime.combine(day, template.end_time)
            previous_end: dt.datetime | None = None
            while wall + length <= last:
                start = wall.replace(tzinfo=tz).astimezone(dt.UTC)
                exists = start.astimezone(tz).replace(tzinfo=None) == wall
                # Across the skipped spring hour a slot ends an hour later on the wall clock than the next
                # wall-clock start: that next slot would overlap and is left out.
                if exists and (previous_end is None or start >= previous_end):
                    yield start, start + length
                    previous_end = start + length
                wall += length
        day += dt.timedelta(days=1)


def _check_range(date_from: dt.date, date_to: dt.date, today: dt.date) -> None:
    if date_to < date_from:
        raise ValidationError({"date_to": "Til-datoen kan ikke være før fra-datoen."})
    if date_from < today:
        raise ValidationError(
            {"date_from": "Kan ikke publisere timer tilbake i tid. Velg en fra-dato fra og med i dag."}
        )
    horizon = today + dt.timedelta(days=MAX_PUBLISH_DAYS)
    if date_to > horizon:
        raise ValidationError(
            {"date_to": f"Kan publisere høyst ett år fram i tid, det vil si til og med {_fmt_date(horizon)}."}
        )


def slots_publish(
    *, template: WeekTemplate, date_from: dt.date, date_to: dt.date, today: dt.date | None = None
) -> PublishResult:
    """Turn a week template into free slots over a date range, in bulk.

    Idempotent: slots that already exist with the same start and end (in any state, withdrawn included,
    so a withdrawn holiday stays withdrawn) are counted, not created again. Refuses, creating nothing,
    when a new slot would overlap another slot of the timebook, when the range starts in the past or
    reaches more than ``MAX_PUBLISH_DAYS`` ahead. A template that skips holidays (the default) creates
    nothing on public holidays, Christmas Eve and New Year's Eve (``closed_days``).

    Locks the timebook row (``SELECT … FOR UPDATE``, with the lock timeout) so two publishes into the same
    timebook are serialised and the overlap check sees what the other one inserted.
    """
    template_validate(template)
    _check_range(date_from, date_to, today or timezone.localdate())
    first = max(date_from, template.valid_from)
    last = min(date_to, template.valid_to)
    if last < first:
        raise ValidationError(
            f"Ukemalen gjelder ikke i perioden {_fmt_date(date_from)}–{_fmt_date(date_to)} "
            f"(den er gyldig {_fmt_date(template.valid_from)}–{_fmt_date(template.valid_to)})."
        )
    now = timezone.now()
    candidates = [(s, e) for s, e in template_slot_times(template, first, last) if s > now]
    if not candidates:
        return PublishResult(created=0, existing=0, date_from=first, date_to=last)

    with transaction.atomic():
        lock_rows(Timebook.objects.filter(pk=template.timebook_id))
        existing = sorted(
            Slot.objects.filter(
                timebook_id=template.timebook_id, start__lt=candidates[-1][1], end__gt=candidates[0][0]
            ).values_list("start", "end")
        )
        already = set(existing)
        new = [c for c in candidates if c not in already]
        _refuse_overlaps(new, existing)
        Slot.objects.bulk_create(
            [
                Slot(
                    timebook_id=template.timebook_id,
                    location_id=template.location_id,
                    template=template,
                    time_type_id=template.time_type_id,
                    start=start,
                    end=end,
                )
                for start, end in new
            ],
            batch_size=BULK_BATCH,
        )
        if new:
            slots_changed(template.timebook_id)
    return PublishResult(created=len(new), existing=len(candidates) - len(new), date_from=first, date_to=last)


def _refuse_overlaps(
    new: list[tuple[dt.datetime, dt.datetime]], existing: list[tuple[dt.datetime, dt.datetime]]
) -> None:
    """Both lists sorted by start; existing slots never overlap each other, so one sweep finds every clash."""
    for (_, end), (next_start, _) in itertools.pairwise(new):
        if next_start < end:  # cannot happen from template_slot_times; a last guard before the insert
            raise ValidationError(
                f"Ukemalen gir overlappende timer ({_fmt_local(next_start)}). Ingen timer ble publisert."
            )
    clashes = []
    i = 0
    for start, end in new:
        while i < len(existing) and existing[i][1] <= start:
            i += 1
        if i < len(existing) and existing[i][0] < end:
            clashes.append((start, existing[i][0]))
    if clashes:
        first_new, first_old = clashes[0]
        raise ValidationError(
            f"Ingen timer ble publisert: {len(clashes)} nye timer ville overlappe timer som allerede finnes i "
            f"timeboken (første: {_fmt_local(first_new)} mot eksisterende time {_fmt_local(first_old)}). "
            "En timebok er én persons kalender, så timene kan ikke overlappe."
        )


WITHDRAWABLE = (Slot.State.FREE, Slot.State.ON_HOLD)


def _withdraw(slots: QuerySet[Slot]) -> int:
    """Free and held slots become withdrawn; the holders are told (the hooks). Booked slots are left alone, and a
    slot a citizen claims at the same moment is either claimed or withdrawn, never both (row locks, then a
    conditional update). The holders are told through ``signals.holds_withdrawn``."""
    held = list(slots.filter(state=Slot.State.ON_HOLD).select_for_update().values_list("pk", flat=True))
    count = slots.filter(state__in=WITHDRAWABLE).update(state=Slot.State.WITHDRAWN)
    if held:
        holds_withdrawn.send(sender=Slot, slot_ids=held)
    return count


def slots_withdraw(*, timebook: Timebook, date_from: dt.date, date_to: dt.date) -> int:
    """Withdraw every free (or held) slot of the timebook on the local days ``date_from``–``date_to`` (absence,
    holidays). One row in the audit trail, with the count.
    """
    if date_to < date_from:
        raise ValidationError({"date_to": "Til-datoen kan ikke være før fra-datoen."})
    start, end = local_day_bounds(date_from, date_to)
    with transaction.atomic():
        count = _withdraw(Slot.objects.filter(timebook=timebook, start__gte=start, start__lt=end))
        if count:
            slots_changed(timebook.pk)
        _withdrawal_record(timebook, count, f"{_fmt_date(date_from)}–{_fmt_date(date_to)}")
    return count


def slots_withdraw_selected(*, slots: QuerySet[Slot]) -> int:
    """Withdraw the free (and held) slots among ``slots``, per timebook; others are left as they are.
    One row in the audit trail per timebook, with its count."""
    total = 0
    with transaction.atomic():
        timebooks = Timebook.objects.filter(pk__in=slots.values("timebook_id")).select_related("service__organisation")
        for timebook in timebooks:
            count = _withdraw(slots.filter(timebook=timebook))
            if count:
                slots_changed(timebook.pk)
            _withdrawal_record(timebook, count, "blant de valgte")
            total += count
    return total


def _withdrawal_record(timebook: Timebook, count: int, which: str) -> None:
    her_id = timebook.service.organisation.her_id
    summary = f"Trakk tilbake {count} ledige timer ({which})"
    audit.record("update", "timebook", timebook.pk, organisation_her_id=her_id, summary=summary)
