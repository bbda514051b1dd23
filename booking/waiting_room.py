"""The waiting room (issues 15 and 20): when more citizens want into a timebook's booking steps than its rate
lets in, the next ones queue first-come, see their place and an estimate, and are let in when their turn comes.

It admits by rate (``booking.admission``, shared with the portal's door): someone who leaves a tab open holds
nobody out, and what the steps cost is bounded by the timebook's rate (its own, or ``WAITING_ROOM_DEFAULT_RATE``).
Every booking page a citizen opens asks the admission once; a redirect out of the steps ends their visit.

The queue fails open: with Redis down, slow or not configured, everyone is let in, as before the waiting room.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from core.requests import CitizenRequest
from resourcebooks.models import Timebook
from resourcebooks.waiting import waiting_rate

from .admission import (  # noqa: F401 - the admission's names, for the door and the tests
    ADMIT_GRACE_SECONDS,
    NO_PLACE,
    OPEN,
    REFUSED,
    Admission,
    burst,
    network_of,
    waiting_room_enter,
    waiting_room_leave,
)

View = Callable[..., HttpResponse]

# How often the page asks for its place (htmx), by the place: the head of the queue often, the far end
# seldom, so a long queue does not cost more than the pages of those inside. All well within QUEUE_IDLE_SECONDS.
POLL_STEPS = ((10, 2), (50, 5), (200, 10), (1000, 20))
POLL_SECONDS_FAR = 30
POLL_SECONDS_NO_PLACE = 1
POLL_SECONDS_REFUSED = 30
# A timebook's rate is read from the database at most this often per process.
RATE_MEMO_SECONDS = 30.0


def waiting_room_member(request: HttpRequest) -> str | None:
    """The queue's name for the logged-in citizen: one place per person, however many tabs they open."""
    citizen = getattr(request, "citizen", None)
    return f"c{citizen.pk}" if citizen is not None else None


_rates: dict[int, tuple[float, int]] = {}


def timebook_rate(timebook_id: int) -> int | None:
    """The timebook's rate, read at most every half minute per process (it is on every booking page); None
    for a timebook that does not exist (the view then answers 404 without a queue)."""
    now = time.monotonic()
    memo = _rates.get(timebook_id)
    if memo is not None and memo[0] > now:
        return memo[1]
    timebook = Timebook.objects.filter(pk=timebook_id).only("pk", "waiting_room_rate").first()
    if timebook is None:
        return None
    rate = waiting_rate(timebook)
    _rates[timebook_id] = (now + RATE_MEMO_SECONDS, rate)
    return rate


def timebook_rate_forget() -> None:
    """Read rates afresh (tests that change one)."""
    _rates.clear()


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


# --- What a queue's page shows (the door's and a timebook's; the room's views are in views/waiting_room.py) ---


def poll_seconds(place: int) -> int:
    """Seconds until the page asks again, for someone at ``place`` in the queue (or given no place yet, soon;
    or refused one for their network, seldom)."""
    if place == NO_PLACE:
        return POLL_SECONDS_NO_PLACE
    if place == REFUSED:
        return POLL_SECONDS_REFUSED
    return next((seconds for last, seconds in POLL_STEPS if place <= last), POLL_SECONDS_FAR)


def queue_context(admission: Admission, *, self_url: str, place_url: str) -> dict[str, Any]:
    """What a queue's page shows and how it asks again (``booking/queue_place.html``): the door's and a
    timebook's room alike. Without JavaScript it reloads at the poll's pace, but not more often than every 10 s
    (a visitor given no place yet comes back at once: that is how they take one)."""
    poll = poll_seconds(admission.place)
    return {
        "admission": admission,
        "estimate": estimate_text(admission),
        "self_url": self_url,
        "place_url": place_url,
        "poll_seconds": poll,
        "refresh_seconds": poll if admission.place == NO_PLACE else max(10, poll),
    }


def estimate_text(admission: Admission) -> str:
    """«Beregnet ventetid: omtrent 2 minutter»: the place at the rate those ahead are let in."""
    if admission.place == NO_PLACE:
        return _("Vi gir deg en plass i køen.")
    if admission.place == REFUSED:
        return _(
            "Svært mange fra samme nettverk som deg står allerede i køen. Vi prøver å gi deg en plass igjen om litt."
        )
    seconds = admission.wait_seconds()
    if seconds is None:
        return _("Vi beregner ventetiden.")
    if seconds < 60:
        return _("Beregnet ventetid: under ett minutt")
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Beregnet ventetid: omtrent %(minutes)d minutt", "Beregnet ventetid: omtrent %(minutes)d minutter", minutes
    ) % {"minutes": minutes}


def local_path(target: str, *, under: Callable[[str], bool]) -> str | None:
    """``target`` if it is a path on this site that ``under`` accepts, else None: no other host, no scheme, no
    backslashes or empty segments, and no dot segments («/bestill/1/2/../../../admin/») that a browser would
    resolve out of the pages ``under`` allows (the door's and a timebook's room's ``neste``)."""
    parts = urlsplit(target)
    segments = unquote(parts.path).split("/")
    if (
        parts.scheme
        or parts.netloc
        or not parts.path.startswith("/")
        or "\\" in unquote(target)
        or "//" in parts.path
        or any(segment in (".", "..") for segment in segments)
        or not under(parts.path)
    ):
        return None
    return target
