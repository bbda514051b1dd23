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
