"""Typed requests: what our middleware puts on ``HttpRequest``, for views and type checkers alike."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that passed django-htmx's middleware."""

    htmx: HtmxDetails


class CitizenRequest(HtmxHttpRequest):
    """A request that passed ``citizens.middleware.CitizenMiddleware``.

    ``citizen`` is the logged-in citizen (None for anyone else); ``person`` is whom they act for now: themself,
    a child under 16 or someone who gave them a power of attorney. Both are worked out once per request.
    """

    citizen: Any
    person: Any
