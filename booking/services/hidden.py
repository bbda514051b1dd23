"""«Skjult time» (source 004): an appointment of a 12–16-year-old that the parents do not see."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

import audit
from core.limits import HIDDEN_AGE_RANGE

from ..models import Appointment


def hidden_refusal(appointment: Appointment) -> str | None:
    """Why «Skjult time» cannot be set for this appointment, or None: only for a patient aged 12–16 on the
    appointment's day (source 004: parents see their children's appointments until 16)."""
    day = timezone.localtime(appointment.slot.start).date()
    age = appointment.citizen.age_on(day)
    low, high = HIDDEN_AGE_RANGE
    if low <= age <= high:
        return None
    return (
        f"Skjult time kan bare brukes for pasienter som er {low}–{high} år på timens dag. "
        f"{appointment.citizen.full_name} er {age} år {day:%d.%m.%Y}."
    )


def appointment_hidden_set(*, appointment: Appointment, hidden: bool) -> None:
    """Staff switch «Skjult time» on or off: one conditional UPDATE of that field alone (a status change at the
    same moment is kept), recorded in the audit trail. Locks nothing beyond the row it updates."""
    if hidden and (refusal := hidden_refusal(appointment)):
        raise ValidationError(refusal)
    with transaction.atomic():
        if Appointment.objects.filter(pk=appointment.pk).exclude(hidden=hidden).update(hidden=hidden) != 1:
            return
        her_id = appointment.slot.timebook.service.organisation.her_id
        summary = f"Skjult time {'på' if hidden else 'av'}"
        audit.record("update", "appointment", appointment.pk, organisation_her_id=her_id, summary=summary)
