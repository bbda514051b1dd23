"""Reads of Innboks: what a viewer may see of a person's messages, a conversation as one item."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from citizens.models import Citizen

from . import texts
from .models import InboxMessage, Thread

QUERY_MAX = 100  # «Finn melding»: longer searches are cut, never refused


def inbox_visible(person: Citizen, viewer: Citizen) -> QuerySet[InboxMessage]:
    """The person's messages as ``viewer`` may see them: a hidden appointment's messages, those of a hidden
    conversation (a 12–16-year-old's own, or one hidden «for fullmakt») and a message hidden on its own, only to
    the person."""
    qs = InboxMessage.objects.filter(citizen=person).select_related(
        "appointment__behandler", "appointment__slot__timebook__practitioner"
    )
    if viewer.pk != person.pk:
        qs = qs.exclude(appointment__hidden=True).exclude(thread__hidden=True).exclude(hidden=True)
        qs = qs.exclude(thread__hidden_for_proxies=True)
    return qs


def hidden_from(viewer: Citizen, message: InboxMessage) -> bool:
    """Whether the message is one only its person may read and ``viewer`` is someone else (who may act for them)."""
    if message.citizen_id == viewer.pk:
        return False
    appointment, thread = message.appointment, message.thread
    return bool(
        message.hidden
        or (appointment is not None and appointment.hidden)
        or (thread is not None and (thread.hidden or thread.hidden_for_proxies))
    )


def unread_count(person: Citizen, viewer: Citizen) -> int:
    """Unread messages the viewer may see (a parent is not told of a hidden appointment's or conversation's)."""
    return inbox_visible(person, viewer).filter(read_at__isnull=True).count()


@dataclass(frozen=True)
class InboxItem:
    """One line of Innboks: a message on its own, or a conversation (``thread_id``) shown by its latest message
    with the number of messages in it. ``pk`` is the message the line opens; ``read_at`` is None while anything
    in it is unread."""

    pk: int
    subject: str
    sender: str
    sent_at: dt.datetime
    read_at: dt.datetime | None
    appointment_id: int | None = None
    thread_id: int | None = None
    count: int = 1


def _matching(query: str) -> Q:
    return Q(subject__icontains=query) | Q(body__icontains=query) | Q(sender__icontains=query)


def _thread_items(person: Citizen, viewer: Citizen, query: str) -> list[InboxItem]:
    threads = Thread.objects.filter(citizen=person)
    if viewer.pk != person.pk:
        threads = threads.exclude(hidden=True).exclude(hidden_for_proxies=True)
    if query:
        in_messages = InboxMessage.objects.filter(thread=OuterRef("pk")).filter(_matching(query))
        threads = threads.filter(Q(subject__icontains=query) | Exists(in_messages))
    latest = InboxMessage.objects.filter(thread=OuterRef("pk")).order_by("-sent_at", "-pk")
    rows = (
        threads.annotate(
            n=Count("messages"),
            unread_n=Count("messages", filter=Q(messages__read_at__isnull=True)),
            latest_pk=Subquery(latest.values("pk")[:1]),
            latest_sender=Subquery(latest.values("sender")[:1]),
            latest_at=Subquery(latest.values("sent_at")[:1]),
        )
        .filter(n__gt=0)
        .values("pk", "subject", "n", "unread_n", "latest_pk", "latest_sender", "latest_at")
    )
    return [
        InboxItem(
            pk=row["latest_pk"],
            subject=row["subject"],
            sender=row["latest_sender"],
            sent_at=row["latest_at"],
            read_at=None if row["unread_n"] else row["latest_at"],
            thread_id=row["pk"],
            count=row["n"],
        )
        for row in rows
    ]


def list_title(message: InboxMessage) -> str:
    """Innboks's line for a new appointment is titled by what the appointment is for («Test», source 003, step 9);
    the message itself keeps its subject («Du har fått en ny timeavtale»). Helsenorge keeps an appointment's
    messages as one conversation under that title; here each is its own line, so the later ones (a receipt, a
    cancellation) keep their subjects, or the list could not tell them apart."""
    appointment = message.appointment
    if appointment is None or message.kind != InboxMessage.Kind.NEW_APPOINTMENT:
        return message.subject
    return appointment.reason or message.subject


def list_sender(message: InboxMessage) -> str:
    """Innboks's line names a behandler by first name («August», source 003, step 9), as the message's «hos
    August.» does; the message itself names them in full («August September (fastlege)»). Anyone else as sent."""
    appointment = message.appointment
    if appointment is None:
        return message.sender
    behandler = appointment.behandler or appointment.slot.timebook.practitioner
    return behandler.first_name if behandler is not None else message.sender


def inbox_items(person: Citizen, viewer: Citizen, query: str = "") -> list[InboxItem]:
    """Innboks newest first: each conversation once, other messages as they are; with ``query`` («Finn
    melding») only those whose subject, text or sender holds it, in any case."""
    query = query.strip()[:QUERY_MAX]
    single = inbox_visible(person, viewer).filter(thread__isnull=True)
    if query:
        single = single.filter(_matching(query))
    items = [
        InboxItem(
            pk=m.pk,
            subject=list_title(m),
            sender=list_sender(m),
            sent_at=m.sent_at,
            read_at=m.read_at,
            appointment_id=m.appointment_id,
        )
        for m in single
    ]
    items += _thread_items(person, viewer, query)
    return sorted(items, key=lambda item: (item.sent_at, item.pk), reverse=True)


def thread_of(message: InboxMessage) -> list[InboxMessage]:
    """The conversation the message is part of, newest first (the answer above what it answers, as source 001
    shows a blocked patient's time request), with its attachments. A
    message from before conversations were kept as threads: those written with it (a time request and its
    automatic reply share the person, the subject and the moment). Any other message stands alone."""
    if message.thread_id is not None:
        return list(
            InboxMessage.objects.filter(thread_id=message.thread_id)
            .prefetch_related("attachments")
            .order_by("-sent_at", "-pk")
        )
    if message.appointment_id is not None:
        return [message]
    return list(
        InboxMessage.objects.filter(
            citizen_id=message.citizen_id,
            appointment__isnull=True,
            thread__isnull=True,
            subject=message.subject,
            sent_at=message.sent_at,
        )
        .prefetch_related("attachments")
        .order_by("-sent_at", "-pk")
    )


@dataclass(frozen=True)
class ThreadState:
    """What the message page says under a conversation: the closed text, or whether it may be answered."""

    thread: Thread | None
    closed_text: str = ""
    may_answer: bool = False


def thread_state(message: InboxMessage, parts: list[InboxMessage]) -> ThreadState:  # parts: newest first
    """Open and of a kind the citizen answers, and not ended by an automatic reply (a blocked patient's): the
    reply form. Closed by the office: its closed text (source 003/004)."""
    thread = message.thread if message.thread_id is not None else None
    if thread is None:
        return ThreadState(None)
    if thread.is_closed:
        return ThreadState(thread, closed_text=texts.closed_text(thread.kind))
    latest_automatic = bool(parts) and parts[0].kind == InboxMessage.Kind.AUTOMATIC_REPLY
    return ThreadState(thread, may_answer=thread.kind in texts.ANSWERABLE and not latest_automatic)
