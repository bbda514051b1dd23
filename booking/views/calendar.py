"""Steps 3–4: «Velg time» with the month calendar, and «Ledige timer …» for the chosen day.

The calendar and the day's slots are one named partial (``#picker``) of the page: htmx swaps it in place,
and a full page load renders the same markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from citizens.access import citizen_required
from core import formatting as fmt
from core.ids import parse_id
from core.limits import CALENDAR_HORIZON_DAYS
from core.requests import CitizenRequest
from resourcebooks.models import Location, Timebook, TimeType

from .. import gp_selectors as gp
from .. import selectors as sel
from .. import texts
from ..waiting_room import waiting_room
from .flow import Flow, flow_for, timebook_in_flow
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


def _month_and_day(request: CitizenRequest, first_free: Callable[[], dt.date | None]) -> tuple[dt.date, dt.date | None]:
    """The month shown and the day chosen (by default the month of the first free time, asked only then).
    Slots are published at most about a year ahead; a hand-edited date outside that is ignored."""
    today = timezone.localdate()
    first_month, horizon = today.replace(day=1), today + dt.timedelta(days=CALENDAR_HORIZON_DAYS)
    day = _parse_date(request.GET.get("dag", ""))
    if day is not None and not today <= day <= horizon:
        day = None
    month = _parse_date(request.GET.get("maned", ""), month=True)
    if month is not None and not first_month <= month <= horizon:
        month = None
    month = month or (day.replace(day=1) if day else None) or (first_free() or today).replace(day=1)
    return max(month, first_month), day


def _slot_label(timebook: Timebook, slot: Any) -> str:
    """«14:00 - 14:30»; in a practitioner's timebook with the time type after it, «14:00 - 14:30 Konsultasjon»."""
    label = fmt.time_range(slot.start, slot.end)
    if timebook.kind == Timebook.Kind.PRACTITIONER and slot.time_type is not None:
        label = f"{label} {slot.time_type.name}"
    return label


def _slots_context(
    flow: Flow, timebook: Timebook, location: Location | None, month: dt.date, day: dt.date | None
) -> dict:
    context: dict[str, Any] = {
        "weeks": sel.month_calendar(timebook, location, month, day),
        "has_any_free": sel.first_free_day(timebook, location) is not None,
    }
    if day is not None:
        slots = sel.free_slots_on(timebook, location, day)
        # One reverse for the day, not one per slot: «Se gjennom» differs between slots only in the last part.
        review = reverse("booking:review", args=[flow.service.her_id, timebook.pk, 0]).removesuffix("0/")
        context["slots"] = [(f"{review}{slot.pk}/", _slot_label(timebook, slot)) for slot in slots]
        context["has_video"] = any(s.time_type is not None and s.time_type.mode == TimeType.Mode.VIDEO for s in slots)
        context["day_title"] = fmt.short_date(day)
        context["attendance_place"] = (
            location.attendance_place if location else (slots[0].location.attendance_place if slots else "")
        )
    return context


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
    flow = flow_for(request, her_id)
    timebook = timebook_in_flow(flow, timebook_id)
    locations = sel.locations_with_free_slots(timebook)
    raw_place = request.GET.get("sted", "")
    if not raw_place and len(locations) > 1:
        return redirect("booking:place", her_id=her_id, timebook_id=timebook_id)
    location = _chosen_location(timebook, locations, raw_place) if raw_place else None
    blocked = sel.is_blocked(flow.person, timebook.service.organisation_id)
    month, day = _month_and_day(request, lambda: None if blocked else sel.first_free_day(timebook, location))
    today = timezone.localdate()
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
