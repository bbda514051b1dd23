"""Admission by rate (issue 20), for the portal's door (``queueing.door``) and a timebook's waiting room
(``booking.waiting_room``) alike: so many a minute, with a burst of ``WAITING_ROOM_BURST_SECONDS`` worth after a
quiet spell, as national rushes' virtual waiting rooms admit (Queue-it, AWS's Virtual Waiting Room). Nobody is
counted inside: someone who leaves a tab open holds nobody out, and what those let in cost is bounded by the rate.

Who waits is kept in Redis (key names in ``resourcebooks.waiting``). One Lua script does a whole admission
atomically, so two web processes never spend the same admission twice: it drops those queued who stopped
asking, fills the rate's bucket for the time gone by, keeps the caller's place (or gives a newcomer one, within
their network's allowance of new places, or lets them straight in when nobody waits and the rate allows),
admits the head of the queue while the bucket has admissions, and answers with the caller's place. It fails
open: with Redis down, slow or not configured, everyone is let in.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from redis.exceptions import RedisError

from core.ratelimit import network_of_address
from resourcebooks.waiting import (
    INSIDE_IDLE_SECONDS,
    QUEUE_IDLE_SECONDS,
    address_key,
    waiting_answered,
    waiting_client,
    waiting_failed,
    waiting_keys,
)

# Someone admitted while away from the page (the queue moved between two polls) has this long to arrive.
ADMIT_GRACE_SECONDS = 2 * 60
# A network's allowance of new places (``WAITING_ROOM_PER_ADDRESS``) fills up again over this long.
ADDRESS_WINDOW_SECONDS = 10 * 60
# Keys of a room nobody has touched for this long disappear by themselves.
KEY_TTL_SECONDS = 60 * 60
# A visitor given no place yet (the door's first answer) or refused one (their network's allowance is used up).
NO_PLACE = -1
REFUSED = -2

_ENTER = """
local inside, queue, seen, ticket, bucket = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local member, now, rate, burst = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local inside_idle, queue_idle, grace = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local ttl, mode = tonumber(ARGV[8]), ARGV[9]
local addr_burst, addr_rate, prune = tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12])
local keep = mode == 'enter'
if mode == 'collect' then mode = 'enter' end
redis.call('ZREMRANGEBYSCORE', inside, '-inf', now - inside_idle)
for _, m in ipairs(redis.call('ZRANGEBYSCORE', seen, '-inf', now - queue_idle, 'LIMIT', 0, prune)) do
  redis.call('ZREM', seen, m)
  redis.call('ZREM', queue, m)
end
local state = redis.call('HMGET', bucket, 'tokens', 'at')
local tokens, at = tonumber(state[1]), tonumber(state[2])
if tokens == nil or at == nil then tokens, at = burst, now end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local place = -1
local function allowed()
  if #KEYS < 6 then return true end
  local a = redis.call('HMGET', KEYS[6], 'tokens', 'at')
  local left, since = tonumber(a[1]), tonumber(a[2])
  if left == nil or since == nil then left, since = addr_burst, now end
  left = math.min(addr_burst, left + math.max(0, now - since) * addr_rate)
  local ok = left >= 1
  if ok then left = left - 1 end
  redis.call('HSET', KEYS[6], 'tokens', tostring(left), 'at', tostring(now))
  redis.call('EXPIRE', KEYS[6], math.ceil(addr_burst / addr_rate) + 60)
  return ok
end
if redis.call('ZSCORE', inside, member) then
  if keep then redis.call('ZADD', inside, now, member) else redis.call('ZREM', inside, member) end
  place = 0
elseif redis.call('ZSCORE', queue, member) then
  redis.call('ZADD', seen, now, member)
elseif redis.call('ZCARD', queue) == 0 and tokens >= 1 then
  if allowed() then
    tokens = tokens - 1
    place = 0
    if keep then redis.call('ZADD', inside, now, member) end
  else
    place = -2
  end
elseif mode == 'enter' then
  if allowed() then
    redis.call('ZADD', queue, redis.call('INCR', ticket), member)
    redis.call('ZADD', seen, now, member)
  else
    place = -2
  end
end
local looked = 0
while tokens >= 1 and looked < prune do
  local head = redis.call('ZRANGE', queue, 0, 0)[1]
  if not head then break end
  looked = looked + 1
  local asked = tonumber(redis.call('ZSCORE', seen, head))
  redis.call('ZREM', queue, head)
  redis.call('ZREM', seen, head)
  if asked ~= nil and asked >= now - queue_idle then
    tokens = tokens - 1
    if head == member then
      place = 0
      if keep then redis.call('ZADD', inside, now, head) end
    else
      redis.call('ZADD', inside, now - inside_idle + grace, head)
    end
  end
end
redis.call('HSET', bucket, 'tokens', tostring(tokens), 'at', tostring(now))
for i = 1, 5 do redis.call('EXPIRE', KEYS[i], ttl) end
local rank = redis.call('ZRANK', queue, member)
if rank then place = rank + 1 end
return {place, redis.call('ZCARD', queue)}
"""

_LEAVE = """
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return redis.call('ZREM', KEYS[1], ARGV[1])
"""


@dataclass(frozen=True)
class Admission:
    """The answer to «may I go on?»: ``place`` is 0 when let in, else the place in the queue (1 = next),
    ``NO_PLACE`` for a visitor not given one yet, or ``REFUSED`` when their network's allowance of new places
    is used up. ``rate``: admissions per minute, for the estimate. ``counted``: False when nobody counted (no
    Redis, or it failed): the visitor goes on, but is given nothing to keep (no admission for the door's cookie)."""

    place: int
    queued: int = 0
    rate: int = 0
    counted: bool = True

    @property
    def admitted(self) -> bool:
        return self.place == 0

    @property
    def has_place(self) -> bool:
        return self.place > 0

    def wait_seconds(self) -> float | None:
        """The place divided by the rate: those ahead are let in at exactly that pace."""
        if not self.has_place or self.rate <= 0:
            return None
        return self.place * 60 / self.rate


OPEN = Admission(place=0, counted=False)
# How many of those who stopped asking one admission tidies away, and how many heads of the queue it looks at:
# a call's work is bounded however many places a crowd of bots left behind.
PRUNE_PER_CALL = 500


def burst(rate: int) -> float:
    """How many may be let in at once after a quiet spell: ``WAITING_ROOM_BURST_SECONDS`` of the rate."""
    return max(1.0, rate * settings.WAITING_ROOM_BURST_SECONDS / 60)


def network_of(address: str) -> str:
    """The network a client's address stands for (``core.ratelimit.network_of_address``: IPv4 itself, IPv6 its
    /56), hashed so Redis never holds the address."""
    return hashlib.sha256(network_of_address(address).encode()).hexdigest()[:24]


def waiting_room_enter(
    *,
    room: int | str,
    member: str,
    rate: int,
    address: str | None = None,
    probe: bool = False,
    collect: bool = False,
    inside_idle: int = INSIDE_IDLE_SECONDS,
    now: float | None = None,
) -> Admission:
    """Let ``member`` into ``room`` (a timebook's id, or the front door's ``DOOR``), keep them in, or give
    them (and keep) their place in the queue; see the module's docstring. Redis failing lets them in.

    ``address``: the client's network (``network_of``); a new member then uses one of its allowance of new
    places (``WAITING_ROOM_PER_ADDRESS`` per ``ADDRESS_WINDOW_SECONDS``), and is ``REFUSED`` without one.
    ``probe``: let in only when nobody waits and the rate has room, else give no place (``NO_PLACE``); the
    door's answer to a request without its cookie, which must never hold a place. ``collect``: someone let in
    takes their admission away with them (the door's signed cookie) and is not kept as let in here, so their id
    alone, copied, lets nobody else in."""
    client = waiting_client()
    if client is None or rate <= 0:
        return OPEN
    keys = waiting_keys(room).all()
    allowance = int(settings.WAITING_ROOM_PER_ADDRESS)
    if address is not None and allowance > 0:
        keys.append(address_key(room, address))
    now = time.time() if now is None else now
    args: list[str | float] = [member, now, rate / 60, burst(rate), inside_idle, QUEUE_IDLE_SECONDS]
    args += [ADMIT_GRACE_SECONDS, KEY_TTL_SECONDS, "probe" if probe else "collect" if collect else "enter"]
    args += [max(allowance, 1), max(allowance, 1) / ADDRESS_WINDOW_SECONDS, PRUNE_PER_CALL]
    try:
        answer = client.register_script(_ENTER)(keys=keys, args=args)
    except RedisError as error:
        waiting_failed(error)
        return OPEN
    waiting_answered()
    place, queued = (int(value) for value in answer)
    return Admission(place=place, queued=queued, rate=rate)


def waiting_room_leave(room: int | str, key: str | None) -> None:
    """``key`` is done with the room (a timebook's booking steps: sent a booking, or left the flow): they are no
    longer counted as there, and their place in the queue, if any, is given up. Safe to call for someone who
    was never there."""
    client = waiting_client()
    if client is None or key is None:
        return
    try:
        client.register_script(_LEAVE)(keys=waiting_keys(room).all(), args=[key])
    except RedisError as error:
        waiting_failed(error)
        return
    waiting_answered()
