"""Dates and times as the sources write them, independent of the active locale.

«Ledige timer 6. feb. 2025», «Torsdag 6. februar 2025 kl. 11:15 - 11:20», «< Februar 2025 >»,
«6. februar 2025 kl. 11:15: Time for vaksine hos …».
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip
MONTHS_SHORT = ("jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "des.")
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
WEEKDAYS_SHORT = ("Man", "Tir", "Ons", "Tor", "Fre", "Lør", "Søn")


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def month_title(first_day: dt.date) -> str:
    """«Februar 2025»."""
    return f"{MONTHS[first_day.month - 1].capitalize()} {first_day.year}"


def short_date(day: dt.date) -> str:
    """«6. feb. 2025»."""
    return f"{day.day}. {MONTHS_SHORT[day.month - 1]} {day.year}"


def long_date(day: dt.date) -> str:
    """«6. februar 2025»."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def weekday_long_date(day: dt.date) -> str:
    """«Torsdag 6. februar 2025»."""
    return f"{WEEKDAYS[day.weekday()].capitalize()} {long_date(day)}"


def time_range(start: dt.datetime, end: dt.datetime) -> str:
    """«11:15 - 11:20» in Oslo time."""
    return f"{local(start):%H:%M} - {local(end):%H:%M}"


def review_line(start: dt.datetime, end: dt.datetime) -> str:
    """«Torsdag 6. februar 2025 kl. 11:15 - 11:20»."""
    return f"{weekday_long_date(local(start).date())} kl. {time_range(start, end)}"


def appointment_moment(start: dt.datetime) -> str:
    """«6. februar 2025 kl. 11:15»."""
    when = local(start)
    return f"{long_date(when.date())} kl. {when:%H:%M}"


def sms_moment(start: dt.datetime) -> str:
    """«06.02.2025, kl. 11:15» (the confirmation text: [dd.mm.åååå, kl. tt:mm])."""
    when = local(start)
    return f"{when:%d.%m.%Y}, kl. {when:%H:%M}"
