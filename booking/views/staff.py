"""The clinic's grid (issue 22, source 004 «Sette opp pasient på time», «Flytt time»): the timebook's day or week,
where staff pick a free time, find the patient by name or fødselsnummer and choose the time type; moving an
appointment is picking its new free time in the same grid. In the look of the clinic admin; staff only, and a
timebook, slot, patient or appointment of another organisation answers 404.

Made for the keyboard: the first free time of the grid, the search field, then the reason (or the chosen
appointment's «Flytt») take the focus when the page opens, so the work is a handful of keypresses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.reads import ReadPage, audited_read
from core.ids import parse_id
from resourcebooks.models import Slot, Timebook
from resourcebooks.slot_choices import slot_label

from ..errors import BookingError
from ..forms_staff import PatientSearchForm, StaffBookForm
from ..models import Appointment
from ..services import appointment_book_by_clinic, appointment_move
from ..staff_selectors import (
    NOT_FOUND,
    appointment_for_staff,
    grid_days,
    patients_matching,
    patients_of,
    timebook_for_staff,
)

View = Callable[..., HttpResponse]
DAY, WEEK = "dag", "uke"
EARLIEST, LATEST = dt.date(1900, 1, 8), dt.date(9998, 12, 24)
# The grid shows patients' names: a read of the timebook (or the appointment being moved), as the admin's day is.
GRID_PAGE = ReadPage("timebook", "timebook_id", Timebook, "service__organisation__her_id")
MOVE_PAGE = ReadPage("appointment", "pk", Appointment, "slot__timebook__service__organisation__her_id")


def staff_only(view: View) -> View:
    """Logged-in, active staff only (anyone else goes to the staff login and back); changing an appointment
    takes the clinic's booking permission (403 without it)."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("booking.change_appointment"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return user_passes_test(lambda u: u.is_active and u.is_staff, login_url="staff_login")(checked)


def _day(request: HttpRequest, default: dt.date) -> dt.date:
    """``?dato=ÅÅÅÅ-MM-DD``; a bad or absurd date is told and the default shown."""
    raw = request.GET.get("dato", "")
    if not raw:
        return default
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or not EARLIEST <= day <= LATEST:
        messages.error(request, "Ugyldig dato. Bruk formatet ÅÅÅÅ-MM-DD.")
        return default
    return day


def grid_url(timebook: Timebook, day: dt.date, view: str = WEEK, **extra: Any) -> str:
    query = urlencode({"dato": day.isoformat(), "visning": view, **extra})
    return f"{reverse('booking:staff_timebook', args=[timebook.pk])}?{query}"


def _grid_context(request: HttpRequest, timebook: Timebook, day: dt.date, view: str) -> dict[str, Any]:
    first = day if view == DAY else day - dt.timedelta(days=day.weekday())
    step = dt.timedelta(days=1 if view == DAY else 7)
    days = grid_days(timebook, first, 1 if view == DAY else 7)
    title = f"{day:%d.%m.%Y}" if view == DAY else f"uke {first.isocalendar().week} {first.isocalendar().year}"
    return {
        **admin.site.each_context(request),
        "timebook": timebook,
        "view": view,
        "day": day,
        "days": days,
        "title": f"{timebook.name}: {title}",
        "previous_url": grid_url(timebook, first - step, view),
        "next_url": grid_url(timebook, first + step, view),
        "other_view_url": grid_url(timebook, day, WEEK if view == DAY else DAY),
        "other_view": "Uke" if view == DAY else "Dag",
        "timebook_url": grid_url(timebook, day, view),
        # Reversed once, not per slot: «…/sett-opp/<slot>/» and «…/timer/<appointment>/flytt/».
        "book_base": reverse("booking:staff_book", args=[timebook.pk, 0]).removesuffix("0/"),
        "move_base": reverse("booking:staff_move", args=[0]).removesuffix("0/flytt/"),
        "first_free": next((s.slot.pk for d in days for s in d.slots if s.bookable), None),
    }


@require_GET
@staff_only
@audited_read(GRID_PAGE)
def timebook_grid(request: HttpRequest, timebook_id: int) -> HttpResponse:
    """The day or week of one timebook: a free time opens «Sett opp pasient på time», a booked one offers «Flytt»."""
    timebook = timebook_for_staff(request.user, timebook_id)
    view = DAY if request.GET.get("visning") == DAY else WEEK
    context = _grid_context(request, timebook, _day(request, timezone.localdate()), view)
    context["chosen"] = parse_id(request.GET.get("valgt", ""))
    return render(request, "booking/staff/grid.html", context)


def _slot_of(timebook: Timebook, slot_id: int) -> Slot:
    slot = timebook.slots.select_related("time_type", "timebook").filter(pk=slot_id).first()
    if slot is None:
        raise Http404(NOT_FOUND)
    return slot


@require_http_methods(["GET", "POST"])
@staff_only
@audited_read(GRID_PAGE)  # the patient search shows names and birth dates: each look-up is a read
def book(request: HttpRequest, timebook_id: int, slot_id: int) -> HttpResponse:
    """«Sett opp pasient på time» on one free time: search the office's patients, choose one, the time type and
    what it is about; assigned at once through ``appointment_book_by_clinic`` (which tells the patient)."""
    timebook = timebook_for_staff(request.user, timebook_id)
    slot = _slot_of(timebook, slot_id)
    organisation = timebook.service.organisation
    search = PatientSearchForm(request.GET if request.method == "GET" else request.POST)
    query = search.cleaned_data["pasient"] if search.is_valid() else ""
    matches = patients_matching(organisation, query)
    form = StaffBookForm(request.POST if request.method == "POST" else None, slot=slot, matches=matches)
    ahead = slot.state == Slot.State.FREE and slot.start > timezone.now()
    if request.method == "POST" and form.is_valid() and not ahead:
        form.add_error(None, "Timen er ikke ledig, eller den er passert. Velg en annen time.")
    elif request.method == "POST" and form.is_valid():
        patient = patients_of([organisation]).filter(pk=form.cleaned_data["patient"]).first()
        if patient is None:
            raise Http404(NOT_FOUND)
        try:
            appointment = appointment_book_by_clinic(
                person=patient,
                slot=slot,
                reason=form.cleaned_data["reason"],
                time_type=form.cleaned_data["time_type"],
            )
        except BookingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"{patient.full_name} er satt opp på {slot_label(appointment.slot)}.")
            day = timezone.localtime(appointment.slot.start).date()
            return HttpResponseRedirect(grid_url(timebook, day, valgt=appointment.pk))
    context = {
        **admin.site.each_context(request),
        "title": "Sett opp pasient på time",
        "timebook": timebook,
        "slot": slot,
        "slot_label": slot_label(slot),
        "bookable": ahead,
        "search": search,
        "query": query,
        "form": form,
        "matches": matches,
        "back_url": grid_url(timebook, timezone.localtime(slot.start).date()),
    }
    return render(request, "booking/staff/book.html", context, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@staff_only
@audited_read(MOVE_PAGE)
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """«Flytt time»: the appointment's timebook as a grid where each free time is a button; pressing one moves the
    appointment there through ``appointment_move`` (a new appointment replaces it; the patient is told)."""
    appointment = appointment_for_staff(request.user, pk)
    timebook = appointment.slot.timebook
    if request.method == "POST":
        slot_id = parse_id(request.POST.get("slot", ""))
        to_slot = _slot_of(timebook, slot_id) if slot_id is not None else None
        if to_slot is None:
            messages.error(request, "Velg en ledig time å flytte til.")
        else:
            try:
                new = appointment_move(appointment=appointment, to_slot=to_slot)
            except BookingError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"Timen er flyttet til {slot_label(new.slot)}. Pasienten er varslet.")
                day = timezone.localtime(new.slot.start).date()
                return HttpResponseRedirect(grid_url(timebook, day, valgt=new.pk))
        return HttpResponseRedirect(reverse("booking:staff_move", args=[appointment.pk]))
    view = DAY if request.GET.get("visning") == DAY else WEEK
    day = _day(request, timezone.localtime(appointment.slot.start).date())
    context = _grid_context(request, timebook, day, view)
    move_url = reverse("booking:staff_move", args=[appointment.pk])
    for key in ("previous_url", "next_url", "other_view_url"):
        context[key] = move_url + "?" + context[key].split("?", 1)[1]
    context |= {
        "title": f"Flytt time: {appointment.citizen.full_name}",
        "moving": appointment,
        "moving_label": slot_label(appointment.slot),
        "active": appointment.is_active,
    }
    return render(request, "booking/staff/grid.html", context)
