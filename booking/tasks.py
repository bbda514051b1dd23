"""Celery adapters of the booking app: take ids, call a service. Queued only after commit."""

from __future__ import annotations

from celery import shared_task

from .services import appointment_confirm


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=5)
def appointment_confirm_task(self, appointment_id: int) -> bool:  # type: ignore[no-untyped-def]
    """The EPJ's automatic confirmation of a reservation. Idempotent: a redelivery changes nothing."""
    try:
        return appointment_confirm(appointment_id=appointment_id)
    except Exception as exc:  # a database hiccup: try again later, the appointment waits as requested
        raise self.retry(exc=exc) from exc


@shared_task(ignore_result=True)
def reminders_task() -> int:
    """Periodic (beat): write the 48–24 h reminders that are due."""
    from .services import reminders_send

    return reminders_send()


@shared_task(ignore_result=True)
def campaigns_tick_task() -> int:
    """Periodic (beat): send the next batch of invitation campaigns whose pause is over."""
    from .services import campaigns_tick

    return campaigns_tick()


@shared_task(ignore_result=True)
def confirmations_sweep_task() -> int:
    """Periodic (beat): confirm automatic reservations whose task was lost while the broker was down."""
    from .services import confirmations_sweep

    return confirmations_sweep()


@shared_task(ignore_result=True)
def holds_sweep_task() -> int:
    """Periodic (beat): free the slots whose hold has run out."""
    from .services.holds import holds_sweep

    return holds_sweep()


@shared_task(ignore_result=True)
def video_sweep_task() -> int:
    """Periodic (beat): delete the signals of video rooms that have closed."""
    from .services.video import video_signals_sweep

    return video_signals_sweep()
