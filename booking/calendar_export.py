"""«Legg i egen kalender»: an RFC 5545 calendar file for one appointment, in Oslo time."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from . import texts
from .models import Appointment


def appointment_ics(appointment: Appointment, *, title: str, host: str) -> bytes:
    """One VEVENT with a stable UID (the same file twice updates, not duplicates, the calendar entry). Only an
    active appointment (``Appointment.is_active``, the rule the page's «Legg i egen kalender» follows) is a time
    in the calendar; any other is the same entry, cancelled."""
    tz = ZoneInfo(settings.TIME_ZONE)
    slot = appointment.slot
    cal = Calendar()
    cal.add("prodid", "-//Helsenorge-simulator//Timeavtaler//NO")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"timeavtale-{appointment.pk}@{host.split(':')[0] or 'helsenorge-sim'}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.start.astimezone(tz))
    event.add("dtend", slot.end.astimezone(tz))
    event.add("summary", title)
    event.add("location", slot.attendance_place)
    behandler = texts.appointment_behandler_line(appointment)
    lines = [f"Timen gjelder: {appointment.reason}", behandler, f"Status: {appointment.get_status_display()}"]
    event.add("description", "\n".join(line for line in lines if line))
    if appointment.is_active:
        event.add("status", "CONFIRMED" if appointment.status == Appointment.Status.ASSIGNED else "TENTATIVE")
        event.add("sequence", 0)
    else:
        # Cancelled, rejected or moved (the new time is an appointment, and a calendar entry, of its own): the
        # same UID with a later SEQUENCE cancels an entry the person added while the time stood.
        event.add("status", "CANCELLED")
        event.add("sequence", 1)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
