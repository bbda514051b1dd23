"""Delivering notifications: claim a row, send it through its channel (outside any transaction), record the
outcome; and which rows the periodic sweep tries again.

Exactly once, per channel (README «Exactly once»): a row is claimed with a conditional update that also
records the attempt and hands the worker a claim token; the outcome is recorded only while that token is
still the row's (a fenced claim). A claim older than ``STALE_CLAIM`` belongs to a worker that died: the SMS
gateway and the app feed take the row's ``message_id`` as an idempotency key and drop a repeat, so such a row
is sent again; an e-mail may already be with the mail server, so it becomes *uncertain* for staff to check,
never sent a second time by itself. ``EMAIL_TIMEOUT`` is far shorter than ``STALE_CLAIM``, so a live worker
always finishes (or gives up) before its claim could be taken over.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.db.models import F, Q
from django.utils import timezone

from .channels import CHANNELS, ChannelUncertain
from .models import Notification

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A row claimed longer ago than this is taken to belong to a worker that died.
STALE_CLAIM = dt.timedelta(minutes=5)
# Channels whose receiver drops a repeat of the same message_id: a dead worker's row may be sent again.
REDELIVERABLE = (Notification.Channel.SMS, Notification.Channel.PUSH)


def backoff(attempts: int) -> dt.timedelta:
    """10 s, 40 s, 90 s, 160 s … between attempts."""
    return dt.timedelta(seconds=10 * attempts * attempts)


def _claimable(now: dt.datetime) -> Q:
    """Pending and due; or claimed by a worker that died, on a channel whose receiver drops a repeat."""
    stale = Q(state=Notification.State.SENDING, claimed_at__lt=now - STALE_CLAIM, channel__in=REDELIVERABLE)
    return Q(state=Notification.State.PENDING, next_attempt_at__lte=now) | stale


def notification_claim(notification_id: int, now: dt.datetime | None = None, *, token: uuid.UUID | None = None) -> bool:
    """pending → sending in one conditional UPDATE that also counts the attempt, before anything is sent: of two
    workers exactly one gets the row, and the outcome will be recorded only under its ``token``."""
    now = now or timezone.now()
    return (
        Notification.objects.filter(_claimable(now), pk=notification_id).update(
            state=Notification.State.SENDING,
            claimed_at=now,
            claim_token=token or uuid.uuid4(),
            attempts=F("attempts") + 1,
        )
        == 1
    )


def _record(notification: Notification, token: uuid.UUID, **outcome: object) -> bool:
    """Record the outcome of an attempt, only if the claim is still ours (fenced by the token)."""
    done = Notification.objects.filter(pk=notification.pk, state=Notification.State.SENDING, claim_token=token).update(
        claimed_at=None, claim_token=None, **outcome
    )
    if not done:
        log.warning("Utfallet av varsel %s ble ikke lagret: kravet var tatt over av en annen.", notification.pk)
    return done == 1


def notification_deliver(*, notification_id: int) -> str:
    """Claim the row, send it through its channel (outside any transaction), and record the outcome.

    Returns the resulting state. A row another worker holds, or one already sent, is left alone.
    """
    token = uuid.uuid4()
    if not notification_claim(notification_id, token=token):
        return "skipped"
    notification = Notification.objects.get(pk=notification_id)
    try:
        CHANNELS[notification.channel].send(notification)
    except ChannelUncertain as error:
        _record(notification, token, state=Notification.State.UNCERTAIN, last_error=str(error)[:2000])
        return Notification.State.UNCERTAIN
    except Exception as error:  # a ChannelError, or a channel that crashed: record it and try again later
        failed = notification.attempts >= MAX_ATTEMPTS
        _record(
            notification,
            token,
            state=Notification.State.FAILED if failed else Notification.State.PENDING,
            last_error=(str(error) or type(error).__name__)[:2000],
            next_attempt_at=timezone.now() + backoff(notification.attempts),
        )
        return Notification.State.FAILED if failed else Notification.State.PENDING
    _record(notification, token, state=Notification.State.SENT, sent_at=timezone.now(), last_error="")
    return Notification.State.SENT


def notifications_stale_resolve(now: dt.datetime | None = None) -> int:
    """E-mail rows whose worker died mid-send become *uncertain*: the mail server may have them already."""
    now = now or timezone.now()
    return (
        Notification.objects.filter(state=Notification.State.SENDING, claimed_at__lt=now - STALE_CLAIM)
        .exclude(channel__in=REDELIVERABLE)
        .update(
            state=Notification.State.UNCERTAIN,
            claimed_at=None,
            claim_token=None,
            last_error="Arbeideren stoppet mens e-posten ble sendt; den kan ha kommet fram. Sjekk og send på nytt.",
        )
    )


def notifications_due(limit: int = 500) -> list[int]:
    """Rows the sweep should try now: pending and due, or claimed by a worker that seems to have died."""
    return list(
        Notification.objects.filter(_claimable(timezone.now()))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
