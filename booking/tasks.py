"""Celery adapters of the booking app: take ids, call a service. Queued only after commit.

The EPJ's automatic confirmation, ``appointment_confirm_task``, lives beside its service in
``services/decisions.py`` (a request queues it after commit, and this module imports the services).
"""

from __future__ import annotations

from celery import shared_task

from .services import campaigns_tick, confirmations_sweep, reminders_send
from .services.decisions import appointment_confirm_task
from .services.holds import holds_sweep

__all__ = [
    "appointment_confirm_task",
    "campaigns_tick_task",
    "confirmations_sweep_task",
    "holds_sweep_task",
    "reminders_task",
]


@shared_task(ignore_result=True)
def reminders_task() -> int:
    """Periodic (beat): write the 48–24 h reminders that are due."""
    return reminders_send()


@shared_task(ignore_result=True)
def campaigns_tick_task() -> int:
    """Periodic (beat): send the next batch of invitation campaigns whose pause is over."""
    return campaigns_tick()


@shared_task(ignore_result=True)
def confirmations_sweep_task() -> int:
    """Periodic (beat): confirm automatic reservations whose task was lost while the broker was down."""
    return confirmations_sweep()


@shared_task(ignore_result=True)
def holds_sweep_task() -> int:
    """Periodic (beat): free the slots whose hold has run out."""
    return holds_sweep()
