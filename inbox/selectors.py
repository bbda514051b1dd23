"""Reads of Innboks: what a viewer may see of a person's messages."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from citizens.models import Citizen

from .models import InboxMessage


def inbox_visible(person: Citizen, viewer: Citizen) -> QuerySet[InboxMessage]:
    """The person's messages as ``viewer`` may see them: a hidden appointment's messages only to the person."""
    qs = InboxMessage.objects.filter(citizen=person).select_related("appointment")
    if viewer.pk != person.pk:
        qs = qs.exclude(Q(appointment__hidden=True))
    return qs


def unread_count(person: Citizen, viewer: Citizen) -> int:
    """Unread messages the viewer may see (a parent is not told of a hidden appointment's message)."""
    return inbox_visible(person, viewer).filter(read_at__isnull=True).count()


def thread_of(message: InboxMessage) -> list[InboxMessage]:
    """The message and those written with it as one conversation, newest first (the answer above what it
    answers, as source 001 shows a blocked patient's time request): a time request and its automatic reply
    share the person, the subject and the moment they were written. Any other message stands alone."""
    if message.appointment_id is not None:
        return [message]
    return list(
        InboxMessage.objects.filter(
            citizen_id=message.citizen_id, appointment__isnull=True, subject=message.subject, sent_at=message.sent_at
        ).order_by("-sent_at", "-pk")
    )
