"""Writing and delivering notifications. Each service owns its transaction and says what it locks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .channels import CHANNELS
from .models import Notification

MAX_ATTEMPTS = 5
# A row claimed longer ago than this is taken to belong to a worker that died, and is claimed again.
STALE_CLAIM = dt.timedelta(minutes=5)


def backoff(attempts: int) -> dt.timedelta:
    """10 s, 40 s, 90 s, 160 s … between attempts."""
    return dt.timedelta(seconds=10 * attempts * attempts)


@dataclass(frozen=True)
class Outgoing:
    """One message to write: plain values only."""

    dedupe_key: str
    recipient_key: str
    recipient_name: str
    channel: str
    address: str
    event: str
    text: str
    subject: str = ""
    owner_her_id: int | None = None
    sender_name: str = ""


def notifications_enqueue(outgoing: list[Outgoing]) -> list[Notification]:
    """Write outbox rows in the caller's transaction and queue their delivery after commit.

    A dedupe key that exists already is skipped, so calling this twice for the same event writes
    nothing the second time. Must be called inside the transaction of the change that causes it.
    """
    from .tasks import notification_deliver_task

    created = []
    for item in outgoing:
        try:
            with transaction.atomic():  # a savepoint: a duplicate key must not spoil the caller's transaction
                notification = Notification.objects.create(
                    dedupe_key=item.dedupe_key,
                    recipient_key=item.recipient_key,
                    recipient_name=item.recipient_name,
                    channel=item.channel,
                    address=item.address,
                    event=item.event,
                    subject=item.subject,
                    text=item.text,
                    owner_her_id=item.owner_her_id,
                    sender_name=item.sender_name,
                )
        except IntegrityError:
            continue
        created.append(notification)
        transaction.on_commit(_queue(notification_deliver_task, notification.pk))
    return created


def _queue(task, notification_id: int):  # type: ignore[no-untyped-def]
    def send() -> None:
        try:
            task.delay(notification_id)
        except Exception:  # the broker is down: the row stays pending and the sweep delivers it later
            return

    return send


def notification_claim(notification_id: int, now: dt.datetime | None = None) -> bool:
    """pending → sending in one conditional UPDATE: of two workers, exactly one gets the row."""
    now = now or timezone.now()
    return (
        Notification.objects.filter(pk=notification_id)
        .filter(
            Q(state=Notification.State.PENDING, next_attempt_at__lte=now)
            | Q(state=Notification.State.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .update(state=Notification.State.SENDING, claimed_at=now)
        == 1
    )


def notification_deliver(*, notification_id: int) -> str:
    """Claim the row, send it through its channel (outside any transaction), and record the outcome.

    Returns the resulting state. A row another worker holds, or one already sent, is left alone.
    """
    if not notification_claim(notification_id):
        return "skipped"
    notification = Notification.objects.get(pk=notification_id)
    try:
        CHANNELS[notification.channel].send(notification)
    except Exception as error:  # a ChannelError, or a channel that crashed: record it and try again later
        attempts = notification.attempts + 1
        failed = attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=notification.pk, state=Notification.State.SENDING).update(
            state=Notification.State.FAILED if failed else Notification.State.PENDING,
            attempts=attempts,
            last_error=(str(error) or type(error).__name__)[:2000],
            next_attempt_at=timezone.now() + backoff(attempts),
            claimed_at=None,
        )
        return Notification.State.FAILED if failed else Notification.State.PENDING
    Notification.objects.filter(pk=notification.pk, state=Notification.State.SENDING).update(
        state=Notification.State.SENT, attempts=notification.attempts + 1, sent_at=timezone.now(), last_error=""
    )
    return Notification.State.SENT


def notifications_due(limit: int = 500) -> list[int]:
    """Rows the sweep should try now: pending and due, or claimed by a worker that seems to have died."""
    now = timezone.now()
    return list(
        Notification.objects.filter(
            Q(state=Notification.State.PENDING, next_attempt_at__lte=now)
            | Q(state=Notification.State.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def notifications_retry(*, ids: list[int]) -> int:
    """Staff or support retry failed rows: back to pending with a fresh count of attempts."""
    from .tasks import notification_deliver_task

    with transaction.atomic():
        count = Notification.objects.filter(pk__in=ids, state=Notification.State.FAILED).update(
            state=Notification.State.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
        for pk in ids:
            transaction.on_commit(_queue(notification_deliver_task, pk))
    return count
