"""Abuse limits, counted in the cache (Redis in the full stack), answered with the Norwegian 429 page.

Two kinds of limit:

- ``Limit``: at most ``count`` uses per fixed window of ``seconds``, for one key (a citizen, an address). A
  use is counted *before* the view runs, and refused when the incremented count is over the limit: a check
  made before counting let 36 of 60 parallel bookings through a limit of 20 (issue 11, finding 8). A use
  that turns out not to count (a form error the citizen can fix) is given back afterwards.
- ``Backoff``: for password guessing. A few free tries, then one try per wait that doubles up to a ceiling.
  Each try after the free ones must first claim the wait (``cache.add``, which exactly one request wins),
  so parallel guesses cannot share one opening; a success forgets the failures.

The citizens' failed-login limit is the exception: it counts only failures, after the fact, because a
crowd behind one address (the rush benchmark: hundreds of logins at once from one address) must never
be refused for successful logins still in flight. Parallel guesses can pass it by the number in flight;
there is no password behind that login.

The cache fails soft (core/cache.py): with Redis down every limit here is open, as an empty cache answers.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import limits


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


def _hashed(who: str) -> str:
    """Keys stay short and plain whatever a username holds (and the cache never holds the username)."""
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


def _backoff_keys(backoff: Backoff, who: str) -> tuple[str, str]:
    base = f"rl:{backoff.name}:{_hashed(who)}"
    return f"{base}:tries", f"{base}:wait"


def _seconds_until(until: Any, now: float) -> int:
    return max(math.ceil(until - now), 1) if isinstance(until, int | float) and until > now else 0


def backoff_try(backoff: Backoff, who: str) -> int:
    """Count a try before it is made. 0 if it may go ahead, else the seconds to wait (the try is refused
    and not counted: waiting it out is never punished)."""
    tries_key, wait_key = _backoff_keys(backoff, who)
    now = time.time()
    waiting = _seconds_until(cache.get(wait_key), now)
    if waiting:
        return waiting
    tries = _count(tries_key, backoff.forget_after)
    if tries < backoff.free:
        return 0
    # From the last free try on, each try claims the wait that follows it; of parallel tries one wins.
    wait = backoff.wait_after(tries)
    if cache.add(wait_key, now + wait, wait):
        return 0
    _uncount(tries_key)
    return _seconds_until(cache.get(wait_key), now) or 1


def backoff_give_back(backoff: Backoff, who: str) -> None:
    """Undo a ``backoff_try`` that turned out not to be a failure (a success from a shared address)."""
    _uncount(_backoff_keys(backoff, who)[0])


def backoff_forget(backoff: Backoff, who: str) -> None:
    """Forget the tries and any wait (a successful login for that username)."""
    cache.delete_many(list(_backoff_keys(backoff, who)))


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
    return f"citizen:{citizen.pk}" if citizen is not None else f"ip:{client_address(request)}"


login_limited = limit_failures(FAILED_LOGINS, client_address, failed=lambda r: r.status_code == 400)
booking_limited = limit_posts(SEND_BOOKING, citizen_key, counts=lambda r: r.status_code in (302, 400, 409))
time_request_limited = limit_posts(TIME_REQUESTS, citizen_key, counts=lambda r: r.status_code == 302)
