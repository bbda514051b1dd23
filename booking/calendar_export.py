"""«Legg i egen kalender»: an RFC 5545 calendar file for one appointment, in Oslo time."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Appointment


def appointment_ics(appointment: Appointment, *, title: str, host: str) -> bytes:
    """One VEVENT with a stable UID (the same file twice updates, not duplicates, the calendar entry)."""
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
    event.add("location", slot.location.attendance_place)
    event.add("description", f"Timen gjelder: {appointment.reason}\nStatus: {appointment.get_status_display()}")
    if appointment.status in (Appointment.Status.CANCELLED_BY_CITIZEN, Appointment.Status.CANCELLED_BY_CLINIC):
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED" if appointment.status == Appointment.Status.ASSIGNED else "TENTATIVE")
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
