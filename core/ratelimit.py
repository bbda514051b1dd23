"""Abuse limits, counted in the cache (Redis in the full stack), answered with the Norwegian 429 page.

Two kinds of limit:

- ``Limit``: at most ``count`` uses per fixed window of ``seconds``, for one key (a citizen, an address). A
  use is counted *before* the view runs, and refused when the incremented count is over the limit: a check
  made before counting let 36 of 60 parallel bookings through a limit of 20 (issue 11, finding 8). A use
  that turns out not to count (a form error the citizen can fix) is given back afterwards.
- ``Backoff``: for password guessing. A few free tries, then one try per wait that doubles up to a ceiling.
  Counted in the database (``core.models.LoginThrottle``), not the cache: with Redis down the staff login still
  works, so its limit must too (issue 20, finding 13; django-axes counts in the database for the same reason).
  Each try locks its row, so parallel guesses are counted one after another and cannot share one opening; a
  success forgets the failures.

The citizens' failed-login limit is the exception: it counts only failures, after the fact, because a
crowd behind one address (the rush benchmark: hundreds of logins at once from one address) must never
be refused for successful logins still in flight. Parallel guesses can pass it by the number in flight;
there is no password behind that login.

The cache fails soft (core/cache.py): with Redis down every ``Limit`` here is open, as an empty cache answers.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import limits
from .locking import lock_rows
from .models import LoginThrottle


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int
    message: Any


@dataclass(frozen=True)
class Backoff:
    """``free`` tries, then one try per wait: ``first_wait`` doubled with each further try, at most
    ``max_wait``. The tries are forgotten ``forget_after`` seconds after the first one."""

    name: str
    free: int
    first_wait: int
    max_wait: int
    forget_after: int
    message: Any

    def wait_after(self, tries: int) -> int:
        return min(self.first_wait * 2 ** min(max(tries - self.free, 0), 20), self.max_wait)


FAILED_LOGINS = Limit(
    "failed-login", 30, 600, _("For mange mislykkede innlogginger fra denne adressen. Vent litt og prøv igjen.")
)
SEND_BOOKING = Limit(
    "send-booking", 20, 60, _("Du har sendt mange bestillinger på kort tid. Vent et minutt og prøv igjen.")
)
TIME_REQUESTS = Limit(
    "time-request", 10, 3600, _("Du har sendt mange timeforespørsler. Vent litt før du sender flere.")
)
STAFF_LOGIN_USERNAME = Backoff(
    "staff-login-user",
    limits.LOGIN_FREE_TRIES_PER_USERNAME,
    limits.LOGIN_FIRST_WAIT_SECONDS,
    limits.LOGIN_MAX_WAIT_SECONDS,
    limits.LOGIN_USERNAME_FORGET_SECONDS,
    _("For mange mislykkede innlogginger for dette brukernavnet. Vent litt og prøv igjen."),
)
STAFF_LOGIN_ADDRESS = Backoff(
    "staff-login-address",
    limits.LOGIN_FREE_TRIES_PER_ADDRESS,
    limits.LOGIN_FIRST_WAIT_SECONDS,
    limits.LOGIN_MAX_WAIT_SECONDS,
    limits.LOGIN_ADDRESS_FORGET_SECONDS,
    _("For mange mislykkede innlogginger fra denne adressen. Vent litt og prøv igjen."),
)


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind ``TRUSTED_PROXY_COUNT`` proxies the address the
    outermost of them saw (that many entries from the right of ``X-Forwarded-For``). Entries further left
    were written by the client and are never believed, nor is the header at all without trusted proxies."""
    remote = str(request.META.get("REMOTE_ADDR", "")) or "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:  # not through all our proxies: only the connection itself is known
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote


# An IPv6 client is counted by its /56, what one household or office is usually given: one client can pick any
# of the 2^72 addresses in it, and would otherwise be a new client at each.
IPV6_NETWORK_PREFIX = 56


def network_of_address(address: str) -> str:
    """The network a client's address stands for, written out: the address itself for IPv4 (also when written
    as IPv6, ``::ffff:a.b.c.d``, as a dual-stack server sees it), its /56 for IPv6; anything else as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_NETWORK_PREFIX}", strict=False))
    return str(ip)


def client_network(request: HttpRequest) -> str:
    """What the limits per address count by: the client's address (``client_address``), an IPv6 one as its /56."""
    return network_of_address(client_address(request))


def _hashed(who: str) -> str:
    """Keys stay short and plain whatever a username holds (and neither the cache nor the database holds the
    username or the address)."""
    return hashlib.sha256(who.encode()).hexdigest()[:32]


def _window_key(limit: Limit, who: str, now: float) -> tuple[str, int]:
    window = int(now // limit.seconds)
    retry_after = limit.seconds - int(now % limit.seconds)
    return f"rl:{limit.name}:{_hashed(who)}:{window}", retry_after


def _count(key: str, timeout: int) -> int:
    """Add one to ``key`` atomically and return the new count (1 for a new key, and with the cache down)."""
    if cache.add(key, 1, timeout):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        return 1


def _uncount(key: str) -> None:
    with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
        cache.decr(key)


def take(limit: Limit, who: str) -> int:
    """Count one use of ``limit`` by ``who``. 0 if it is within the limit, else the seconds until the window
    ends (the use is refused)."""
    key, retry_after = _window_key(limit, who, time.time())
    return retry_after if _count(key, limit.seconds + 5) > limit.count else 0


def give_back(limit: Limit, who: str) -> None:
    """Undo a ``take`` whose use turned out not to count."""
    key, _retry_after = _window_key(limit, who, time.time())
    _uncount(key)


def is_limited(limit: Limit, who: str) -> int:
    """Seconds to wait if ``who`` has used up ``limit`` in this window, else 0 (does not count)."""
    key, retry_after = _window_key(limit, who, time.time())
    return retry_after if (cache.get(key) or 0) >= limit.count else 0


def hit(limit: Limit, who: str) -> None:
    """Count one use after the fact (the failed-login limit)."""
    key, _retry_after = _window_key(limit, who, time.time())
    _count(key, limit.seconds + 5)


def _seconds_until(until: datetime | None, now: datetime) -> int:
    return max(math.ceil((until - now).total_seconds()), 1) if until is not None and until > now else 0


@contextlib.contextmanager
def _counting() -> Iterator[None]:
    """A transaction for the counts that does not wait for its commit to reach the disk (PostgreSQL's
    ``synchronous_commit`` off, for this transaction alone): a crash of the database may lose its last fraction
    of a second of counts, a guess or two, while the wait for the disk was most of a count's cost (2.6 ms
    against 0.5 ms a write on the development machine)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('synchronous_commit', 'off', true)")
        yield


def _throttle(backoff: Backoff, who: str) -> QuerySet[LoginThrottle]:
    return LoginThrottle.objects.filter(limit=backoff.name, key=_hashed(who))


def _first_try(backoff: Backoff, who: str, now: datetime) -> bool:
    """Count ``who``'s first try by making its row; False if a parallel first try made it first."""
    first = LoginThrottle(
        limit=backoff.name,
        key=_hashed(who),
        tries=1,
        wait_until=now + timedelta(seconds=backoff.wait_after(1)) if backoff.free <= 1 else None,
        forget_at=now + timedelta(seconds=backoff.forget_after),
    )
    try:
        with _counting():
            first.save(force_insert=True)
            # Rows are made no faster than they are cleared: the table holds only the last day's names and addresses.
            LoginThrottle.objects.filter(Q(wait_until__isnull=True) | Q(wait_until__lt=now), forget_at__lt=now).delete()
    except IntegrityError:
        return False
    return True


def backoff_waiting(backoff: Backoff, who: str) -> int:
    """The seconds ``who`` must still wait, else 0; counts nothing (one read)."""
    until = _throttle(backoff, who).values_list("wait_until", flat=True).first()
    return _seconds_until(until, timezone.now())


def backoff_try(backoff: Backoff, who: str) -> int:
    """Count a try before it is made. 0 if it may go ahead, else the seconds to wait (the try is refused
    and not counted: waiting it out is never punished)."""
    now = timezone.now()
    throttle = _throttle(backoff, who)
    seen = list(throttle.values_list("wait_until", flat=True)[:1])
    if not seen and _first_try(backoff, who, now):
        return 0
    waiting = _seconds_until(seen[0], now) if seen else 0
    if waiting:  # most tries during a wait end here, after one read: no lock, no write
        return waiting
    with _counting():
        rows = lock_rows(throttle)  # parallel tries are counted one after another
        if not rows:  # cleared as forgotten since the read above (a race of microseconds)
            return 0 if _first_try(backoff, who, now) else 1
        row = rows[0]
        if row.forget_at <= now:  # the tries are forgotten; a wait they earned still runs out
            row.tries, row.forget_at = 0, now + timedelta(seconds=backoff.forget_after)
        waiting = _seconds_until(row.wait_until, now)  # a parallel try may have earned one meanwhile
        if not waiting:
            row.tries += 1
            if row.tries >= backoff.free:  # from the last free try on, each try earns the wait after it
                row.wait_until = now + timedelta(seconds=backoff.wait_after(row.tries))
            row.save(update_fields=["tries", "wait_until", "forget_at"])
    return waiting


def backoff_give_back(backoff: Backoff, who: str) -> None:
    """Undo a ``backoff_try`` that turned out not to be a failure (a success from a shared address); below the
    free tries again, no wait is owed."""
    with _counting():
        _throttle(backoff, who).filter(tries__gt=0).update(
            tries=F("tries") - 1,
            wait_until=Case(When(tries__lte=backoff.free, then=Value(None)), default=F("wait_until")),
        )


def backoff_forget(backoff: Backoff, who: str) -> None:
    """Forget the tries and any wait (a successful login for that username)."""
    with _counting():
        _throttle(backoff, who).delete()


def too_many(request: HttpRequest, message: Any, retry_after: int) -> HttpResponse:
    response = render(request, "429.html", {"message": message, "retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


View = Callable[..., HttpResponse]


def limit_posts(
    limit: Limit, who: Callable[[HttpRequest], str], *, counts: Callable[[HttpResponse], bool]
) -> Callable[[View], View]:
    """Limit a view's POSTs: each is counted before the view runs and refused with 429 once ``who`` is over
    the limit; one whose response does not ``count`` (e.g. a form error) is given back."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                return view(request, *args, **kwargs)
            ident = who(request)
            wait = take(limit, ident)
            if wait:
                return too_many(request, limit.message, wait)
            try:
                response = view(request, *args, **kwargs)
            except BaseException:
                give_back(limit, ident)
                raise
            if not counts(response):
                give_back(limit, ident)
            return response

        return wrapper

    return decorator


def limit_failures(
    limit: Limit, who: Callable[[HttpRequest], str], *, failed: Callable[[HttpResponse], bool]
) -> Callable[[View], View]:
    """Limit a view's failed POSTs, counted after the fact (see the module's docstring for why)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                return view(request, *args, **kwargs)
            ident = who(request)
            wait = is_limited(limit, ident)
            if wait:
                return too_many(request, limit.message, wait)
            response = view(request, *args, **kwargs)
            if failed(response):
                hit(limit, ident)
            return response

        return wrapper

    return decorator


def citizen_key(request: HttpRequest) -> str:
    """The logged-in citizen (``request.citizen``, set once by the citizens middleware), else the address."""
    citizen = getattr(request, "citizen", None)
    return f"citizen:{citizen.pk}" if citizen is not None else f"ip:{client_network(request)}"


login_limited = limit_failures(FAILED_LOGINS, client_network, failed=lambda r: r.status_code == 400)
booking_limited = limit_posts(SEND_BOOKING, citizen_key, counts=lambda r: r.status_code in (302, 400, 409))
time_request_limited = limit_posts(TIME_REQUESTS, citizen_key, counts=lambda r: r.status_code == 302)
