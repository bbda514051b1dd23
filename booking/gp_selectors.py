"""Reads for booking with the fastlege (source 003, rules from source 004): whose timebook a citizen may book
in, who is listed under «Velg behandler», and which of its free slots can be booked on the internet.

Each rule lives here once: the calendar's selectors and the service that claims a slot both call it, so a
hand-made POST cannot book what the calendar does not show.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from citizens.models import Citizen
from resourcebooks.models import ClinicSettings, Practitioner, Slot, Timebook
from resourcebooks.selectors import behandlere_for


def clinic_settings(organisation_id: int) -> ClinicSettings:
    """The office's «Tilpass Helsenorge» settings; an office that never saved any has the defaults."""
    found = ClinicSettings.objects.filter(organisation_id=organisation_id).first()
    return found or ClinicSettings(organisation_id=organisation_id)


def fastlege_timebook(person: Citizen, organisation_id: int) -> Timebook | None:
    """The one timebook the person may book with the fastlege in, or None (source 004): only the person's
    own fastlege's, at this office; a fastlege who owns more than one timebook cannot be booked at all; the
    timebook must be online. A LIS1 or a vikar owns no bookable timebook (a vikar books in the fastlege's)."""
    fastlege = person.fastlege
    if fastlege is None or fastlege.role != Practitioner.Role.FASTLEGE or fastlege.organisation_id != organisation_id:
        return None
    owned = list(
        Timebook.objects.filter(kind=Timebook.Kind.PRACTITIONER, practitioner=fastlege).select_related(
            "service__organisation", "practitioner"
        )[:2]
    )
    if len(owned) != 1 or not owned[0].online:
        return None
    return owned[0]


def booking_limit(timebook: Timebook) -> int:
    """How many active bookings one person may hold in the timebook: a resource timebook's own setting; in a
    fastlege's timebook the office's (the sources state no limit for the fastlege: README, «Booking with the
    fastlege»)."""
    if timebook.kind == Timebook.Kind.PRACTITIONER:
        return clinic_settings(timebook.service.organisation_id).fastlege_max_active_bookings
    return timebook.max_active_bookings


def may_book_practitioner(person: Citizen, timebook: Timebook) -> bool:
    return fastlege_timebook(person, timebook.service.organisation_id) == timebook


def behandlere(timebook: Timebook, day: dt.date | None = None) -> list[Practitioner]:
    """«Velg behandler ved <kontor>»: the fastlege, then each vikar set on him on ``day`` (today), when the office's
    journal system supports the vikar solution (``resourcebooks.selectors.behandlere_for``, which AR support's
    preview lists too)."""
    fastlege = timebook.practitioner
    if fastlege is None:
        return []
    return behandlere_for(fastlege, day)


def bookable_slots(slots: QuerySet[Slot], timebook: Timebook) -> QuerySet[Slot]:
    """A practitioner timebook's slots that may be booked on the internet: the time type online, and a
    Hastetime only when the office allows it, from so many hours before it starts. Resource timebooks: all."""
    if timebook.kind != Timebook.Kind.PRACTITIONER:
        return slots
    untyped_or = Q(time_type__isnull=True)
    slots = slots.filter(untyped_or | Q(time_type__online=True))
    office = clinic_settings(timebook.service.organisation_id)
    not_urgent = untyped_or | Q(time_type__urgent=False)
    if not office.urgent_online:
        return slots.filter(not_urgent)
    opens = timezone.now() + dt.timedelta(hours=office.urgent_online_hours_before)
    return slots.filter(not_urgent | Q(start__lte=opens))
