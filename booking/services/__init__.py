"""Writes of booking, one module per sub-domain; every service owns its transaction and says what it locks.

- ``requests``: «Send bestilling» (check, claim, replay of the idempotency key)
- ``decisions``: the EPJ's confirmation (and its task), staff rejecting, staff putting a patient on a time, the sweep
- ``reasons``: «Hva gjelder det?», the one rule for an appointment's reason
- ``hidden``: staff set «Skjult time» (12–16-year-olds, hidden from the parents)
- ``moves``: the clinic moves an appointment to another slot (a new appointment replaces the old)
- ``cancellations``: Avbestilt (citizen) and Avlyst (clinic), and the one cancellation-deadline rule
- ``transitions``: the one helper every status change goes through
- ``reminders``, ``campaigns``, ``time_requests``
"""

from ..errors import BookingError, SlotTaken
from .campaigns import campaign_create, campaign_default_text, campaign_pause, campaign_resume, campaigns_tick
from .cancellations import (
    appointment_can_cancel,
    appointment_cancel,
    appointment_cancel_by_clinic,
    cancellation_deadline,
)
from .decisions import appointment_book_by_clinic, appointment_confirm, appointment_reject, confirmations_sweep
from .hidden import appointment_hidden_set, hidden_refusal
from .moves import appointment_move
from .reasons import reason_clean
from .reminders import REMINDER_WINDOW, reminders_send
from .requests import RequestOutcome, appointment_request, appointment_request_check
from .time_requests import time_request_clean, time_request_send

__all__ = [
    "REMINDER_WINDOW",
    "BookingError",
    "RequestOutcome",
    "SlotTaken",
    "appointment_book_by_clinic",
    "appointment_can_cancel",
    "appointment_cancel",
    "appointment_cancel_by_clinic",
    "appointment_confirm",
    "appointment_hidden_set",
    "appointment_move",
    "appointment_reject",
    "appointment_request",
    "appointment_request_check",
    "campaign_create",
    "campaign_default_text",
    "campaign_pause",
    "campaign_resume",
    "campaigns_tick",
    "cancellation_deadline",
    "confirmations_sweep",
    "hidden_refusal",
    "reason_clean",
    "reminders_send",
    "time_request_clean",
    "time_request_send",
]
