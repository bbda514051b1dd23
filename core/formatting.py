"""Dates and times as the sources write them, independent of Django's locale formats.

«Ledige timer 6. feb. 2025», «Torsdag 6. februar 2025 kl. 11:15 - 11:20», «< Februar 2025 >»,
«6. februar 2025 kl. 11:15: Time for vaksine hos …».

Norwegian is what the sources write and what every stored text (Innboks, SMS, e-mail) uses. When the
citizen has chosen English under «Språk/Language», the pages get English names and order instead
(«6 Feb 2025», «Thursday 6 February 2025 at 11:15 - 11:20»). Pass ``lang="nb"`` for a text that is
stored or sent, so that it stays Norwegian whatever the language of the request that wrote it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import overload

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip
MONTHS_SHORT = ("jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "des.")
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTHS_SHORT_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _english(lang: str | None = None) -> bool:
    """Whether to write English: the given language, else the active one (Norwegian by default)."""
    code = lang or get_language() or settings.LANGUAGE_CODE
    return code.lower().startswith("en")


class _WeekdaysShort(Sequence[str]):
    """The calendar's column heads, «Man … Søn», or «Mon … Sun» when English is active."""

    NB = ("Man", "Tir", "Ons", "Tor", "Fre", "Lør", "Søn")
    EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

    def _current(self) -> tuple[str, ...]:
        return self.EN if _english() else self.NB

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._current()[index]

    def __len__(self) -> int:
        return 7

    def __iter__(self) -> Iterator[str]:
        return iter(self._current())

    def __eq__(self, other: object) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, Sequence) else other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(self._current())


WEEKDAYS_SHORT: Sequence[str] = _WeekdaysShort()


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def month_title(first_day: dt.date, *, lang: str | None = None) -> str:
    """«Februar 2025» (English: «February 2025»)."""
    if _english(lang):
        return f"{MONTHS_EN[first_day.month - 1]} {first_day.year}"
    return f"{MONTHS[first_day.month - 1].capitalize()} {first_day.year}"


def month_in_text(first_day: dt.date, *, lang: str | None = None) -> str:
    """The month inside a sentence: «februar 2025» (English: «February 2025»)."""
    if _english(lang):
        return month_title(first_day, lang=lang)
    return f"{MONTHS[first_day.month - 1]} {first_day.year}"


def short_date(day: dt.date, *, lang: str | None = None) -> str:
    """«6. feb. 2025» (English: «6 Feb 2025»)."""
    if _english(lang):
        return f"{day.day} {MONTHS_SHORT_EN[day.month - 1]} {day.year}"
    return f"{day.day}. {MONTHS_SHORT[day.month - 1]} {day.year}"


def long_date(day: dt.date, *, lang: str | None = None) -> str:
    """«6. februar 2025» (English: «6 February 2025»)."""
    if _english(lang):
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def weekday_long_date(day: dt.date, *, lang: str | None = None) -> str:
    """«Torsdag 6. februar 2025» (English: «Thursday 6 February 2025»)."""
    if _english(lang):
        return f"{WEEKDAYS_EN[day.weekday()]} {long_date(day, lang=lang)}"
    return f"{WEEKDAYS[day.weekday()].capitalize()} {long_date(day, lang=lang)}"


def time_range(start: dt.datetime, end: dt.datetime) -> str:
    """«11:15 - 11:20» in Oslo time."""
    return f"{local(start):%H:%M} - {local(end):%H:%M}"


def review_line(start: dt.datetime, end: dt.datetime, *, lang: str | None = None) -> str:
    """«Torsdag 6. februar 2025 kl. 11:15 - 11:20» (English: «Thursday 6 February 2025 at 11:15 - 11:20»)."""
    at = "at" if _english(lang) else "kl."
    return f"{weekday_long_date(local(start).date(), lang=lang)} {at} {time_range(start, end)}"


def appointment_moment(start: dt.datetime, *, lang: str | None = None) -> str:
    """«6. februar 2025 kl. 11:15» (English: «6 February 2025 at 11:15»)."""
    when = local(start)
    at = "at" if _english(lang) else "kl."
    return f"{long_date(when.date(), lang=lang)} {at} {when:%H:%M}"


def sms_moment(start: dt.datetime) -> str:
    """«06.02.2025, kl. 11:15» (the confirmation text: [dd.mm.åååå, kl. tt:mm]); always Norwegian."""
    when = local(start)
    return f"{when:%d.%m.%Y}, kl. {when:%H:%M}"
