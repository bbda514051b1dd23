"""Steps 3–4: «Velg time» with the month calendar, and «Ledige timer …» for the chosen day.

The calendar and the day's slots are one named partial (``#picker``) of the page: htmx swaps it in place,
and a full page load renders the same markup.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from citizens.access import citizen_required
from citizens.selectors import is_blocked
from core import formatting as fmt
from core.ids import parse_id
from core.limits import CALENDAR_HORIZON_DAYS
from core.requests import CitizenRequest
from resourcebooks.models import Location, Timebook

from .. import gp_selectors as gp
from .. import selectors as sel
from .. import texts
from ..waiting_room import waiting_room
from .flow import Flow, flow_and_timebook
from .gp import chosen_behandler


def _parse_date(raw: str, *, month: bool = False) -> dt.date | None:
    try:
        return dt.date.fromisoformat(f"{raw}-01" if month else raw)
    except ValueError:
        return None


def _chosen_location(timebook: Timebook, locations: list[Location], raw_place: str) -> Location | None:
    """The place in ``?sted=``: one with free times, or another of the organisation's (its calendar is empty)."""
    location = next((loc for loc in locations if str(loc.pk) == raw_place), None)
    if location is None:
        place_id = parse_id(raw_place)
        if place_id is not None:
            location = Location.objects.filter(pk=place_id, organisation=timebook.service.organisation).first()
        if location is None:
            raise Http404
    return location


def _asked_month_and_day(request: CitizenRequest) -> tuple[dt.date | None, dt.date | None]:
    """The month (``?maned=``, else the chosen day's) and the day (``?dag=``) in the link, if any. Slots are
    published at most about a year ahead; a hand-edited date outside that is ignored."""
    today = timezone.localdate()
    first_month, horizon = today.replace(day=1), today + dt.timedelta(days=CALENDAR_HORIZON_DAYS)
    day = _parse_date(request.GET.get("dag", ""))
    if day is not None and not today <= day <= horizon:
        day = None
    month = _parse_date(request.GET.get("maned", ""), month=True)
    if month is not None and not first_month <= month <= horizon:
        month = None
    return month or (day.replace(day=1) if day else None), day


def _calendar_weeks(weeks: list[list[sel.CalendarDay | None]], month: dt.date) -> list[list[tuple[Any, str]]]:
    """Each day with its label for screen readers, made here once per page instead of by a translate tag in
    every cell of the template (the same msgids as the template had)."""
    month_name = fmt.month_in_text(month)
    free = _("%(day)s. %(month)s, ledige timer")
    none = _(". %(month)s, ingen ledige timer") % {"month": month_name}
    return [
        [
            (cell, (free % {"day": cell.day.day, "month": month_name}) if cell.has_free else none)
            if cell is not None
            else (None, "")
            for cell in week
        ]
        for week in weeks
    ]


def _slots_context(
    flow: Flow, timebook: Timebook, location: Location | None, month: dt.date, day: dt.date | None
) -> dict:
    context: dict[str, Any] = {
        "weeks": _calendar_weeks(sel.month_calendar(timebook, location, month, day), month),
        "has_any_free": sel.first_free_day(timebook, location) is not None,
    }
    if day is not None:
        slots = sel.free_slots_on(timebook, location, day)
        # One reverse for the day, not one per slot: «Se gjennom» differs between slots only in the last part.
        review = reverse("booking:review", args=[flow.service.her_id, timebook.pk, 0]).removesuffix("0/")
        context["slots"] = [(f"{review}{slot.pk}/", slot.label) for slot in slots]
        context["has_video"] = any(slot.video for slot in slots)
        context["day_title"] = fmt.short_date(day)
        context["attendance_place"] = location.attendance_place if location else _attendance_place(slots)
    return context


def _attendance_place(slots: list[sel.FreeSlot]) -> str:
    """Without a chosen place, the first slot's, read fresh (the cache keeps only its id)."""
    if not slots:
        return ""
    return Location.objects.filter(pk=slots[0].location_id).values_list("attendance_place", flat=True).first() or ""


def _page_context(flow: Flow, timebook: Timebook, location: Location | None, blocked: bool) -> dict[str, Any]:
    return {
        "flow": flow,
        "timebook": timebook,
        "actor": texts.actor_name(timebook),
        "office_information": timebook.office_information,
        "location": location,
        "blocked": blocked,
        "weekdays": fmt.WEEKDAYS_SHORT,
        "phone": flow.service.phone,
        "time_wish": True,
    }


def _practitioner_context(request: CitizenRequest, flow: Flow, timebook: Timebook) -> dict[str, Any]:
    """A fastlege's timebook (source 003, step 6): «<behandler> (fastlege), <timebok>», the office's information
    and its settings; «Tilbake» goes to «Velg behandler»."""
    office = gp.clinic_settings(timebook.service.organisation_id)
    behandler = chosen_behandler(request, flow, timebook)
    return {
        "actor": texts.practitioner_calendar_title(behandler, timebook),
        "office_information": office.information,
        "time_wish": office.time_wish,
        "back_url": reverse("booking:practitioner", args=[flow.service.her_id]),
    }


@require_GET
@citizen_required
@waiting_room
def choose_time(request: CitizenRequest, her_id: int, timebook_id: int) -> HttpResponse:
    """«Velg time»: the month calendar marks days with free slots; a chosen day lists them."""
    flow, timebook = flow_and_timebook(request, her_id, timebook_id)
    raw_place = request.GET.get("sted", "")
    month, day = _asked_month_and_day(request)
    # Without a month in the link the page shows the first free day's: most often this one, so ask for it too.
    guess = month or timezone.localdate().replace(day=1)
    sel.prefetch_calendar(timebook, place_id=parse_id(raw_place) if raw_place else None, month=guess, day=day)
    locations = sel.locations_with_free_slots(timebook)
    if not raw_place and len(locations) > 1:
        return redirect("booking:place", her_id=her_id, timebook_id=timebook_id)
    location = _chosen_location(timebook, locations, raw_place) if raw_place else None
    blocked = is_blocked(flow.person, timebook.service.organisation_id)
    today = timezone.localdate()
    # By default the month of the first free time, asked only then.
    first_free = None if blocked or month else sel.first_free_day(timebook, location)
    month = max(month or (first_free or today).replace(day=1), today.replace(day=1))
    context = _page_context(flow, timebook, location, blocked) | {
        "several_places": len(locations) > 1,
        "month": month,
        "month_title": fmt.month_title(month),
        "previous_month": (month - dt.timedelta(days=1)).replace(day=1) if month > today.replace(day=1) else None,
        "next_month": (month + dt.timedelta(days=32)).replace(day=1),
        "day": day,
        # The calendar's links differ only in ?maned= or ?dag=: the rest is built once.
        "link_base": f"{request.path}?sted={location.pk}&" if location else f"{request.path}?",
        "required_note": "" if blocked else texts.ALL_FIELDS_REQUIRED,
    }
    if timebook.kind == Timebook.Kind.PRACTITIONER:
        context |= _practitioner_context(request, flow, timebook)
    if not blocked:
        context |= _slots_context(flow, timebook, location, month, day)
    template = "booking/choose_time.html" + ("#picker" if request.htmx else "")
    return render(request, template, context)
