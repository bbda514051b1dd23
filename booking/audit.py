"""The audit trail's recorder: who read or changed which appointment, message, timebook, block or AR process.

The middleware notes who is acting (citizen, representative, staff, support) for the length of a request
and records *reads* of the pages that show such objects; signal receivers record every *change* to them,
whoever makes it (a view, the admin, a task: then the actor is «system»). Recording from the outside keeps
the services and views free of logging code.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse

from addressregistry.models import AuditEvent, ProcessChange, Service
from addressregistry.selectors import is_nhn_support
from resourcebooks.models import PatientBlock, Timebook, WeekTemplate

from .models import Appointment, Citizen, InboxMessage


@dataclass(frozen=True)
class Actor:
    kind: str
    label: str
    user_id: int | None = None
    acting_for: str = ""


SYSTEM = Actor(kind="system", label="system")
request_log = logging.getLogger("portal.requests")
_current: ContextVar[Actor] = ContextVar("audit_actor", default=SYSTEM)


def actor_for(request: HttpRequest) -> Actor:
    user = request.user
    if not user.is_authenticated:
        return Actor(kind="anonymous", label="anonym")
    citizen = getattr(user, "citizen", None)
    if citizen is not None:
        acting = request.session.get("acting_for")
        if acting and acting != citizen.pk:
            other = Citizen.objects.filter(pk=acting).only("first_name", "last_name").first()
            if other is not None:
                return Actor("representative", citizen.full_name, user.pk, other.full_name)
        return Actor("citizen", citizen.full_name, user.pk)
    label = user.get_full_name() or user.get_username()
    if is_nhn_support(user):
        return Actor("support", label, user.pk)
    return Actor("staff", label, user.pk)


def record(
    action: str, object_type: str, object_id: Any, *, organisation_her_id: int | None = None, summary: str = ""
) -> None:
    actor = _current.get()
    AuditEvent.objects.create(
        actor_kind=actor.kind,
        actor_label=actor.label,
        actor_user_id=actor.user_id,
        acting_for=actor.acting_for,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        organisation_her_id=organisation_her_id,
        summary=summary[:300],
    )


# --- Reads: the pages that show an object, by URL name ------------------------------------------------

READ_PAGES: dict[str, tuple[str, str]] = {
    # url name: (object type, URL kwarg with its id)
    "booking:appointment": ("appointment", "pk"),
    "booking:ics": ("appointment", "pk"),
    "booking:message": ("inbox_message", "pk"),
    "addressregistry:service": ("ar_service", "her_id"),
    "admin:resourcebooks_timebook_change": ("timebook", "object_id"),
    "admin:resourcebooks_timebook_day": ("timebook", "object_id"),
    "admin:resourcebooks_patientblock_change": ("patient_block", "object_id"),
    "admin:booking_appointment_change": ("appointment", "object_id"),
}


class RequestLogMiddleware:
    """One structured line per request: its id, who (the kind of user, never a name or number), the outcome.

    The path is logged without its query string and no body is logged, so no fødselsnummer reaches the logs.
    An incoming ``X-Request-ID`` is kept (a proxy's), else one is made; it is sent back in the response.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if incoming.isalnum() and len(incoming) <= 64 else uuid.uuid4().hex
        began = time.perf_counter()
        response = self.get_response(request)
        # The audit middleware (inside this one) has already worked out who is asking.
        actor = getattr(request, "audit_actor", None)
        kind = actor.kind if actor is not None else "anonymous"
        request_log.info(
            "request id=%s method=%s path=%s user=%s status=%s ms=%.1f",
            request_id,
            request.method,
            request.path,
            kind,
            response.status_code,
            (time.perf_counter() - began) * 1000,
        )
        response["X-Request-ID"] = request_id
        return response


class AuditMiddleware:
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


# --- Changes: every save and delete of the objects that matter ---------------------------------------


def _appointment_created(sender: Any, instance: Appointment, created: bool, **kwargs: Any) -> None:
    if created:
        record(
            "create",
            "appointment",
            instance.pk,
            organisation_her_id=_her_id_of_slot(instance.slot_id),
            summary=instance.status,
        )


def _message_created(sender: Any, instance: InboxMessage, created: bool, **kwargs: Any) -> None:
    """Status changes are conditional UPDATEs (no signal), but each one writes the citizen a message."""
    if created and instance.appointment_id:
        appointment = Appointment.objects.only("slot_id").get(pk=instance.appointment_id)
        record(
            "update",
            "appointment",
            instance.appointment_id,
            organisation_her_id=_her_id_of_slot(appointment.slot_id),
            summary=instance.get_kind_display(),
        )


def _her_id_of_slot(slot_id: int) -> int | None:
    return Timebook.objects.filter(slots__pk=slot_id).values_list("service__organisation__her_id", flat=True).first()


def _simple(object_type: str, her_id: Callable[[Any], int | None]) -> tuple[Callable[..., None], Callable[..., None]]:
    def saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
        record(
            "create" if created else "update",
            object_type,
            instance.pk,
            organisation_her_id=her_id(instance),
            summary=str(instance)[:300],
        )

    def deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
        record("delete", object_type, instance.pk, organisation_her_id=her_id(instance), summary=str(instance)[:300])

    return saved, deleted


def _process_changed(sender: Any, instance: ProcessChange, created: bool, **kwargs: Any) -> None:
    if created:
        service = Service.objects.select_related("organisation").get(pk=instance.service_id)
        record(
            "update",
            "ar_service",
            service.her_id,
            organisation_her_id=service.organisation.her_id,
            summary=f"{instance.get_process_display()} {'på' if instance.active else 'av'}",
        )


def connect() -> None:
    """Called from ``BookingConfig.ready``."""
    post_save.connect(_appointment_created, sender=Appointment, dispatch_uid="audit-appointment")
    post_save.connect(_message_created, sender=InboxMessage, dispatch_uid="audit-appointment-change")
    post_save.connect(_process_changed, sender=ProcessChange, dispatch_uid="audit-process")
    for model, object_type, her_id in (
        (Timebook, "timebook", lambda tb: tb.service.organisation.her_id),
        (PatientBlock, "patient_block", lambda b: b.organisation.her_id),
        (WeekTemplate, "week_template", lambda t: t.timebook.service.organisation.her_id),
    ):
        saved, deleted = _simple(object_type, her_id)
        post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"audit-{object_type}-saved")
        post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"audit-{object_type}-deleted")
