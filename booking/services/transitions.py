"""The one way an appointment changes status: a conditional update, the slot, the Innboks message, the
notification and the audit trail, in one transaction.

Every transition (confirm, reject, cancel, cancel by the clinic, move) is a conditional ``UPDATE … WHERE
status IN (…)``: of two concurrent calls exactly one changes the row, and the other changes nothing and
returns None, so a redelivered task or a double click acts once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

import audit
from inbox.models import InboxMessage
from inbox.services import message_write
from resourcebooks.freshness import slots_changed
from resourcebooks.models import Slot

from .. import texts
from ..models import Appointment
from ..notify import appointment_notify

APPOINTMENT_RELATED = (
    "slot__timebook__service__organisation",
    "slot__location",
    "slot__time_type",
    "citizen",
    "booked_by",
    "behandler",
)


def appointment_record(appointment: Appointment, action: str, summary: str) -> None:
    """The appointment's row in the audit trail, under the organisation that owns its timebook."""
    audit.record(
        action,
        "appointment",
        appointment.pk,
        organisation_her_id=appointment.slot.timebook.service.organisation.her_id,
        summary=summary,
    )


def appointment_message(
    appointment: Appointment, kind: str, subject: str, body: str, now: dt.datetime | None = None
) -> InboxMessage:
    """A message about the appointment in its person's Innboks, from whoever offers the timebook; the
    change it tells of goes into the audit trail with it."""
    message = message_write(
        citizen=appointment.citizen,
        appointment_id=appointment.pk,
        kind=kind,
        sender=texts.appointment_actor(appointment),
        subject=subject,
        body=body,
        sent_at=now,
    )
    appointment_record(appointment, "update", message.get_kind_display())
    return message


@dataclass(frozen=True)
class Transition:
    """From which statuses to which, what happens to the slot, and what the person is told."""

    from_statuses: tuple[str, ...]
    to_status: str
    stamp: str  # the time field set with the status: decided_at or cancelled_at
    slot_to: str
    slot_from: tuple[str, ...] | None  # None: whatever state the slot is in
    message_kind: str
    subject: str
    event: str | None  # the notification event, if the person is notified


CONFIRM = Transition(
    (Appointment.Status.REQUESTED,),
    Appointment.Status.ASSIGNED,
    "decided_at",
    Slot.State.BOOKED,
    (Slot.State.HELD,),
    InboxMessage.Kind.NEW_APPOINTMENT,
    texts.SUBJECT_NEW_APPOINTMENT,
    "confirmed",
)
REJECT = Transition(
    (Appointment.Status.REQUESTED,),
    Appointment.Status.REJECTED,
    "decided_at",
    Slot.State.FREE,
    (Slot.State.HELD,),
    InboxMessage.Kind.REJECTED,
    texts.SUBJECT_REJECTED,
    None,
)
CANCEL = Transition(
    Appointment.ACTIVE,
    Appointment.Status.CANCELLED_BY_CITIZEN,
    "cancelled_at",
    Slot.State.FREE,
    (Slot.State.HELD, Slot.State.BOOKED),
    InboxMessage.Kind.CANCELLATION_RECEIPT,
    texts.SUBJECT_RECEIPT,
    "cancellation_receipt",
)
# The clinic cannot keep a time it cancelled (Avlyst): the slot is withdrawn.
CANCEL_BY_CLINIC = Transition(
    Appointment.ACTIVE,
    Appointment.Status.CANCELLED_BY_CLINIC,
    "cancelled_at",
    Slot.State.WITHDRAWN,
    None,
    InboxMessage.Kind.CANCELLED_BY_CLINIC,
    texts.SUBJECT_CANCELLED,
    "cancelled",
)


def appointment_transition(
    appointment_id: int, transition: Transition, body: Callable[[Appointment], str]
) -> Appointment | None:
    """Apply ``transition`` if the appointment is in one of its from-statuses; returns the changed appointment,
    or None when it was not (someone else got there first). Locks nothing beyond the rows it updates."""
    now = timezone.now()
    with transaction.atomic():
        changed = Appointment.objects.filter(pk=appointment_id, status__in=transition.from_statuses).update(
            status=transition.to_status, **{transition.stamp: now}
        )
        if changed != 1:
            return None
        appointment = Appointment.objects.select_related(*APPOINTMENT_RELATED).get(pk=appointment_id)
        slots = Slot.objects.filter(pk=appointment.slot_id)
        if transition.slot_from is not None:
            slots = slots.filter(state__in=transition.slot_from)
        if slots.update(state=transition.slot_to):
            slots_changed(appointment.slot.timebook_id)
        appointment_message(appointment, transition.message_kind, transition.subject, body(appointment), now)
        if transition.event is not None:
            appointment_notify(appointment, transition.event)
    return appointment
