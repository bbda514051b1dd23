"""Writes to Innboks."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from citizens.models import Citizen

from .models import InboxMessage, Thread


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
