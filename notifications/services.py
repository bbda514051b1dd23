"""Writing notifications: the outbox rows of a change, in its transaction, and staff's retry of failed ones.

Each row's delivery is queued after commit (``notification_deliver_task.delay_on_commit``); a broker that is down
then leaves the row pending for the periodic sweep. Delivering a row (the claim, the channel, the outcome) is
``notifications.delivery``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification
from .tasks import notification_deliver_task


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


def portal_channels(*, phone: str, email: str, sms: bool, mail: bool, push: bool) -> list[tuple[str, str]]:
    """The (channel, address) pairs Helsenorge notifies a citizen on: those they chose (``sms``, ``mail``,
    ``push``) and can be reached on (plain values: this app knows nothing of citizens)."""
    wanted = [
        (Notification.Channel.SMS, phone, sms),
        (Notification.Channel.EMAIL, email, mail),
        (Notification.Channel.PUSH, "app", push),
    ]
    return [(channel, address) for channel, address, on in wanted if on and address]


def notifications_enqueue(outgoing: list[Outgoing]) -> list[Notification]:
    """Write outbox rows in the caller's transaction and queue their delivery after commit.

    A dedupe key that exists already is skipped, so calling this twice for the same event writes
    nothing the second time. Must be called inside the transaction of the change that causes it.
    """
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
        notification_deliver_task.delay_on_commit(notification.pk)
    return created


def notifications_retry(*, ids: list[int]) -> int:
    """Staff or support retry failed rows, and uncertain ones they have checked: back to pending with a fresh
    count of attempts (the same message_id, so a receiver that has it can still drop it)."""
    with transaction.atomic():
        retryable = (Notification.State.FAILED, Notification.State.UNCERTAIN)
        count = Notification.objects.filter(pk__in=ids, state__in=retryable).update(
            state=Notification.State.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
        for pk in ids:
            notification_deliver_task.delay_on_commit(pk)
    return count
