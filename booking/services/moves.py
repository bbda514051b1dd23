"""Moving an appointment (source 004, «Endring i time / flyttet time»): the clinic puts the patient on another
free slot of the same timebook; a new appointment replaces the old one, linked to it, and the patient is
told in Innboks and through their channels."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from inbox.models import InboxMessage
from resourcebooks.freshness import slots_changed
from resourcebooks.models import Slot

from .. import texts
from ..errors import BookingError
from ..models import Appointment
from ..notify import appointment_notify
from .transitions import APPOINTMENT_RELATED, appointment_message, appointment_record


def appointment_move(*, appointment: Appointment, to_slot: Slot, note: str = "") -> Appointment:
    """Move an active appointment to ``to_slot`` (free, in the future, in the same timebook).

    In one transaction: the new slot is claimed with a conditional update (free → booked), the old
    appointment goes active → moved with a conditional update (a second move of the same appointment changes
    nothing and is refused), its slot is free again, and the new appointment (assigned, same person, reason
    and hiddenness) replaces it. Returns the new appointment.
    """
    if to_slot.timebook_id != appointment.slot.timebook_id:
        raise BookingError("Timen kan bare flyttes til en annen time i samme timebok.")
    now = timezone.now()
    with transaction.atomic():
        claimed = Slot.objects.filter(pk=to_slot.pk, state=Slot.State.FREE, start__gt=now).update(
            state=Slot.State.BOOKED
        )
        if claimed != 1:
            raise BookingError("Timen du vil flytte til er ikke ledig.")
        slots_changed(to_slot.timebook_id)  # both slots are in this timebook
        moved = Appointment.objects.filter(pk=appointment.pk, status__in=Appointment.ACTIVE).update(
            status=Appointment.Status.MOVED, cancelled_at=now
        )
        if moved != 1:
            raise BookingError("Timeavtalen er ikke lenger aktiv og kan ikke flyttes.")
        Slot.objects.filter(pk=appointment.slot_id, state__in=[Slot.State.HELD, Slot.State.BOOKED]).update(
            state=Slot.State.FREE
        )
        new = Appointment.objects.create(
            slot=to_slot,
            citizen_id=appointment.citizen_id,
            booked_by_id=appointment.booked_by_id,
            reason=appointment.reason,
            status=Appointment.Status.ASSIGNED,
            hidden=appointment.hidden,
            behandler_id=appointment.behandler_id,
            replaces=appointment,
            created_at=now,
            decided_at=now,
        )
        old = Appointment.objects.select_related(*APPOINTMENT_RELATED).get(pk=appointment.pk)
        new = Appointment.objects.select_related(*APPOINTMENT_RELATED).get(pk=new.pk)
        appointment_record(old, "update", str(Appointment.Status.MOVED.label))
        appointment_record(new, "create", f"flyttet fra timeavtale {old.pk}")
        appointment_message(new, InboxMessage.Kind.MOVED, texts.SUBJECT_MOVED, texts.moved_body(old, new, note), now)
        appointment_notify(new, "changed")
    return new
