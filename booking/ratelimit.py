"""Abuse limits for the portal, counted in the cache (Redis in the full stack), answered with 429.

Fixed windows, one counter per (limit, who, window). The limits are chosen so that an honest citizen, and
the rush benchmark's crowd (thousands of logins from one address, three tries each at most), is never
limited: login counts only *failed* attempts per address; booking and time requests count per citizen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int
    message: Any


FAILED_LOGINS = Limit(
    "failed-login", 30, 600, _("For mange mislykkede innlogginger fra denne adressen. Vent litt og prøv igjen.")
)
SEND_BOOKING = Limit(
    "send-booking", 20, 60, _("Du har sendt mange bestillinger på kort tid. Vent et minutt og prøv igjen.")
)
TIME_REQUESTS = Limit(
    "time-request", 10, 3600, _("Du har sendt mange timeforespørsler. Vent litt før du sender flere.")
)

LIMITS = {limit.name: limit for limit in (FAILED_LOGINS, SEND_BOOKING, TIME_REQUESTS)}


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _key(limit: Limit, who: str, now: float) -> tuple[str, int]:
    window = int(now // limit.seconds)
    retry_after = limit.seconds - int(now % limit.seconds)
    return f"rl:{limit.name}:{who}:{window}", retry_after


def is_limited(limit: Limit, who: str) -> int:
    """Seconds to wait if ``who`` has used up ``limit`` in this window, else 0 (does not count)."""
    key, retry_after = _key(limit, who, time.time())
    return retry_after if (cache.get(key) or 0) >= limit.count else 0


def hit(limit: Limit, who: str) -> None:
    key, _ = _key(limit, who, time.time())
    if not cache.add(key, 1, limit.seconds + 5):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, limit.seconds + 5)


def too_many(request: HttpRequest, limit: Limit, retry_after: int) -> HttpResponse:
    response = render(request, "429.html", {"message": limit.message, "retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


View = Callable[..., HttpResponse]


def limit_posts(
    limit: Limit, who: Callable[[HttpRequest], str], *, count: Callable[[HttpResponse], bool]
) -> Callable[[View], View]:
    """Limit a view's POSTs: refuse with 429 once ``who`` has used the limit, and count the POSTs for which
    ``count(response)`` is true (e.g. only failed logins, or only bookings actually sent)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                return view(request, *args, **kwargs)
            ident = who(request)
            wait = is_limited(limit, ident)
            if wait:
                return too_many(request, limit, wait)
            response = view(request, *args, **kwargs)
            if count(response):
                hit(limit, ident)
            return response

        return wrapper

    return decorator


def citizen_key(request: HttpRequest) -> str:
    """The logged-in citizen (``request.citizen``, set once by the citizens middleware), else the address."""
    citizen = getattr(request, "citizen", None)
    return f"citizen:{citizen.pk}" if citizen is not None else f"ip:{client_address(request)}"


login_limited = limit_posts(FAILED_LOGINS, client_address, count=lambda r: r.status_code == 400)
booking_limited = limit_posts(SEND_BOOKING, citizen_key, count=lambda r: r.status_code in (302, 400, 409))
time_request_limited = limit_posts(TIME_REQUESTS, citizen_key, count=lambda r: r.status_code == 302)
