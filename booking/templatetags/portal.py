"""Template filters for the sources' date formats (see ``core.formatting``)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _

from core import formatting as fmt

register = template.Library()


@register.filter
def moment(value: dt.datetime) -> str:
    """«6. februar 2025 kl. 11:15»."""
    return fmt.appointment_moment(value)


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
