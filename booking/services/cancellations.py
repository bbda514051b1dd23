"""Cancelling: by the citizen (Avbestilt, before the timebook's deadline) and by the clinic (Avlyst)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.models import Citizen

from .. import texts
from ..errors import BookingError
from ..models import Appointment
from .transitions import CANCEL, CANCEL_BY_CLINIC, appointment_transition


def cancellation_deadline(appointment: Appointment) -> dt.datetime:
    return appointment.slot.start - dt.timedelta(hours=appointment.slot.timebook.cancellation_deadline_hours)


def appointment_can_cancel(appointment: Appointment, now: dt.datetime | None = None) -> bool:
    """Whether «Avbestill time» is offered and allowed: active, not started, and before the deadline."""
    now = now or timezone.now()
    return appointment.is_active and now <= cancellation_deadline(appointment) and appointment.slot.start > now


def _why_not_cancellable(appointment: Appointment) -> BookingError:
    if not appointment.is_active:
        return BookingError(_("Timen er allerede avbestilt eller ikke lenger aktiv."))
    return BookingError(
        _(
            "Timen kan ikke avbestilles på nett senere enn %(hours)d timer før. "
            "Ta kontakt med %(organisation)s for å avbestille."
        )
        % {
            "hours": appointment.slot.timebook.cancellation_deadline_hours,
            "organisation": appointment.slot.timebook.service.organisation.name,
        }
    )


def appointment_cancel(*, appointment: Appointment, by: Citizen) -> Appointment:
    """The citizen cancels (Avbestill time) before the timebook's deadline: the slot is free again and a
    receipt lands in Innboks. Conditional update: a double click cancels once."""
    if not appointment_can_cancel(appointment):
        raise _why_not_cancellable(appointment)
    on_behalf = by.full_name if by.pk != appointment.citizen_id else None
    changed = appointment_transition(
        appointment.pk, CANCEL, lambda a: texts.receipt_body(a, cancelled_by_name=on_behalf)
    )
    if changed is None:
        raise BookingError(_("Timen er allerede avbestilt eller ikke lenger aktiv."))
    return changed


def appointment_cancel_by_clinic(*, appointment: Appointment, note: str = "") -> bool:
    """The clinic cancels (Avlyst): the slot is withdrawn (the clinic cannot keep it) and the person told."""
    return appointment_transition(appointment.pk, CANCEL_BY_CLINIC, lambda a: texts.cancelled_body(a, note)) is not None
