"""A timebook's waiting room in its booking steps (issues 15 and 20): when more citizens want into a timebook's
steps than its rate lets in, the next ones queue first-come, see their place and an estimate, and are let in when
their turn comes.

The admission and what a queue shows are ``queueing``'s (``queueing.admission``, ``queueing.rooms``), shared with
the portal's door: someone who leaves a tab open holds nobody out, and what the steps cost is bounded by the
timebook's rate (its own, or ``WAITING_ROOM_DEFAULT_RATE``). Here is which pages the room guards: every booking
page a citizen opens asks the admission once; a redirect out of the steps ends their visit. The room's pages are
in ``views/waiting_room.py``.

The queue fails open: with Redis down, slow or not configured, everyone is let in, as before the waiting room.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from core.requests import CitizenRequest
from queueing.admission import waiting_room_enter, waiting_room_leave
from queueing.rooms import timebook_rate, waiting_room_member

View = Callable[..., HttpResponse]


def flow_prefix(her_id: int, timebook_id: int) -> str:
    """``/bestill/<her_id>/<timebook_id>/``: the steps of one timebook all live under it."""
    return reverse("booking:place", args=[her_id, timebook_id]).rstrip("/").rpartition("/")[0] + "/"


def _leaves_flow(response: HttpResponse, her_id: int, timebook_id: int) -> bool:
    """A redirect out of the timebook's steps (to «Timebestillingen er sendt», Timeavtaler, …) ends the visit."""
    location = response.get("Location", "") if 300 <= response.status_code < 400 else ""
    return bool(location) and not location.startswith(flow_prefix(her_id, timebook_id))


def waiting_room_url(her_id: int, timebook_id: int, next_url: str, *, place_only: bool = False) -> str:
    name = "booking:waiting_room_place" if place_only else "booking:waiting_room"
    return f"{reverse(name, args=[her_id, timebook_id])}?{urlencode({'neste': next_url}, safe='/')}"


def waiting_room(view: View) -> View:
    """On a view of one timebook's booking steps (``her_id``, ``timebook_id``), under ``citizen_required``:
    a citizen beyond the rate goes to the queue and comes back here when let in."""

    @wraps(view)
    def wrapper(request: CitizenRequest, her_id: int, timebook_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        member = waiting_room_member(request)
        rate = timebook_rate(timebook_id) if member is not None else None
        if member is None or rate is None:
            return view(request, her_id, timebook_id, *args, **kwargs)
        admission = waiting_room_enter(room=timebook_id, member=member, rate=rate)
        if not admission.admitted:
            url = waiting_room_url(her_id, timebook_id, request.get_full_path())
            return HttpResponseClientRedirect(url) if getattr(request, "htmx", False) else redirect(url)
        response = view(request, her_id, timebook_id, *args, **kwargs)
        if _leaves_flow(response, her_id, timebook_id):
            waiting_room_leave(timebook_id, member)
        return response

    return wrapper
