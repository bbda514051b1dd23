"""What every portal page shows of the logged-in citizen: who they act for, whom else they may, unread messages."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils import timezone

from citizens.models import Citizen, Representation
from citizens.selectors import represented_people
from inbox.selectors import unread_count

T = TypeVar("T")


def _once(compute: Callable[[], T]) -> Callable[[], T]:
    """A value the template asks for only if it shows it: the template engine calls a callable it finds in the
    context, so a page without the header (an htmx partial, a plain page without the nav) asks nothing of the
    database. ``cache`` keeps a second use in the same render («unread» in the header and on the front page)
    to one query."""
    return cache(compute)


def _represented(me: Citizen) -> list[tuple[Citizen, Representation]]:
    """Whom the citizen may act for, for the bar under the header. Most citizens act for nobody: a bare «any
    representation at all?» (a quarter of the cost of the full read, which checks dates and ages) answers
    them, and only those with one are read in full."""
    if not Representation.objects.filter(representative=me).exists():
        return []
    return represented_people(me, timezone.localdate())


def portal(request: HttpRequest) -> dict[str, Any]:
    me = getattr(request, "citizen", None)
    if me is None:
        return {}
    person = getattr(request, "person", me)
    return {
        "me": me,
        "person": person,
        "acting_for_other": person.pk != me.pk,
        "represented": _once(lambda: _represented(me)),
        "unread": _once(lambda: unread_count(person, me)),
    }
