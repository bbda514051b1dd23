"""A circuit breaker per Redis server, so that a hung Redis costs what a dead one does (issue 20, finding 7).

A Redis that is stopped (SIGSTOP, a stalled host, a full disk) does not refuse connections: it accepts them
and never answers, so every call waits for its socket timeout. Without a breaker every page paid that timeout
once per cache call (1–4 s a page, a dialogue send 8 s). With one, the first call that times out opens the
breaker, and for ``REDIS_BREAKER_SECONDS`` (5 by default) the callers do not ask that server at all: the cache
answers as an empty cache, publishing a task is skipped (the outbox's sweep delivers later). When the time is
up, one caller is let through as a trial (half-open): if Redis answers, the breaker closes; if not, it opens
again. The outage is logged once, and its end once.

There is one breaker per server (scheme, host and port; the database number and credentials do not count): a
hung server hangs every database on it, so the cache and the Celery broker share one when they are the same
server (the default), and each has its own when ``CACHE_URL`` names another. The API, for any code that
talks to Redis::

    if redis_down(url):          # open, or another caller's trial is under way: do without Redis
        ...
    try:
        ...                      # the call
    except RedisError as error:
        redis_failed(error, url)  # opens it on a time-out or a connection error
    else:
        redis_answered(url)      # closes it, if it was open
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

DEFAULT_SECONDS = 5.0
_clock = time.monotonic  # a test moves it on instead of sleeping
# Errors that mean the server did not answer. Any other error (a ResponseError: a wrong type, out of memory)
# came from a server that answered, so it closes the breaker rather than opening it.
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    RedisConnectionError,
    RedisTimeoutError,
    socket.timeout,
    ConnectionError,
    TimeoutError,
)


def is_outage(error: BaseException) -> bool:
    """A time-out or a connection error, also when wrapped (kombu raises its own error ``from`` Redis's)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, OUTAGE_ERRORS):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def server_of(url: str) -> str:
    """``redis://:secret@host:6379/13`` → ``redis://host:6379``: what a breaker is keyed by, safe to log."""
    parts = urlsplit(url.strip())
    port = parts.port or 6379
    return f"{parts.scheme or 'redis'}://{parts.hostname or 'localhost'}:{port}"


class Breaker:
    """Closed (calls go through), open (calls are skipped), half-open (one trial call goes through).

    Thread-safe; the closed path costs one attribute read. The counters are for tests and for the log."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.failures = 0  # calls that timed out or could not connect
        self.skipped = 0  # calls not made because the breaker was open
        self.trials = 0  # calls let through after an open spell
        self._outage = False
        self._open_until = 0.0
        self._trial_until = 0.0
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        """In an outage: open, or half-open until a trial answers."""
        return self._outage

    def down(self) -> bool:
        """Should the caller do without Redis now? False lets the call through (closed, or the one trial)."""
        if not self._outage:
            return False
        with self._lock:
            if not self._outage:
                return False
            now = _clock()
            if now < self._open_until or now < self._trial_until:
                self.skipped += 1
                return True
            # Half-open: this caller is the trial. Others wait for its answer, or for as long again if it never
            # reports (a caller that died between the two).
            self._trial_until = now + _seconds()
            self.trials += 1
            return False

    def failed(self, error: BaseException) -> None:
        """A call raised. A time-out or a connection error opens the breaker; any other error was an answer."""
        if not is_outage(error):
            self.answered()
            return
        with self._lock:
            self.failures += 1
            self._open_until = _clock() + _seconds()
            self._trial_until = 0.0
            if self._outage:
                return
            self._outage = True
        log.warning(
            "Redis på %s svarer ikke (%s: %s); portalen bruker den ikke de neste %.0f sekundene, og prøver så igjen.",
            self.server,
            type(error).__name__,
            error,
            _seconds(),
        )

    def answered(self) -> None:
        """A call got its answer: an outage is over."""
        if not self._outage:
            return
        with self._lock:
            if not self._outage:
                return
            self._outage = False
            self._open_until = self._trial_until = 0.0
        log.warning("Redis på %s svarer igjen.", self.server)

    def reset(self) -> None:
        """Closed, counters at zero (tests)."""
        with self._lock:
            self.failures = self.skipped = self.trials = 0
            self._outage = False
            self._open_until = self._trial_until = 0.0


def _seconds() -> float:
    return float(getattr(settings, "REDIS_BREAKER_SECONDS", DEFAULT_SECONDS))


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def redis_breaker(url: str | None = None) -> Breaker:
    """The breaker of the server ``url`` names; without ``url``, of the cache's server."""
    server = server_of(url if url is not None else _cache_url())
    breaker = _breakers.get(server)
    if breaker is None:
        with _breakers_lock:
            breaker = _breakers.setdefault(server, Breaker(server))
    return breaker


def redis_down(url: str | None = None) -> bool:
    """True while the server's breaker is open: do without Redis. False lets the call (or the one trial) through."""
    return redis_breaker(url).down()


def redis_failed(error: BaseException, url: str | None = None) -> None:
    """The call raised ``error``: a time-out or connection error opens the breaker (logged once per outage)."""
    redis_breaker(url).failed(error)


def redis_answered(url: str | None = None) -> None:
    """The call was answered: closes the breaker if it was open (the end of an outage is logged once)."""
    redis_breaker(url).answered()


def redis_breakers_reset() -> None:
    """Close every breaker and zero its counters (tests that stop and start a Redis of their own)."""
    with _breakers_lock:
        breakers = list(_breakers.values())
    for breaker in breakers:
        breaker.reset()


def _cache_url() -> str:
    location = settings.CACHES["default"].get("LOCATION") or ""
    first = location[0] if isinstance(location, list | tuple) else str(location).replace(";", ",").split(",")[0]
    return str(first)
