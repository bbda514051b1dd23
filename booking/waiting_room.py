"""The waiting room (issue 15): when more citizens are inside a timebook's booking steps than its capacity, the
next ones queue first-come, see their place and an estimate, and are let in when their turn comes.

Who is inside and who waits is kept in Redis (key names and counts in ``resourcebooks.waiting``). One Lua
script does a whole admission atomically, so two web processes never admit the same free place twice: it drops
those inside who have been idle too long and those queued who stopped asking, keeps the caller's place (or
gives a new one a ticket), admits the head of the queue while there is room, and answers with the caller's
place. Every booking page a citizen inside opens runs it once, which also refreshes their last-seen time.

The queue fails open: with Redis down, slow or not configured, everyone is let in, as before the waiting room.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect
from redis.exceptions import RedisError

from citizens.access import citizen_required
from core.requests import CitizenRequest
from resourcebooks.models import Timebook
from resourcebooks.waiting import (
    INSIDE_IDLE_SECONDS,
    QUEUE_IDLE_SECONDS,
    waiting_answered,
    waiting_capacity,
    waiting_client,
    waiting_failed,
    waiting_keys,
)

View = Callable[..., HttpResponse]

# Someone admitted while away from the page (the queue moved between two polls) has this long to arrive.
ADMIT_GRACE_SECONDS = 2 * 60
# The estimate is drawn from the exits of the last few minutes.
RATE_WINDOW_SECONDS = 5 * 60
# Keys of a timebook nobody has touched for this long disappear by themselves.
KEY_TTL_SECONDS = 60 * 60
# How often the page asks for its place (htmx), by the place: the head of the queue often, the far end
# seldom, so a long queue does not cost more than the pages of those inside. All well within QUEUE_IDLE_SECONDS.
POLL_STEPS = ((10, 2), (50, 5), (200, 10), (1000, 20))
POLL_SECONDS_FAR = 30
# A timebook's capacity is read from the database at most this often per process.
CAPACITY_MEMO_SECONDS = 30.0

_ENTER = """
local inside, queue, seen, ticket, exits = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local member, now, capacity = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local inside_idle, queue_idle, grace = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local window, ttl, first = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
for _, m in ipairs(redis.call('ZRANGEBYSCORE', inside, '-inf', now - inside_idle)) do
  redis.call('ZREM', inside, m)
  redis.call('ZADD', exits, now, m .. ':' .. now)
end
for _, m in ipairs(redis.call('ZRANGEBYSCORE', seen, '-inf', now - queue_idle)) do
  redis.call('ZREM', seen, m)
  redis.call('ZREM', queue, m)
end
redis.call('ZREMRANGEBYSCORE', exits, '-inf', now - window)
if redis.call('ZSCORE', inside, member) then
  redis.call('ZADD', inside, now, member)
elseif redis.call('ZSCORE', queue, member) then
  redis.call('ZADD', seen, now, member)
elseif redis.call('ZCARD', queue) == 0 and redis.call('ZCARD', inside) < capacity then
  if first > 0 then
    redis.call('ZADD', inside, now - inside_idle + first, member)
  else
    redis.call('ZADD', inside, now, member)
  end
else
  redis.call('ZADD', queue, redis.call('INCR', ticket), member)
  redis.call('ZADD', seen, now, member)
end
local room = capacity - redis.call('ZCARD', inside)
if room > 0 then
  for _, m in ipairs(redis.call('ZRANGE', queue, 0, room - 1)) do
    redis.call('ZREM', queue, m)
    redis.call('ZREM', seen, m)
    if m == member then
      redis.call('ZADD', inside, now, m)
    else
      redis.call('ZADD', inside, now - inside_idle + grace, m)
    end
  end
end
for i = 1, 5 do redis.call('EXPIRE', KEYS[i], ttl) end
local oldest = redis.call('ZRANGE', exits, 0, 0, 'WITHSCORES')
local span = 0
if oldest[2] then span = now - tonumber(oldest[2]) end
local rank = redis.call('ZRANK', queue, member)
local place = 0
if rank then place = rank + 1 end
return {place, redis.call('ZCARD', queue), redis.call('ZCARD', inside), redis.call('ZCARD', exits), math.floor(span)}
"""

_LEAVE = """
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
  redis.call('ZADD', KEYS[5], ARGV[2], ARGV[1] .. ':' .. ARGV[2])
  return 1
end
return 0
"""


@dataclass(frozen=True)
class Admission:
    """The answer to «may I go on?»: ``place`` is 0 when inside, else the place in the queue (1 = next)."""

    place: int
    queued: int = 0
    inside: int = 0
    exits: int = 0
    exits_span: int = 0

    @property
    def admitted(self) -> bool:
        return self.place == 0

    def wait_seconds(self) -> float | None:
        """The place divided by how fast people have left lately; None before anyone has left."""
        if self.exits == 0:
            return None
        per_second = self.exits / max(self.exits_span, 60)
        return self.place / per_second


OPEN = Admission(place=0)


def waiting_room_member(request: HttpRequest) -> str | None:
    """The queue's name for the logged-in citizen: one place per person, however many tabs they open."""
    citizen = getattr(request, "citizen", None)
    return f"c{citizen.pk}" if citizen is not None else None


def waiting_room_enter(
    *,
    room: int | str,
    member: str,
    capacity: int,
    inside_idle: int = INSIDE_IDLE_SECONDS,
    first_visit: int = 0,
    now: float | None = None,
) -> Admission:
    """Let ``member`` into ``room`` (a timebook's id, or the front door's ``DOOR``), keep them inside, or give
    them (and keep) their place in the queue; see the module's docstring. Redis failing lets them in.

    ``first_visit`` (seconds): a newcomer let straight in holds their place only this long unless they come
    back, as one let in from the queue does; the door uses it for a first request without its cookie, so a
    monitor or crawler that never comes back does not fill the door."""
    client = waiting_client()
    if client is None:
        return OPEN
    keys = waiting_keys(room)
    now = time.time() if now is None else now
    args: list[str | float] = [member, now, capacity, inside_idle, QUEUE_IDLE_SECONDS, ADMIT_GRACE_SECONDS]
    try:
        answer = client.register_script(_ENTER)(
            keys=keys.all(), args=[*args, RATE_WINDOW_SECONDS, KEY_TTL_SECONDS, first_visit]
        )
    except RedisError as error:
        waiting_failed(error)
        return OPEN
    waiting_answered()
    place, queued, inside, exits, span = (int(value) for value in answer)
    return Admission(place=place, queued=queued, inside=inside, exits=exits, exits_span=span)


def waiting_room_leave(room: int | str, key: str | None, *, now: float | None = None) -> None:
    """``key`` is done with the room (a timebook's booking steps, or the portal: sent a booking, or left the
    flow): their place inside goes to the head of the queue at its next poll. Safe to call for someone who
    was never inside."""
    client = waiting_client()
    if client is None or key is None:
        return
    keys = waiting_keys(room)
    try:
        client.register_script(_LEAVE)(keys=keys.all(), args=[key, time.time() if now is None else now])
    except RedisError as error:
        waiting_failed(error)
        return
    waiting_answered()


_capacities: dict[int, tuple[float, int]] = {}


def timebook_capacity(timebook_id: int) -> int | None:
    """The timebook's capacity, read at most every half minute per process (it is on every booking page);
    None for a timebook that does not exist (the view then answers 404 without a queue)."""
    now = time.monotonic()
    memo = _capacities.get(timebook_id)
    if memo is not None and memo[0] > now:
        return memo[1]
    timebook = Timebook.objects.filter(pk=timebook_id).only("pk", "waiting_room_capacity").first()
    if timebook is None:
        return None
    capacity = waiting_capacity(timebook)
    _capacities[timebook_id] = (now + CAPACITY_MEMO_SECONDS, capacity)
    return capacity


def timebook_capacity_forget() -> None:
    """Read capacities afresh (tests that change one)."""
    _capacities.clear()


def _flow_prefix(her_id: int, timebook_id: int) -> str:
    """``/bestill/<her_id>/<timebook_id>/``: the steps of one timebook all live under it."""
    return reverse("booking:place", args=[her_id, timebook_id]).rstrip("/").rpartition("/")[0] + "/"


def _leaves_flow(response: HttpResponse, her_id: int, timebook_id: int) -> bool:
    """A redirect out of the timebook's steps (to «Timebestillingen er sendt», Timeavtaler, …) ends the visit."""
    location = response.get("Location", "") if 300 <= response.status_code < 400 else ""
    return bool(location) and not location.startswith(_flow_prefix(her_id, timebook_id))


def waiting_room_url(her_id: int, timebook_id: int, next_url: str, *, place_only: bool = False) -> str:
    name = "booking:waiting_room_place" if place_only else "booking:waiting_room"
    return f"{reverse(name, args=[her_id, timebook_id])}?{urlencode({'neste': next_url}, safe='/')}"


def waiting_room(view: View) -> View:
    """On a view of one timebook's booking steps (``her_id``, ``timebook_id``), under ``citizen_required``:
    a citizen beyond the capacity goes to the queue and comes back here when let in."""

    @wraps(view)
    def wrapper(request: CitizenRequest, her_id: int, timebook_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        member = waiting_room_member(request)
        capacity = timebook_capacity(timebook_id) if member is not None else None
        if member is None or capacity is None:
            return view(request, her_id, timebook_id, *args, **kwargs)
        admission = waiting_room_enter(room=timebook_id, member=member, capacity=capacity)
        if not admission.admitted:
            url = waiting_room_url(her_id, timebook_id, request.get_full_path())
            return HttpResponseClientRedirect(url) if getattr(request, "htmx", False) else redirect(url)
        response = view(request, her_id, timebook_id, *args, **kwargs)
        if _leaves_flow(response, her_id, timebook_id):
            waiting_room_leave(timebook_id, member)
        return response

    return wrapper


# --- The waiting room's page -------------------------------------------------------------------------


def poll_seconds(place: int) -> int:
    """Seconds until the page asks again, for someone at ``place`` in the queue."""
    return next((seconds for last, seconds in POLL_STEPS if place <= last), POLL_SECONDS_FAR)


def queue_context(admission: Admission, *, self_url: str, place_url: str) -> dict[str, Any]:
    """What a queue's page shows and how it asks again (``booking/queue_place.html``): the door's and a
    timebook's room alike. Without JavaScript it reloads at the poll's pace, but not more often than every 10 s."""
    poll = poll_seconds(admission.place)
    return {
        "admission": admission,
        "estimate": estimate_text(admission),
        "self_url": self_url,
        "place_url": place_url,
        "poll_seconds": poll,
        "refresh_seconds": max(10, poll),
    }


def estimate_text(admission: Admission) -> str:
    """«Beregnet ventetid: omtrent 2 minutter», from how fast people have left the booking steps lately."""
    seconds = admission.wait_seconds()
    if seconds is None:
        return _("Vi beregner ventetiden når de første er ferdige.")
    if seconds < 60:
        return _("Beregnet ventetid: under ett minutt")
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Beregnet ventetid: omtrent %(minutes)d minutt", "Beregnet ventetid: omtrent %(minutes)d minutter", minutes
    ) % {"minutes": minutes}


def _next_url(request: HttpRequest, her_id: int, timebook_id: int) -> str:
    """Where the citizen was going: a page of this timebook's steps, else its first step (no open redirect)."""
    target = request.GET.get("neste", "")
    if target.startswith(_flow_prefix(her_id, timebook_id)) and "//" not in target and "\\" not in target:
        return target
    return reverse("booking:place", args=[her_id, timebook_id])


def _waiting(request: CitizenRequest, her_id: int, timebook_id: int, *, partial: bool) -> HttpResponse:
    # Imported here: the flow's views import this module for the decorator.
    from .views.flow import flow_for, timebook_in_flow

    flow = flow_for(request, her_id)
    timebook = timebook_in_flow(flow, timebook_id)
    next_url = _next_url(request, her_id, timebook_id)
    member = waiting_room_member(request)
    assert member is not None  # citizen_required
    admission = waiting_room_enter(room=timebook.pk, member=member, capacity=waiting_capacity(timebook))
    if admission.admitted:
        return HttpResponseClientRedirect(next_url) if request.htmx else redirect(next_url)
    context = {
        "flow": flow,
        "timebook": timebook,
        "next_url": next_url,
        **queue_context(
            admission,
            self_url=waiting_room_url(her_id, timebook_id, next_url),
            place_url=waiting_room_url(her_id, timebook_id, next_url, place_only=True),
        ),
    }
    template = "booking/queue_place.html" if partial else "booking/waiting_room.html"
    return render(request, template, context)


@require_GET
@citizen_required
def waiting_room_page(request: CitizenRequest, her_id: int, timebook_id: int) -> HttpResponse:
    """«Du er i kø»: the citizen's place and an estimate; the page asks again by itself and lets them in."""
    return _waiting(request, her_id, timebook_id, partial=False)


@require_GET
@citizen_required
def waiting_room_place(request: CitizenRequest, her_id: int, timebook_id: int) -> HttpResponse:
    """The place and estimate alone, which the page polls; when it is their turn, htmx goes on (HX-Redirect)."""
    return _waiting(request, her_id, timebook_id, partial=True)
