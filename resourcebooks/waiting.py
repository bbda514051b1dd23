"""The waiting rooms' counters in Redis, readable from below ``booking`` (issues 15 and 20).

The admission logic lives in ``booking.waiting_room`` (a timebook's room) and ``queueing.door`` (the portal's
door); this module holds what they and the clinic admin need: the key names, the Redis client, the rates, and
the counts staff see («I kø: N»). Both rooms admit **by rate**, as the virtual waiting rooms of national rushes
do (Queue-it, AWS's Virtual Waiting Room): so many per minute, with a short burst; nobody's open tab holds a
place that another could have. Everything here fails soft: with Redis down or slow the counts are unknown
(``None``), never an error, and after one failure Redis is left alone for a few seconds so that a stalled server
costs one socket timeout, not one per row or per request. The outage is logged once, and its end once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from core.breaker import redis_answered, redis_down, redis_failed

if TYPE_CHECKING:
    from redis import Redis

    from .models import Timebook

log = logging.getLogger(__name__)

# Someone let into a timebook's steps who has opened none of its pages for this long is no longer counted as
# there (staff's «i bestillingsstegene»); coming back they are let in again without queueing.
INSIDE_IDLE_SECONDS = 10 * 60
# Someone queued whose page has not asked for their place for this long has left the queue (the page asks
# every 2–30 s; a background tab's timers are slowed to about once a minute).
QUEUE_IDLE_SECONDS = 3 * 60
# The portal's front door (``queueing.door``) is a room like a timebook's, under this name.
DOOR = "door"
# After a Redis failure, how long everyone is let in without asking Redis again.
BACKOFF_SECONDS = 5.0

_down_until = 0.0
_down = False


@dataclass(frozen=True)
class WaitingKeys:
    """One room's keys: who was let in (score: last seen), the queue (score: ticket), when each queued person
    last asked for their place, the ticket counter, and the rate's bucket (tokens, and when it was filled)."""

    inside: str
    queue: str
    seen: str
    ticket: str
    bucket: str

    def all(self) -> list[str]:
        return [self.inside, self.queue, self.seen, self.ticket, self.bucket]


@dataclass(frozen=True)
class WaitingCounts:
    queued: int
    inside: int


def waiting_keys(room: int | str) -> WaitingKeys:
    """A room's keys: a timebook's (by its id), or the portal's front door (``DOOR``). Under the cache's key
    prefix, so the test suite's per-test flush and the Redis databases per process cover them too."""
    cache = caches["default"]
    base = cache.make_key(f"wr:{room}")
    return WaitingKeys(*(f"{base}:{part}" for part in ("inside", "queue", "seen", "ticket", "bucket")))


def address_key(room: int | str, address: str) -> str:
    """The key of one network's allowance of new places in a room (``address`` already hashed or grouped)."""
    return caches["default"].make_key(f"wr:{room}:addr:{address}")


def waiting_rate(timebook: Timebook) -> int:
    """Citizens let into the timebook's steps per minute: its own number, else the default measured by the
    bench (``WAITING_ROOM_DEFAULT_RATE``)."""
    return timebook.waiting_room_rate or settings.WAITING_ROOM_DEFAULT_RATE


def door_rate() -> int:
    """Visitors let in at the portal's door per minute (``WAITING_ROOM_DOOR_RATE``); 0: no door."""
    return int(getattr(settings, "WAITING_ROOM_DOOR_RATE", 0))


def door_counts() -> WaitingCounts | None:
    """The door's queue, for staff; None when Redis cannot say or there is no door."""
    if door_rate() <= 0:
        return None
    counts = waiting_counts([DOOR])
    return counts[DOOR] if counts else None


def waiting_client() -> Redis | None:
    """The cache's Redis connection (with its short socket timeouts), or None when there is no Redis or it
    failed a moment ago (here, or anywhere the cache's breaker saw it: ``core.breaker``): then there is no
    waiting room."""
    if time.monotonic() < _down_until or redis_down():
        return None
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return None
    client: Redis = cache._cache.get_client(write=True)
    return client


def waiting_failed(error: Exception) -> None:
    """Redis failed: let everyone in for a few seconds, and say so once per outage."""
    global _down_until, _down
    _down_until = time.monotonic() + BACKOFF_SECONDS
    redis_failed(error)
    if not _down:
        _down = True
        log.warning("Venterommet (Redis) svarer ikke (%s); alle slippes inn uten kø til Redis svarer igjen.", error)


def waiting_answered() -> None:
    """Redis answered: the end of an outage is logged once too."""
    global _down
    redis_answered()
    if _down:
        _down = False
        log.warning("Venterommet (Redis) svarer igjen; køen virker.")


def waiting_reset() -> None:
    """Forget a failure (tests that start Redis again)."""
    global _down_until, _down
    _down_until, _down = 0.0, False


def waiting_counts(
    rooms: Sequence[int | str], *, now: float | None = None, inside_idle: int = INSIDE_IDLE_SECONDS
) -> dict[int | str, WaitingCounts] | None:
    """How many are queued and inside, per room (a timebook's id, or ``DOOR``), in one round trip; None when
    Redis cannot say.

    Counted by last-seen time, so people who left without a word are not counted even before the next
    admission tidies them away."""
    client = waiting_client()
    if client is None or not rooms:
        return None if client is None else {}
    now = time.time() if now is None else now
    pipe = client.pipeline(transaction=False)
    for room in rooms:
        keys = waiting_keys(room)
        pipe.zcount(keys.seen, now - QUEUE_IDLE_SECONDS, "+inf")
        pipe.zcount(keys.inside, now - inside_idle, "+inf")
    try:
        answers: list[Any] = pipe.execute()
    except RedisError as error:
        waiting_failed(error)
        return None
    waiting_answered()
    return {
        room: WaitingCounts(queued=int(answers[2 * i]), inside=int(answers[2 * i + 1])) for i, room in enumerate(rooms)
    }


def waiting_queue_is_long(timebook: Timebook) -> bool:
    """More than half a minute's admissions are queued in the timebook's room, or at the portal's door: a
    good moment not to invite more people (source 002). Unknown (Redis down) counts as short: the waiting
    rooms are open then anyway."""
    door = door_rate()
    counts = waiting_counts([timebook.pk, DOOR] if door > 0 else [timebook.pk])  # one round trip for both
    if not counts:
        return False
    if door > 0 and counts[DOOR].queued > door / 2:
        return True
    return counts[timebook.pk].queued > waiting_rate(timebook) / 2
