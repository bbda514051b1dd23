"""Writes to Innboks."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import audit
from citizens.models import Citizen
from core.errors import ApplicationError
from core.limits import CHILD_AGE_LIMIT

from .models import InboxMessage, Thread
from .selectors import thread_of

# A 12–16-year-old's own conversations are theirs alone (source 004); the setting cannot show them to parents.
# Under 16 the parents act for the child and read what the child may not keep from them (a 12–16-year-old's own
# conversation is hidden from them by its own rule); the setting is for those who have given a fullmakt.
HIDING_FROM_16 = _("Du kan skjule samtaler for dem som har fullmakt for deg fra du er 16 år.")


def message_write(
    *,
    citizen: Citizen,
    kind: str,
    sender: str,
    subject: str,
    body: str,
    appointment_id: int | None = None,
    can_reply: bool = False,
    sent_at: dt.datetime | None = None,
    read: bool = False,
    thread: Thread | None = None,
    written_by: Citizen | None = None,
    staff_user_id: int | None = None,
    note: str = "",
) -> InboxMessage:
    """One message in the citizen's Innboks (``read`` for what they wrote themselves). Runs in the caller's
    transaction: a message about a change commits with the change, or not at all. In a ``thread``, the side
    that wrote it: ``written_by`` (the citizen side: who acted) or ``staff_user_id``; neither is automatic."""
    sent_at = sent_at or timezone.now()
    if thread is not None:
        Thread.objects.filter(pk=thread.pk).update(last_message_at=sent_at)
    return InboxMessage.objects.create(
        thread=thread,
        from_citizen=written_by is not None,
        written_by=written_by,
        staff_user_id=staff_user_id,
        note=note,
        citizen=citizen,
        appointment_id=appointment_id,
        kind=kind,
        sender=sender,
        subject=subject,
        body=body,
        can_reply=can_reply,
        sent_at=sent_at,
        read_at=sent_at if read else None,
    )


def message_mark_read(*, message: InboxMessage) -> bool:
    """Mark a message read once (a conditional update: a second reader changes nothing)."""
    return InboxMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now()) == 1


def may_hide_for_proxies(person: Citizen) -> bool:
    return person.age_on(timezone.localdate()) >= CHILD_AGE_LIMIT


def conversation_hide_set(*, message: InboxMessage, hidden: bool) -> bool:
    """«Skjul samtale for fullmakt» (source 003, step 9), set by the person themself: the conversation (its
    thread, or the message on its own) is then read only by them, never by whoever acts for them. False when it
    was so already. Refused under 16 (``CHILD_AGE_LIMIT``). Apart from a 12–16-year-old's own conversation's
    ``Thread.hidden``, which it never changes. A conditional update: no lock is needed, and a second click changes
    nothing."""
    if not may_hide_for_proxies(message.citizen):
        raise ApplicationError(HIDING_FROM_16, field="hidden")
    with transaction.atomic():
        if message.thread_id is not None:
            threads = Thread.objects.filter(pk=message.thread_id).exclude(hidden_for_proxies=hidden)
            changed = threads.update(hidden_for_proxies=hidden)
            what, pk = "thread", message.thread_id
        else:
            # A message from before conversations were threads is shown with those written with it: all of them.
            together = [part.pk for part in thread_of(message)]
            changed = InboxMessage.objects.filter(pk__in=together).exclude(hidden=hidden).update(hidden=hidden)
            what, pk = "inbox_message", message.pk
        if changed:
            audit.record(
                "update",
                what,
                pk,
                organisation_her_id=_her_id(message),
                summary="skjult for fullmakt" if hidden else "vist for fullmakt",
            )
    return bool(changed)


def _her_id(message: InboxMessage) -> int | None:
    if message.thread is not None:
        return message.thread.organisation.her_id
    appointment = message.appointment
    return appointment.slot.timebook.service.organisation.her_id if appointment is not None else None
