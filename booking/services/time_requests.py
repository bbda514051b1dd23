"""«Send timeforespørsel» when no free time suits (source 003)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from addressregistry.models import Service
from citizens.models import Citizen
from citizens.selectors import is_blocked
from core.limits import REASON_MAX, SUGGESTED_TIMES_MAX
from core.text import has_control_characters, one_line
from inbox.models import InboxMessage, Thread
from inbox.services import message_write
from resourcebooks.models import Timebook

from .. import texts
from ..errors import BookingError
from ..models import TimeRequest
from ..signals import time_request_sent


def time_request_clean(*, subject: str, suggested_times: str) -> tuple[str, str]:
    """«Emne» (one line, max 50) and «Foreslå ett eller flere tidspunkt som passer deg» (max 250), source 003."""
    for field, text in (("subject", subject), ("suggested_times", suggested_times)):
        if has_control_characters(text):
            raise BookingError(_("Teksten inneholder tegn som ikke kan brukes."), field=field)
    subject = one_line(subject)
    suggested = suggested_times.strip()
    if not subject:
        raise BookingError(_("Du må skrive et emne"), field="subject")
    if len(subject) > REASON_MAX:
        raise BookingError(_("Emnet kan ha maks %(max)d tegn.") % {"max": REASON_MAX}, field="subject")
    if not suggested:
        raise BookingError(_("Du må foreslå ett eller flere tidspunkt som passer"), field="suggested_times")
    if len(suggested) > SUGGESTED_TIMES_MAX:
        raise BookingError(_("Du kan skrive maks 250 tegn."), field="suggested_times")
    return subject, suggested


def time_request_send(
    *,
    person: Citizen,
    booked_by: Citizen,
    service: Service,
    timebook: Timebook | None,
    subject: str,
    suggested_times: str,
) -> TimeRequest:
    """«Send timeforespørsel». The person's own message is in their Innboks (read: they wrote it). A blocked
    person's request is sent but answered automatically, by their fastlege at a GP office (source 001), in the
    same thread: both messages have the request's subject and moment (``inbox.selectors.thread_of``)."""
    subject, suggested = time_request_clean(subject=subject, suggested_times=suggested_times)
    blocked = is_blocked(person, service.organisation_id)
    now = timezone.now()
    organisation = service.organisation
    with transaction.atomic():
        request = TimeRequest.objects.create(
            service=service,
            timebook=timebook,
            citizen=person,
            booked_by=booked_by,
            subject=subject,
            suggested_times=suggested,
            status=TimeRequest.Status.REFUSED_BLOCKED if blocked else TimeRequest.Status.NEW,
            created_at=now,
        )
        thread = Thread.objects.create(
            citizen=person,
            organisation=organisation,
            kind=Thread.Kind.TIMEFORESPORSEL,
            subject=subject,
            created_at=now,
            last_message_at=now,
            closed_at=now if blocked else None,
        )
        message_write(
            citizen=person,
            kind=InboxMessage.Kind.TIME_REQUEST,
            sender=booked_by.full_name,
            subject=subject,
            body=texts.time_request_body(suggested),
            sent_at=now,
            read=True,
            thread=thread,
            written_by=booked_by,
        )
        if blocked:
            message_write(
                citizen=person,
                kind=InboxMessage.Kind.AUTOMATIC_REPLY,
                sender=texts.reply_sender(organisation, person.fastlege),
                subject=subject,
                body=texts.BLOCKED_REPLY,
                sent_at=now,
                thread=thread,
            )
        time_request_sent.send(sender=TimeRequest, request=request, thread=thread)
    return request
