"""Redis as a cache that never takes the site down (issue 11).

Everything we keep in the cache can be done without: sessions are also in the database (``cached_db``), a
rate limit fails open, a diagnosis is computed again, a version counter is only an optimisation. So when
Redis is down or stalls, a cache call answers as a cache that has nothing would (and the outage is logged) — a
read misses, a write is dropped — instead of raising into the request. redis-py reconnects by itself once
Redis is back. The socket timeouts (``OPTIONS`` in settings) keep a stalled Redis from holding a request, and
the server's circuit breaker (core/breaker.py) keeps it from holding every request: after one call times out,
the cache does not ask Redis again for a few seconds, so a hung Redis costs what a dead one does (issue 20).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

from .breaker import Breaker, redis_breaker

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

WARN_EVERY_SECONDS = 30.0
_last_warning = 0.0


def _warn(operation: str, error: Exception) -> None:
    """One warning per half minute: an outage must show in the log without flooding it."""
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        log.warning("Hurtigbufferen (Redis) svarer ikke (%s: %s); portalen fortsetter uten.", operation, error)


def _fail_soft(fallback: Callable[..., Any]) -> Callable[[F], F]:
    def decorator(method: F) -> F:
        @wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            breaker: Breaker = self.breaker
            if breaker.down():
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except RedisError as error:
                breaker.failed(error)  # an outage is logged there, once
                if not breaker.is_open:
                    _warn(method.__name__, error)
                return fallback(*args, **kwargs)
            breaker.answered()
            return result

        return wrapper  # type: ignore[return-value]

    return decorator


def _default(key: Any, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


class _OneClientPerPool(RedisCacheClient):
    """Django's client makes a new ``redis.Redis`` for every cache call, and redis-py fills a fresh table of some
    hundred response callbacks for each: in a profile of the front page that was 6 % of its CPU, and a booking
    page makes four or five cache calls. A ``redis.Redis`` holds no connection of its own (it borrows one from
    the pool per command) and is safe to share between threads, so one per pool is made and kept."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache, answering like an empty cache while Redis cannot be reached."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _OneClientPerPool
        # Keyed by the server that writes go to (the first): that is the one every session save needs.
        self.breaker = redis_breaker(self._servers[0])  # type: ignore[attr-defined]

    get = _fail_soft(_default)(RedisCache.get)
    set = _fail_soft(_nothing)(RedisCache.set)
    # «Added»: callers that add-then-increment (the rate limits) then do nothing more.
    add = _fail_soft(lambda *a, **k: True)(RedisCache.add)
    touch = _fail_soft(lambda *a, **k: False)(RedisCache.touch)
    delete = _fail_soft(lambda *a, **k: False)(RedisCache.delete)
    get_many = _fail_soft(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _fail_soft(lambda *a, **k: False)(RedisCache.has_key)
    # The count is unknown: 0 keeps a rate limit open and a version counter harmless.
    incr = _fail_soft(lambda *a, **k: 0)(RedisCache.incr)
    set_many = _fail_soft(lambda data, *a, **k: list(data))(RedisCache.set_many)
    delete_many = _fail_soft(_nothing)(RedisCache.delete_many)
    clear = _fail_soft(lambda *a, **k: False)(RedisCache.clear)
