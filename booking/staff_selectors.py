"""Reads of the clinic's own booking pages (issue 22, «the staff side, made for the work»): the practitioner's day
and week as a grid, the office's patients found by name or fødselsnummer, and what the staff's landing page shows.

Everything here is scoped to the organisations the staff user works for (``organisations_for_staff``); a
timebook, slot or appointment of another organisation is not found (404), never refused, so that its existence
is not told."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from addressregistry.models import Organisation
from citizens.models import Citizen
from resourcebooks.models import Slot, Timebook
from resourcebooks.selectors import organisations_for_staff
from resourcebooks.services import local_day_bounds

from .models import Appointment, TimeRequest

# A search answers with a handful of patients: enough to tell two namesakes apart, never the office's list.
PATIENT_MATCHES = 5
NOT_FOUND = "Finnes ikke, eller tilhører en annen virksomhet."


def timebooks_for_staff(user: Any) -> QuerySet[Timebook]:
    return Timebook.objects.filter(service__organisation__in=organisations_for_staff(user)).select_related(
        "practitioner", "service__organisation"
    )


def timebook_for_staff(user: Any, pk: int) -> Timebook:
    timebook = timebooks_for_staff(user).filter(pk=pk).first()
    if timebook is None:
        raise Http404(NOT_FOUND)
    return timebook


def appointment_for_staff(user: Any, pk: int) -> Appointment:
    """An appointment of one of the user's timebooks; another organisation's answers 404."""
    appointment = (
        Appointment.objects.filter(pk=pk, slot__timebook__in=timebooks_for_staff(user))
        .select_related("slot__timebook__practitioner", "slot__time_type", "citizen", "behandler")
        .first()
    )
    if appointment is None:
        raise Http404(NOT_FOUND)
    return appointment


def patients_of(organisations: QuerySet[Organisation] | list[Organisation]) -> QuerySet[Citizen]:
    """The patients an office may put on a time: a GP office's are those on its list (by office or by fastlege);
    a municipality's are its residents."""
    on_list = (
        Q(gp_office__in=organisations) | Q(fastlege__organisation__in=organisations) | Q(municipality__in=organisations)
    )
    return Citizen.objects.filter(on_list)


ASCII_DIGITS_AND_SPACE = frozenset("0123456789 ")


def patients_matching(organisation: Organisation, query: str) -> list[Citizen]:
    """At most ``PATIENT_MATCHES`` of the organisation's patients whose fødselsnummer starts with the digits
    typed (six or more), or whose names hold every word typed."""
    query = " ".join(query.split())[:100]
    patients = patients_of([organisation])
    if query and all(c in ASCII_DIGITS_AND_SPACE for c in query):
        digits = query.replace(" ", "")  # «010180 12345», as the number is often written
        if len(digits) < 6:
            return []
        patients = patients.filter(national_id__startswith=digits)
    elif query:
        for word in query.split(" "):
            patients = patients.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    else:
        return []
    return list(patients.order_by("last_name", "first_name", "pk")[:PATIENT_MATCHES])


@dataclass(frozen=True)
class GridSlot:
    slot: Slot
    appointment: Appointment | None
    bookable: bool  # free and still ahead


@dataclass(frozen=True)
class GridDay:
    day: dt.date
    slots: list[GridSlot]

    @property
    def free(self) -> int:
        return sum(1 for s in self.slots if s.bookable)


def grid_days(timebook: Timebook, first_day: dt.date, days: int) -> list[GridDay]:
    """The timebook's slots (not withdrawn) from ``first_day`` for ``days`` local days, each with its active
    appointment; a week leaves out a weekend without slots."""
    start, end = local_day_bounds(first_day, first_day + dt.timedelta(days=days - 1))
    slots = list(
        timebook.slots.filter(start__gte=start, start__lt=end)
        .exclude(state=Slot.State.WITHDRAWN)
        .select_related("time_type", "location")
        .order_by("start")
    )
    active = Appointment.objects.filter(slot__in=slots, status__in=Appointment.ACTIVE).select_related(
        "citizen", "behandler"
    )
    by_slot = {a.slot_id: a for a in active}
    now = timezone.now()
    by_day: dict[dt.date, list[GridSlot]] = {first_day + dt.timedelta(days=i): [] for i in range(days)}
    for slot in slots:
        bookable = slot.state == Slot.State.FREE and slot.start > now
        by_day[timezone.localtime(slot.start).date()].append(GridSlot(slot, by_slot.get(slot.pk), bookable))
    return [GridDay(day, rows) for day, rows in by_day.items() if rows or days == 1 or day.weekday() < 5]


def appointments_today(user: Any, day: dt.date | None = None) -> QuerySet[Appointment]:
    """The day's active appointments in the user's timebooks, in time order, with their behandler."""
    start, end = local_day_bounds(day or timezone.localdate(), day or timezone.localdate())
    return (
        Appointment.objects.filter(
            slot__timebook__in=timebooks_for_staff(user),
            slot__start__gte=start,
            slot__start__lt=end,
            status__in=Appointment.ACTIVE,
        )
        .select_related("slot__timebook__practitioner", "slot__time_type", "citizen", "behandler")
        .order_by("slot__start", "pk")
    )


def time_requests_waiting(user: Any) -> QuerySet[TimeRequest]:
    """The «Send timeforespørsel» requests not yet handled, at the user's organisations."""
    return (
        TimeRequest.objects.filter(
            service__organisation__in=organisations_for_staff(user), status=TimeRequest.Status.NEW
        )
        .select_related("citizen", "timebook")
        .order_by("created_at", "pk")
    )
