"""Who is acting, for the length of a request, and the reads of pages that show an object."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django.apps import apps
from django.db.models import BinaryField
from django.http import HttpRequest, HttpResponse

from core.ids import parse_id
from core.roles import is_nhn_support

from . import Actor, _current, record

APPOINTMENT_HER_ID = "slot__timebook__service__organisation__her_id"
MESSAGE_HER_ID = f"appointment__{APPOINTMENT_HER_ID}|thread__organisation__her_id"
ATTACHMENT_HER_ID = "message__thread__organisation__her_id"


class ReadPage(NamedTuple):
    """A page that shows one object. ``model`` («app_label.Model», a label: audit imports no app above it)
    lets the read name the object's organisation (``her_id``, a lookup from the object, or several separated by
    «|», the first that leads somewhere) and, on the portal, the citizen it belongs to (``whose``)."""

    object_type: str
    kwarg: str  # the URL kwarg with the object's id
    model: str = ""
    her_id: str = ""
    whose: str = ""


# The pages that show an object, by URL name.
READ_PAGES: dict[str, ReadPage] = {
    "booking:appointment": ReadPage("appointment", "pk", "booking.Appointment", APPOINTMENT_HER_ID, "citizen"),
    "booking:ics": ReadPage("appointment", "pk", "booking.Appointment", APPOINTMENT_HER_ID, "citizen"),
    "booking:message": ReadPage("inbox_message", "pk", "inbox.InboxMessage", MESSAGE_HER_ID, "citizen"),
    "addressregistry:service": ReadPage("ar_service", "her_id"),
    # Dialogues (e-kontakt, e-konsultasjon, reseptfornyelse): the clinic's thread, its files, the journal page, and
    # a citizen's download; the clinic's inbox list records its own read (as the admin's lists do).
    "dialogues:staff_thread": ReadPage("dialogue", "pk", "dialogues.Dialogue", "thread__organisation__her_id"),
    "dialogues:staff_attachment": ReadPage("attachment", "pk", "inbox.Attachment", ATTACHMENT_HER_ID),
    "dialogues:staff_journal": ReadPage("journal", "pk", "citizens.Citizen", "gp_office__her_id"),
    "dialogues:attachment": ReadPage("attachment", "pk", "inbox.Attachment", ATTACHMENT_HER_ID, "message__citizen"),
    "admin:dialogues_journalentry_change": ReadPage(
        "journal_entry", "object_id", "dialogues.JournalEntry", "organisation__her_id"
    ),
    "admin:dialogues_prescription_change": ReadPage(
        "prescription", "object_id", "dialogues.Prescription", "citizen__gp_office__her_id"
    ),
    "admin:inbox_inboxmessage_change": ReadPage("inbox_message", "object_id", "inbox.InboxMessage", MESSAGE_HER_ID),
    "admin:resourcebooks_timebook_change": ReadPage(
        "timebook", "object_id", "resourcebooks.Timebook", "service__organisation__her_id"
    ),
    "admin:resourcebooks_timebook_day": ReadPage(
        "timebook", "object_id", "resourcebooks.Timebook", "service__organisation__her_id"
    ),
    "admin:resourcebooks_timebook_chart": ReadPage(
        "timebook", "object_id", "resourcebooks.Timebook", "service__organisation__her_id"
    ),
    "admin:resourcebooks_patientblock_change": ReadPage(
        "patient_block", "object_id", "resourcebooks.PatientBlock", "organisation__her_id"
    ),
    "admin:booking_appointment_change": ReadPage("appointment", "object_id", "booking.Appointment", APPOINTMENT_HER_ID),
    "admin:notifications_notification_change": ReadPage(
        "notification", "object_id", "notifications.Notification", "owner_her_id"
    ),
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


def _follow(obj: Any, lookup: str) -> Any:
    for part in lookup.split("__"):
        obj = getattr(obj, part, None)
    return obj


def _shown_object(page: ReadPage, object_id: object) -> Any:
    pk = parse_id(object_id)
    if pk is None:
        return None
    lookups = [*page.her_id.split("|"), f"{page.whose}__pk" if page.whose else ""]
    relations = [lookup.rpartition("__")[0] for lookup in lookups if lookup]
    model = apps.get_model(page.model)
    files = [f.name for f in model._meta.concrete_fields if isinstance(f, BinaryField)]  # a file's bytes: not read
    return model._default_manager.select_related(*filter(None, relations)).defer(*files).filter(pk=pk).first()


def _her_id(obj: Any, page: ReadPage) -> Any:
    found = (_follow(obj, lookup) for lookup in page.her_id.split("|"))
    return next((her_id for her_id in found if her_id is not None), None)


def reader_of(request: HttpRequest, actor: Actor, owner: Any) -> Actor:
    """A citizen reads their own for themself, and someone else's (which the view showed only because they
    may act for that person) for that person, whomever they had switched to: a parent may open a child's
    appointment from its link without switching to the child first."""
    citizen = getattr(request, "citizen", None)
    if citizen is None or owner is None:
        return actor
    if owner.pk == citizen.pk:
        return Actor("citizen", citizen.full_name, actor.user_id)
    return Actor("representative", citizen.full_name, actor.user_id, owner.full_name)


def _record_read(request: HttpRequest, actor: Actor, page: ReadPage, object_id: object) -> None:
    obj = _shown_object(page, object_id) if page.model else None
    her_id = _her_id(obj, page) if obj is not None and page.her_id else None
    if page.whose:
        _current.set(reader_of(request, actor, _follow(obj, page.whose)))
    record("read", page.object_type, object_id, organisation_her_id=her_id, summary=request.path)


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
                    _record_read(request, actor, page, match.kwargs.get(page.kwarg, ""))
            return response
        finally:
            _current.reset(token)
