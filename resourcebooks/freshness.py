"""A version number per timebook, bumped whenever one of its slots changes state, is published or withdrawn,
so that what the calendar reads from the cache (the month's free days, a day's free slots) is never older
than the slots themselves (issue 15).

Readers put the version in their cache keys: after a bump, the old entries are simply never asked for again
and expire. The counter lives in Redis (``INCR``, shared by every web process and worker). Without Redis —
not configured (the local-memory cache is one process's own, so a change made in another process would not
reach it) or down (the fail-soft cache answers «nothing») — ``slots_version`` answers 0, and 0 means «do not
cache»: the page reads the database, never stale data.

Bumps happen twice, at once and again after commit. The one after commit is what keeps readers right: a
reader that read the version before the commit computes from the old rows and stores them under that
version, which nobody asks for once the bump has landed. The one at once makes the change visible inside
the same transaction too (a test's, or a service that reads back what it wrote); a rolled-back change then
costs only a cache miss, never stale data.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

NO_CACHE = 0
_SHARED_BACKENDS = {"core.cache.FailSoftRedisCache"}


def _key(timebook_id: int) -> str:
    return f"slots:version:{timebook_id}"


def _shared_cache() -> bool:
    return settings.CACHES["default"]["BACKEND"] in _SHARED_BACKENDS


def slots_version(timebook_id: int) -> int:
    """The timebook's current version, or ``NO_CACHE`` (0) when there is no shared cache to keep it in.

    A missing counter (first use, or evicted) starts from the clock in microseconds, not from 1: entries
    written under an earlier life of the counter can never be mistaken for current ones."""
    if not _shared_cache():
        return NO_CACHE
    key = _key(timebook_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns() // 1000, timeout=None)
        version = cache.get(key)  # None again: Redis is down
    return int(version) if version else NO_CACHE


def _bump(timebook_id: int) -> None:
    if not _shared_cache():
        return
    key = _key(timebook_id)
    try:
        cache.incr(key)  # 0 (fail-soft) when Redis is down: then nothing is cached either
    except ValueError:  # no counter yet: nothing can have been cached under it
        cache.add(key, time.time_ns() // 1000, timeout=None)


def slots_changed(timebook_id: int) -> None:
    """Call from every write that changes which of the timebook's slots are free: booking, holding,
    releasing, cancelling, publishing, withdrawing, deleting. Bumps now and when the transaction commits."""
    _bump(timebook_id)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(timebook_id))
