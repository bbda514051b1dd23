"""The outbox: written once per dedupe key, claimed with a conditional update, sent once, retried with backoff
until MAX_ATTEMPTS, and a row whose worker died is claimed again by the sweep."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import asdict

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications.channels import CHANNELS
from notifications.delivery import (
    MAX_ATTEMPTS,
    STALE_CLAIM,
    backoff,
    notification_claim,
    notification_deliver,
    notifications_due,
)
from notifications.models import Notification
from notifications.services import Outgoing, notifications_enqueue
from notifications.tasks import notification_deliver_task, notifications_sweep_task
from tests.factories import NotificationFactory
from tests.notifications.support import in_threads

pytestmark = pytest.mark.django_db

SMS = Notification.Channel.SMS
EMAIL = Notification.Channel.EMAIL
PUSH = Notification.Channel.PUSH


def outgoing(key: str = "appointment:1:confirmed:citizen:1", channel: str = SMS, **fields) -> Outgoing:
    address = {SMS: "+4741234567", EMAIL: "kari@example.test", PUSH: "app"}[channel]
    values = {
        "dedupe_key": f"{key}:{channel}",
        "recipient_key": "citizen:1",
        "recipient_name": "Kari Nordmann",
        "channel": channel,
        "address": address,
        "event": Notification.Event.CONFIRMED,
        "text": "Kari, du har fått time til vaksine hos Influensavaksine.",
        "subject": "Du har fått en ny timeavtale",
        "owner_her_id": 8100001,
        "sender_name": "Helsenorge",
    } | fields
    return Outgoing(**values)


def pending(*items: Outgoing) -> list[Notification]:
    """Rows written as a service writes them; in a test the delivery queued on commit never runs."""
    return notifications_enqueue(list(items) or [outgoing()])


def written(*items: Outgoing) -> list[Notification]:
    """Rows only, with no delivery queued (outside a transaction ``on_commit`` would deliver at once)."""
    return [NotificationFactory(**asdict(item)) for item in items]


def fresh(row: Notification) -> Notification:
    return Notification.objects.get(pk=row.pk)


def make_due(row: Notification) -> None:
    """Time passes: the backoff is over."""
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


# --- Written once ------------------------------------------------------------------------------------


def test_enqueue_writes_a_pending_row_per_message():
    written = pending(outgoing(channel=SMS), outgoing(channel=PUSH))

    assert [n.channel for n in written] == [SMS, PUSH]
    for row in written:
        row = fresh(row)
        assert row.state == Notification.State.PENDING
        assert row.attempts == 0
        assert row.sent_at is None
        assert row.next_attempt_at <= timezone.now()


def test_enqueueing_the_same_dedupe_key_again_writes_nothing_and_keeps_the_callers_transaction_usable():
    pending(outgoing())

    with transaction.atomic():
        assert notifications_enqueue([outgoing(), outgoing(text="Another text, same event")]) == []
        # The duplicate was swallowed in a savepoint: the caller's transaction can go on writing.
        assert len(notifications_enqueue([outgoing(channel=PUSH)])) == 1

    assert Notification.objects.filter(channel=SMS).count() == 1
    assert fresh(Notification.objects.get(channel=SMS)).text.startswith("Kari, du har fått time")
    assert Notification.objects.count() == 2


def test_rows_of_a_rolled_back_change_are_gone_and_nothing_is_sent(channel_log, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        pending(outgoing())
        transaction.set_rollback(True)

    assert not Notification.objects.exists()
    assert channel_log.calls == []


def test_rows_are_delivered_once_the_change_commits(channel_log, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            (row,) = pending(outgoing())
        assert fresh(row).state == Notification.State.PENDING  # not before the commit

    assert len(callbacks) == 1
    row = fresh(row)
    assert row.state == Notification.State.SENT
    assert row.attempts == 1
    assert row.sent_at is not None
    assert channel_log.count(row.pk) == 1


# --- Sent once -----------------------------------------------------------------------------------------


def test_delivering_the_same_row_twice_in_a_row_sends_once(channel_log):
    (row,) = pending(outgoing())

    assert notification_deliver(notification_id=row.pk) == Notification.State.SENT
    sent_at = fresh(row).sent_at
    assert notification_deliver(notification_id=row.pk) == "skipped"

    assert channel_log.count(row.pk) == 1
    row = fresh(row)
    assert (row.state, row.attempts, row.sent_at) == (Notification.State.SENT, 1, sent_at)


def test_a_redelivered_task_sends_nothing_twice(channel_log):
    (row,) = pending(outgoing())

    notification_deliver_task.apply(args=[row.pk])
    notification_deliver_task.apply(args=[row.pk])

    assert channel_log.count(row.pk) == 1


def test_an_email_delivered_twice_arrives_once():
    (row,) = pending(outgoing(channel=EMAIL))

    notification_deliver(notification_id=row.pk)
    notification_deliver(notification_id=row.pk)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kari@example.test"]
    assert message.subject == "Du har fått en ny timeavtale"
    assert message.body == "Kari, du har fått time til vaksine hos Influensavaksine."


def test_of_two_claims_at_the_same_moment_exactly_one_wins():
    (row,) = pending(outgoing())
    now = timezone.now()

    assert notification_claim(row.pk, now) is True
    assert notification_claim(row.pk, now) is False
    assert fresh(row).state == Notification.State.SENDING


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_the_same_rows_at_once_send_each_once(channel_log):
    rows = written(*(outgoing(key=f"appointment:{i}:confirmed:citizen:1") for i in range(5)))
    ids = [r.pk for r in rows]

    results = in_threads(lambda: [notification_deliver(notification_id=pk) for pk in ids], count=3)

    for result in results:
        assert isinstance(result, list), result
    for position, pk in enumerate(ids):
        outcomes = sorted(result[position] for result in results)
        assert outcomes == ["sent", "skipped", "skipped"], (pk, outcomes)
        assert channel_log.count(pk) == 1
    assert set(Notification.objects.values_list("state", flat=True)) == {Notification.State.SENT}


# --- A worker that died ------------------------------------------------------------------------------


def test_a_row_stuck_in_sending_longer_than_stale_claim_is_claimed_again_by_the_sweep(channel_log):
    (row,) = pending(outgoing())
    Notification.objects.filter(pk=row.pk).update(
        state=Notification.State.SENDING, claimed_at=timezone.now() - STALE_CLAIM - dt.timedelta(seconds=5)
    )

    assert notifications_due() == [row.pk]
    assert notifications_sweep_task.apply().get() == 1

    assert fresh(row).state == Notification.State.SENT
    assert channel_log.count(row.pk) == 1


def test_a_row_a_worker_claimed_recently_is_left_to_that_worker(channel_log):
    (row,) = pending(outgoing())
    Notification.objects.filter(pk=row.pk).update(
        state=Notification.State.SENDING, claimed_at=timezone.now() - STALE_CLAIM + dt.timedelta(seconds=30)
    )

    assert notifications_due() == []
    assert notification_deliver(notification_id=row.pk) == "skipped"
    assert channel_log.calls == []
    assert fresh(row).state == Notification.State.SENDING


def test_the_sweep_delivers_what_is_pending_and_leaves_sent_rows_alone(channel_log):
    first, second = pending(outgoing(channel=SMS), outgoing(channel=PUSH))
    notification_deliver(notification_id=first.pk)

    assert notifications_due() == [second.pk]
    notifications_sweep_task.apply()

    assert channel_log.count(first.pk) == 1
    assert channel_log.count(second.pk) == 1
    assert fresh(second).state == Notification.State.SENT


# --- Failures ------------------------------------------------------------------------------------------


def test_a_failing_channel_records_the_error_and_backs_off(settings, channel_log):
    settings.NOTIFICATION_SIMULATED_FAILURES = ("sms",)
    sms, push = pending(outgoing(channel=SMS), outgoing(channel=PUSH))
    before = timezone.now()

    assert notification_deliver(notification_id=sms.pk) == Notification.State.PENDING
    assert notification_deliver(notification_id=push.pk) == Notification.State.SENT

    sms = fresh(sms)
    assert sms.state == Notification.State.PENDING
    assert sms.attempts == 1
    assert sms.last_error == "Simulert feil i kanalen sms"
    assert sms.claimed_at is None
    assert sms.sent_at is None
    assert before + backoff(1) <= sms.next_attempt_at <= timezone.now() + backoff(1)
    # Not due again until the backoff is over: neither the sweep nor a redelivered task sends it.
    assert notifications_due() == []
    assert notification_deliver(notification_id=sms.pk) == "skipped"
    assert channel_log.count(sms.pk) == 1


def test_the_backoff_grows_with_each_attempt():
    waits = [backoff(n) for n in range(1, MAX_ATTEMPTS + 1)]
    assert waits[0] > dt.timedelta(0)
    assert waits == sorted(set(waits))


def test_a_failed_attempt_is_retried_once_due_and_then_sent(settings, channel_log):
    settings.NOTIFICATION_SIMULATED_FAILURES = ("sms",)
    (row,) = pending(outgoing())
    notification_deliver(notification_id=row.pk)

    settings.NOTIFICATION_SIMULATED_FAILURES = ()
    make_due(row)
    notifications_sweep_task.apply()

    row = fresh(row)
    assert row.state == Notification.State.SENT
    assert row.attempts == 2
    assert row.last_error == ""
    assert channel_log.count(row.pk) == 2


def test_after_max_attempts_the_row_is_failed_and_no_longer_swept(settings, channel_log):
    settings.NOTIFICATION_SIMULATED_FAILURES = ("sms",)
    (row,) = pending(outgoing())

    outcomes = []
    for _ in range(MAX_ATTEMPTS):
        make_due(row)
        outcomes.append(notification_deliver(notification_id=row.pk))

    assert outcomes == [Notification.State.PENDING] * (MAX_ATTEMPTS - 1) + [Notification.State.FAILED]
    row = fresh(row)
    assert row.state == Notification.State.FAILED
    assert row.attempts == MAX_ATTEMPTS
    assert row.last_error == "Simulert feil i kanalen sms"
    make_due(row)
    assert notifications_due() == []
    assert notification_deliver(notification_id=row.pk) == "skipped"
    assert channel_log.count(row.pk) == MAX_ATTEMPTS


def test_a_channel_that_crashes_unexpectedly_is_recorded_and_retried_not_left_sending(monkeypatch):
    """A bug or an unexpected exception in a channel must count as a failed attempt: otherwise the row stays
    «sending», is reclaimed by the sweep every STALE_CLAIM without its attempts growing, and never becomes
    «failed» where staff could see it."""

    class Crashing:
        def send(self, notification: Notification) -> None:
            raise RuntimeError("gateway returned garbage")

    monkeypatch.setitem(CHANNELS, SMS, Crashing())
    (row,) = pending(outgoing())

    # Whether it re-raises (for Celery's log) is the implementer's choice; the row is what matters.
    with contextlib.suppress(RuntimeError):
        notification_deliver(notification_id=row.pk)

    row = fresh(row)
    assert row.state == Notification.State.PENDING
    assert row.attempts == 1
    assert "gateway returned garbage" in row.last_error
    assert row.next_attempt_at > timezone.now()
