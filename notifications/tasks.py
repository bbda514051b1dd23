"""Celery adapters: take ids, call the delivery. Idempotent: a redelivered task sends nothing twice."""

from __future__ import annotations

from celery import shared_task

from core.tasks import TransactionAwareTask

from .delivery import notification_deliver, notifications_due, notifications_stale_resolve


@shared_task(base=TransactionAwareTask, acks_late=True, ignore_result=True)
def notification_deliver_task(notification_id: int) -> str:
    """Queued after commit for each outbox row (``notifications.services``)."""
    return notification_deliver(notification_id=notification_id)


@shared_task(ignore_result=True)
def notifications_sweep_task() -> int:
    """Periodic: deliver what is pending (a broker down at commit time, a retry that is due, an SMS or push a
    dead worker held), and mark a dead worker's e-mail uncertain."""
    notifications_stale_resolve()
    due = notifications_due()
    for pk in due:
        notification_deliver(notification_id=pk)
    return len(due)
