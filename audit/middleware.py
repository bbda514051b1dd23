"""Who is acting, for the length of a request. Reads of pages that show an object are recorded by the apps that
own the pages (``audit.reads``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core.roles import is_nhn_support

from . import Actor, _current


def actor_for(request: HttpRequest) -> Actor:
    """Who is asking. A citizen and whom they act for come from ``request.citizen`` / ``request.person``."""
    user = request.user
    if not user.is_authenticated:
        return Actor(kind="anonymous", label="anonym")
    citizen = getattr(request, "citizen", None)
    if citizen is not None:
        person = getattr(request, "person", citizen)
        if person.pk != citizen.pk:
            return Actor("representative", citizen.full_name, user.pk, person.full_name)
        return Actor("citizen", citizen.full_name, user.pk)
    label = user.get_full_name() or user.get_username()
    if is_nhn_support(user):
        return Actor("support", label, user.pk)
    return Actor("staff", label, user.pk)


class AuditMiddleware:
    """Sets the request's actor (for ``record`` and the request log)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = actor_for(request)
        request.audit_actor = actor  # type: ignore[attr-defined]  # for the request log
        token = _current.set(actor)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
