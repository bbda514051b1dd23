"""``GET /healthz``: is the database reachable, and the broker when one is configured?"""

from __future__ import annotations

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _broker_state() -> str:
    if not settings.REDIS_URL:
        return "not configured (tasks run in-process)"
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        return f"error: {exc.__class__.__name__}"
    finally:
        client.close()
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(not state.startswith("error") for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)


@never_cache
@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """The cheapest Django view there is: the benchmark's ceiling for "a trivial view under the same server"."""
    return HttpResponse("pong", content_type="text/plain")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A missing or stale CSRF token: say so in Norwegian, in the portal's layout; nothing was changed."""
    return render(request, "403_csrf.html", status=403)
