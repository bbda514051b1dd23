"""Issue 11, finding 2: a notification is never sent twice — not when the worker is killed right after the mail
server took the message, not when the mail server goes quiet mid-handover — and an outcome is recorded only
by the worker that still holds the claim."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import connection
from django.utils import timezone

from helsenorge_sim.celery import app
from notifications.channels import CHANNELS, ChannelError
from notifications.delivery import STALE_CLAIM, notification_claim, notification_deliver
from notifications.models import Notification
from notifications.services import Outgoing, notifications_retry
from notifications.tasks import notification_deliver_task, notifications_sweep_task
from tests.factories import NotificationFactory
from tests.redis_support import OwnRedis, free_port

ROOT = Path(__file__).resolve().parents[2]


def e_mail(key: str = "appointment:7:confirmed:citizen:3") -> Notification:
    item = Outgoing(
        dedupe_key=f"{key}:email",
        recipient_key="citizen:3",
        recipient_name="Kari Nordmann",
        channel=Notification.Channel.EMAIL,
        address="kari@example.test",
        event=Notification.Event.CONFIRMED,
        text="Kari, du har fått time til vaksine hos Influensavaksine.",
        subject="Du har fått en ny timeavtale",
        owner_her_id=8100001,
        sender_name="Helsenorge",
    )
    return NotificationFactory(**asdict(item))


def fresh(row: Notification) -> Notification:
    return Notification.objects.get(pk=row.pk)


def go_stale(row: Notification) -> None:
    """Time passes: the worker that claimed the row is taken to have died."""
    Notification.objects.filter(pk=row.pk).update(claimed_at=timezone.now() - STALE_CLAIM - dt.timedelta(seconds=5))


class Sink:
    """An SMTP server (aiosmtpd) that keeps what it receives; ``on_data`` runs once a message has arrived."""

    def __init__(self, on_data=None) -> None:  # type: ignore[no-untyped-def]
        self.messages: list[email.message.EmailMessage] = []
        self.on_data = on_data

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        if self.on_data is not None:
            await self.on_data()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, seconds: float = 30) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and len(self.messages) < count:
            time.sleep(0.05)
        return len(self.messages) >= count


@pytest.fixture
def sink(settings):
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    handler.port = controller.port  # type: ignore[attr-defined]
    yield handler
    controller.stop()


# --- The claim and its token --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_attempt_is_recorded_before_anything_is_sent():
    row = e_mail()
    assert notification_claim(row.pk) is True
    row = fresh(row)
    assert (row.state, row.attempts, row.claim_token is not None) == (Notification.State.SENDING, 1, True)


@pytest.mark.django_db
def test_a_worker_whose_claim_was_taken_over_records_nothing(monkeypatch):
    """The first worker stalls; its claim goes stale and a second worker takes the row and sends it. When the
    first finally returns with an error, its outcome is not recorded over the second's."""
    row = NotificationFactory(
        dedupe_key="appointment:8:confirmed:citizen:3:sms",
        recipient_key="citizen:3",
        recipient_name="Kari Nordmann",
        channel=Notification.Channel.SMS,
        address="+4741234567",
        event=Notification.Event.CONFIRMED,
        text="Kari, du har fått time.",
    )

    class TakenOverWhileSending:
        calls = 0

        def send(self, notification: Notification) -> None:
            self.calls += 1
            if self.calls == 1:  # the first worker, stalled long enough for its claim to go stale
                go_stale(notification)
                assert notification_deliver(notification_id=notification.pk) == Notification.State.SENT
                raise ChannelError("the first worker's connection finally broke")

    monkeypatch.setitem(CHANNELS, Notification.Channel.SMS, TakenOverWhileSending())
    assert notification_deliver(notification_id=row.pk) == Notification.State.PENDING  # what the first believed
    row = fresh(row)
    assert (row.state, row.last_error, row.attempts) == (Notification.State.SENT, "", 2)


@pytest.mark.django_db
def test_every_attempt_of_an_e_mail_carries_the_same_message_id():
    row = e_mail()
    assert notification_deliver(notification_id=row.pk) == Notification.State.SENT
    notifications_retry(ids=[row.pk])  # nothing: a sent row is not retried
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == fresh(row).message_id
    assert fresh(row).message_id.startswith(f"<{row.pk}.") and fresh(row).message_id.endswith("@helsenorge-sim>")


# --- A mail server that goes quiet ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_mail_server_that_goes_quiet_after_taking_the_message_gets_it_once(sink):
    sink.on_data = lambda: asyncio.sleep(4)  # takes the message, then says nothing for longer than EMAIL_TIMEOUT
    row = e_mail()

    began = time.monotonic()
    assert notification_deliver(notification_id=row.pk) == Notification.State.UNCERTAIN
    assert time.monotonic() - began < 10  # EMAIL_TIMEOUT, not the mail server, decides how long a worker waits
    row = fresh(row)
    assert (row.attempts, row.claim_token) == (1, None)
    assert "kan ha kommet fram" in row.last_error

    go_stale(row)
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - dt.timedelta(hours=1))
    notifications_sweep_task()
    time.sleep(4.5)
    assert len(sink.messages) == 1
    assert fresh(row).state == Notification.State.UNCERTAIN  # for staff to check; never sent again by itself


@pytest.mark.django_db
def test_a_mail_server_that_is_down_is_retried_not_uncertain(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    row = e_mail()
    assert notification_deliver(notification_id=row.pk) == Notification.State.PENDING


# --- A worker killed right after the mail server took the message --------------------------------------------


def _worker(redis: OwnRedis, smtp_port: int) -> subprocess.Popen:
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "helsenorge_sim.settings",
        "DJANGO_ENV": "test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis.url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "5",
    }
    command = [sys.executable, "-m", "celery", "-A", "helsenorge_sim", "worker", "-P", "solo", "-l", "warning"]
    command += ["--without-heartbeat", "--without-mingle", "--without-gossip"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_right_after_the_mail_server_took_the_message_never_sends_it_again(sink):
    redis = OwnRedis()
    redis.start()
    worker = _worker(redis, sink.port)

    async def kill_the_worker() -> None:
        os.kill(worker.pid, signal.SIGKILL)  # the message is with the server; the worker never hears «250»

    sink.on_data = kill_the_worker
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    pools = (app._pool, app.amqp._producer_pool)
    try:
        app.conf.update(broker_url=redis.url, task_always_eager=False)
        app._pool = app.amqp._producer_pool = None
        row = e_mail()
        notification_deliver_task.delay(row.pk)
        assert sink.wait_for(1), "the worker never sent the e-mail"
        assert worker.wait(timeout=10) == -signal.SIGKILL
        row = fresh(row)
        assert (row.state, row.attempts) == (Notification.State.SENDING, 1)

        # A new worker starts, the task is redelivered (acks_late), and beat's sweep runs once the claim is stale.
        worker = _worker(redis, sink.port)
        time.sleep(3)
        go_stale(row)
        notifications_sweep_task()
        notification_deliver_task.delay(row.pk)
        time.sleep(3)
        assert len(sink.messages) == 1
        row = fresh(row)
        assert (row.state, row.attempts) == (Notification.State.UNCERTAIN, 1)
    finally:
        worker.kill()
        worker.wait(timeout=10)
        redis.stop()
        app.conf.update(saved)
        app._pool, app.amqp._producer_pool = pools
