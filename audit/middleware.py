"""Who is acting, for the length of a request, and the reads of pages that show an object."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core.roles import is_nhn_support

from . import Actor, _current, record

# The pages that show an object, by URL name: (object type, URL kwarg with its id).
READ_PAGES: dict[str, tuple[str, str]] = {
    "booking:appointment": ("appointment", "pk"),
    "booking:ics": ("appointment", "pk"),
    "booking:message": ("inbox_message", "pk"),
    "addressregistry:service": ("ar_service", "her_id"),
    "admin:resourcebooks_timebook_change": ("timebook", "object_id"),
    "admin:resourcebooks_timebook_day": ("timebook", "object_id"),
    "admin:resourcebooks_patientblock_change": ("patient_block", "object_id"),
    "admin:booking_appointment_change": ("appointment", "object_id"),
}


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
    """Sets the request's actor (for ``record`` and the request log) and records reads of ``READ_PAGES``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = actor_for(request)
        request.audit_actor = actor  # type: ignore[attr-defined]  # for the request log
        token = _current.set(actor)
        try:
            response = self.get_response(request)
            match = request.resolver_match
            if request.method == "GET" and response.status_code == 200 and match is not None:
                page = READ_PAGES.get(match.view_name)
                if page is not None:
                    record("read", page[0], match.kwargs.get(page[1], ""), summary=request.path)
            return response
        finally:
            _current.reset(token)
