"""What every portal page shows of the logged-in citizen: who they act for, whom else they may, unread messages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from citizens.selectors import represented_people
from inbox.selectors import unread_count


def portal(request: HttpRequest) -> dict[str, Any]:
    me = getattr(request, "citizen", None)
    if me is None:
        return {}
    person = getattr(request, "person", me)
    return {
        "me": me,
        "person": person,
        "acting_for_other": person.pk != me.pk,
        "represented": represented_people(me, timezone.localdate()),
        "unread": unread_count(person, me),
    }
