"""Template filters for the sources' date formats (see ``core.formatting``), and the calendar's week."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core import formatting as fmt

from .. import texts

register = template.Library()


@register.simple_tag
def fixed_url(name: str) -> str:
    """``{% url name %}`` for a URL without arguments (the header's, «Avbryt»): the same address on every page,
    so it is reversed once per process instead of on every render (a page of the flow reversed seven)."""
    return _reversed(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=64)
def _reversed(name: str, prefix: str, urlconf: str) -> str:
    return reverse(name, urlconf=urlconf)


@register.filter
def moment(value: dt.datetime) -> str:
    """«6. februar 2025 kl. 11:15»."""
    return fmt.appointment_moment(value)


@register.filter
def appointment_title(appointment: Any) -> str:
    """Timeavtaler's line for an appointment: its title, as on its own page (issue 22)."""
    return texts.appointment_title(appointment)


@register.filter
def behandler_line(appointment: Any) -> str:
    """«Behandler: …» of an appointment with a practitioner; empty at a resource timebook."""
    return texts.appointment_behandler_line(appointment)


@register.filter
def month_in_text(value: dt.date) -> str:
    """«februar 2025» inside a sentence (the calendar's labels for screen readers)."""
    return fmt.month_in_text(value)


@register.filter
def sent_at(value: dt.datetime) -> str:
    """«I dag 16.12.2025 16:38» or «16.12.2025 16:38»."""
    when = fmt.local(value)
    if when.date() == fmt.local(dt.datetime.now(dt.UTC)).date():
        return _("I dag %(when)s") % {"when": f"{when:%d.%m.%Y %H:%M}"}
    return f"{when:%d.%m.%Y %H:%M}"


@register.filter
def sent_at_short(value: dt.datetime) -> str:
    """Innboks's list (source 003, step 9): «11:35» today, «16.12.2025 16:38» before."""
    when = fmt.local(value)
    if when.date() == fmt.local(dt.datetime.now(dt.UTC)).date():
        return f"{when:%H:%M}"
    return f"{when:%d.%m.%Y %H:%M}"


@register.filter
def calendar_week(week: list[tuple[Any, str]], base: str) -> SafeString:
    """One week of «Velg time»'s month as its table cells: a day with free slots is a link (``?dag=``, plain and
    for htmx), a day without is text; each with its label for screen readers (``_calendar_weeks``). Made here
    rather than by tags in the template: a month is 42 cells of a dozen tags each, the largest part of the
    calendar page's rendering. What is not a number or an ISO date is escaped."""
    base = escape(base)
    return mark_safe("".join(_calendar_cell(cell, escape(label), base) for cell, label in week))


def _calendar_cell(cell: Any, label: str, base: str) -> str:
    if cell is None:
        return "<td></td>"
    css = "calendar__day"
    css += " calendar__day--free" if cell.has_free else ""
    css += " calendar__day--selected" if cell.selected else ""
    css += " calendar__day--today" if cell.is_today else ""
    day, iso = cell.day.day, cell.iso
    if not cell.has_free:
        return f'<td><span class="{css}">{day}<span class="visually-hidden">{label}</span></span></td>'
    current = ' aria-current="date"' if cell.selected else ""
    url = f"{base}dag={iso}"
    link = f'id="dag-{iso}" class="{css}" href="{url}" hx-get="{url}" aria-label="{label}"{current}'
    return f"<td><a {link}>{day}</a></td>"


@register.filter
def slot_items(slots: list[tuple[str, str]]) -> SafeString:
    """«Ledige timer …»: each free slot of the day as a list item linking to «Se gjennom» (``_slots_context``);
    a day of 5-minute slots has a hundred of them, made here instead of by a loop of tags."""
    items = (f'<li><a class="slot" href="{escape(url)}">{escape(label)}</a></li>' for url, label in slots)
    return mark_safe("".join(items))
