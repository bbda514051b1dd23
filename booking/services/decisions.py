"""The clinic's answers: the EPJ confirms or staff reject a request, and staff put a patient on a time."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from citizens.models import Citizen
from core.tasks import TransactionAwareTask
from inbox.models import InboxMessage
from resourcebooks.freshness import slots_changed
from resourcebooks.models import Slot, Timebook, TimeType

from .. import texts
from ..errors import BookingError
from ..models import Appointment
from ..notify import appointment_notify
from .reasons import reason_clean
from .transitions import (
    APPOINTMENT_RELATED,
    CONFIRM,
    REJECT,
    appointment_message,
    appointment_record,
    appointment_transition,
)


def appointment_confirm(*, appointment_id: int) -> bool:
    """The EPJ confirms a requested appointment: requested → assigned, slot held → booked, and a message
    «Du har fått en ny timeavtale» in the person's Innboks. A redelivered task changes nothing (False)."""
    return appointment_transition(appointment_id, CONFIRM, texts.assigned_body) is not None


# Beside its service, not in booking/tasks.py: a request (``requests``) queues it, and booking.tasks imports the
# services. The name is the one it had there, which queued messages and the workers know it by.
@shared_task(
    base=TransactionAwareTask,
    name="booking.tasks.appointment_confirm_task",
    bind=True,
    acks_late=True,
    max_retries=5,
    default_retry_delay=5,
)
def appointment_confirm_task(self, appointment_id: int) -> bool:  # type: ignore[no-untyped-def]
    """The EPJ's automatic confirmation of a reservation, queued after commit. Idempotent: a redelivery changes
    nothing."""
    try:
        return appointment_confirm(appointment_id=appointment_id)
    except Exception as exc:  # a database hiccup: try again later, the appointment waits as requested
        raise self.retry(exc=exc) from exc


def appointment_reject(*, appointment: Appointment, note: str = "") -> bool:
    """Staff reject a requested appointment: the slot is free again and the person is told in Innboks."""
    return appointment_transition(appointment.pk, REJECT, lambda a: texts.rejected_body(a, note)) is not None


def confirmations_sweep(*, older_than: dt.timedelta = dt.timedelta(0)) -> int:
    """Confirm requested appointments of automatic timebooks whose task never ran (a broker that was down).

    No grace period is needed: ``appointment_confirm`` is a conditional update, so a sweep that races a
    task still in flight confirms the appointment once, and the loser changes nothing.
    """
    now = timezone.now()
    waiting = Appointment.objects.filter(
        status=Appointment.Status.REQUESTED,
        slot__timebook__confirmation=Timebook.Confirmation.AUTOMATIC,
        created_at__lt=now - older_than,
    ).select_related("slot__timebook__service__organisation", "citizen")
    confirmed = 0
    for appointment in list(waiting):
        if appointment.slot.start <= now:
            # The time passed while the confirmation waited: never tell anyone «du har fått time» for it.
            appointment_reject(appointment=appointment, note=texts.PASSED_BEFORE_CONFIRMATION)
        else:
            confirmed += appointment_confirm(appointment_id=appointment.pk)
    return confirmed


def appointment_book_by_clinic(
    *, person: Citizen, slot: Slot, reason: str, hidden: bool = False, time_type: TimeType | None = None
) -> Appointment:
    """The clinic sets a patient up on a time (source 004, «Sette opp pasient på time»): assigned at once.

    ``hidden`` is «Skjult time»: a 12–16-year-old's appointment the parents do not see. ``time_type``, when
    given, is the type staff chose for the time (one of the timebook's); it is set on the slot in the same
    conditional update that claims it, as a citizen's request claims it.
    """
    reason = reason_clean(reason)
    claim: dict[str, object] = {"state": Slot.State.BOOKED}
    if time_type is not None:
        if not slot.timebook.time_types.filter(pk=time_type.pk).exists():
            raise BookingError("Timetypen hører ikke til denne timeboken.", field="time_type")
        claim["time_type"] = time_type
    now = timezone.now()
    with transaction.atomic():
        if Slot.objects.filter(pk=slot.pk, state=Slot.State.FREE).update(**claim) != 1:
            raise BookingError("Timen er ikke ledig.")
        slots_changed(slot.timebook_id)
        appointment = Appointment.objects.create(
            slot=slot,
            citizen=person,
            booked_by=person,
            reason=reason,
            status=Appointment.Status.ASSIGNED,
            hidden=hidden,
            behandler=slot.timebook.practitioner,  # the office books with the fastlege
            created_at=now,
            decided_at=now,
        )
        appointment = Appointment.objects.select_related(*APPOINTMENT_RELATED).get(pk=appointment.pk)
        appointment_record(appointment, "create", appointment.status)
        appointment_message(
            appointment,
            InboxMessage.Kind.NEW_APPOINTMENT,
            texts.SUBJECT_NEW_APPOINTMENT,
            texts.assigned_body(appointment),
            now,
        )
        appointment_notify(appointment, "confirmed")
    return appointment
