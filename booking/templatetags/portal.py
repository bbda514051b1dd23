"""Template filters for the sources' date formats (see ``booking.formatting``)."""

from __future__ import annotations

import datetime as dt

from django import template

from .. import formatting as fmt

register = template.Library()


@register.filter
def moment(value: dt.datetime) -> str:
    """«6. februar 2025 kl. 11:15»."""
    return fmt.appointment_moment(value)


@register.filter
def sent_at(value: dt.datetime) -> str:
    """«I dag 16.12.2025 16:38» or «16.12.2025 16:38»."""
    when = fmt.local(value)
    prefix = "I dag " if when.date() == fmt.local(dt.datetime.now(dt.UTC)).date() else ""
    return f"{prefix}{when:%d.%m.%Y %H:%M}"
