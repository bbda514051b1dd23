"""Who is told, on which channels, that the clinic has written (source 004: «HelseNorge varsler pasienten når
fastlegen eller klinikken svarer på en dialog»). Written in the transaction of the answer; the text says only
that there is a message, never what it is about."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from citizens.models import Citizen, Representation
from citizens.selectors import representatives_of
from core.limits import CHILD_AGE_LIMIT
from inbox.models import InboxMessage
from notifications.models import Notification
from notifications.services import Outgoing, notifications_enqueue, portal_channels

from . import texts
from .models import Dialogue


def recipients(dialogue: Dialogue, today: dt.date | None = None) -> list[Citizen]:
    """A child under 16 is told through the parents only (with no parent on record, nobody: a child's health
    message must not reach the child's phone), except of a 12–16-year-old's own conversation, hidden from the
    parents, which only the child is told of (as of a «Skjult time»); anyone else themself, and so is a
    representative under a power of attorney still valid who wrote in the conversation for them, unless the person
    has hidden the conversation «for fullmakt»."""
    today = today or timezone.localdate()
    person = dialogue.citizen
    if dialogue.thread.hidden or dialogue.thread.hidden_for_proxies:
        return [person]
    reps = representatives_of(person, today)
    if person.age_on(today) < CHILD_AGE_LIMIT:
        parents = [r.representative for r in reps if r.kind == Representation.Kind.PARENT]
        return parents
    wrote = set(
        InboxMessage.objects.filter(thread_id=dialogue.thread_id, written_by__isnull=False).values_list(
            "written_by_id", flat=True
        )
    )
    return [person, *(r.representative for r in reps if r.representative_id in wrote)]


def dialogue_notify(dialogue: Dialogue, message: InboxMessage) -> int:
    """One outbox row per recipient and channel for one message from the clinic; its key makes it once."""
    outgoing: list[Outgoing] = []
    office = dialogue.organisation
    for recipient in recipients(dialogue):
        if not (recipient.active_on_portal and recipient.digital_contact_consent):
            continue
        text = texts.notification_text(
            recipient.first_name,
            office.name,
            to_person=recipient.pk == dialogue.citizen_id,
            patient_name=dialogue.citizen.first_name,
        )
        outgoing += [
            Outgoing(
                dedupe_key=f"inbox-message:{message.pk}:citizen:{recipient.pk}:{channel}",
                recipient_key=f"citizen:{recipient.pk}",
                recipient_name=recipient.full_name,
                channel=channel,
                address=address,
                event=Notification.Event.MESSAGE,
                text=text,
                subject=texts.NOTIFICATION_SUBJECT,
                owner_her_id=office.her_id,
                sender_name="Helsenorge",
            )
            for channel, address in portal_channels(**recipient.contact_choices())
        ]
    return len(notifications_enqueue(outgoing))
