"""What a queue is and shows, for the portal's door (``queueing.door``) and a timebook's waiting room alike
(issues 15 and 20): whose place it is, how often its page asks again, the estimate it shows, and the ``neste`` a
queue page may send its visitor on to. The admission itself is ``queueing.admission``; which pages a timebook's
room guards, and its pages, are booking's (``booking.waiting_room``, ``booking.views.waiting_room``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from resourcebooks.models import Timebook
from resourcebooks.waiting import waiting_rate

from .admission import NO_PLACE, REFUSED, Admission

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


def poll_seconds(place: int) -> int:
    """Seconds until the page asks again, for someone at ``place`` in the queue (or given no place yet, soon;
    or refused one for their network, seldom)."""
    if place == NO_PLACE:
        return POLL_SECONDS_NO_PLACE
    if place == REFUSED:
        return POLL_SECONDS_REFUSED
    return next((seconds for last, seconds in POLL_STEPS if place <= last), POLL_SECONDS_FAR)


def queue_context(admission: Admission, *, self_url: str, place_url: str) -> dict[str, Any]:
    """What a queue's page shows and how it asks again (``queueing/queue_place.html``): the door's and a
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
