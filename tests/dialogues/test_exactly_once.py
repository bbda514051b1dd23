"""Source 004: «HelseNorge varsler pasienten når fastlegen eller klinikken svarer på en dialog» — once per
channel. The outbox row's dedupe key (``inbox-message:<message>:citizen:<citizen>:<channel>``) makes telling
twice write nothing; the delivery's claim makes a worker killed mid-delivery never send the e-mail again
(the worker and mail server helpers are those of ``tests/notifications/test_exactly_once.py``)."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import pytest

from dialogues.models import Kind
from dialogues.notify import dialogue_notify
from dialogues.services import dialogue_answer
from helsenorge_sim.celery import app
from inbox.models import InboxMessage
from notifications.models import Notification
from notifications.tasks import notifications_sweep_task
from tests.notifications.support import ChannelLog, channel_log  # noqa: F401
from tests.notifications.test_exactly_once import _worker, go_stale, sink  # noqa: F401
from tests.redis_support import OwnRedis
from tests.world import GpClinic, gp_clinic

CHANNELS = {Notification.Channel.SMS, Notification.Channel.EMAIL, Notification.Channel.PUSH}


def keys(message: InboxMessage, citizen_pk: int) -> set[str]:
    return {f"inbox-message:{message.pk}:citizen:{citizen_pk}:{channel}" for channel in CHANNELS}


def rows() -> list[Notification]:
    return list(Notification.objects.order_by("pk"))


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_answer_is_told_once_per_channel_and_telling_again_writes_nothing(
    channel_log: ChannelLog,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
):
    c: GpClinic = gp_clinic()
    d = c.send(Kind.E_KONTAKT)
    with django_capture_on_commit_callbacks(execute=True):
        answer = dialogue_answer(dialogue=d, user=c.secretary, body="Du kan komme innom i morgen.")
    told = rows()
    assert {n.dedupe_key for n in told} == keys(answer, c.citizen.pk)
    assert all(n.event == Notification.Event.MESSAGE for n in told)
    assert all(n.state == Notification.State.SENT for n in told), [(n.channel, n.last_error) for n in told]
    assert sorted(pk for _, pk in channel_log.calls) == sorted(n.pk for n in told)

    with django_capture_on_commit_callbacks(execute=True):
        assert dialogue_notify(d, answer) == 0
        assert dialogue_notify(d, answer) == 0
    assert rows() == told
    assert len(channel_log.calls) == len(told)


@pytest.mark.postgres
@pytest.mark.django_db
def test_each_answer_is_told_on_its_own(django_capture_on_commit_callbacks: Any):
    c: GpClinic = gp_clinic()
    d = c.send(Kind.E_KONTAKT)
    first = dialogue_answer(dialogue=d, user=c.secretary, body="Hva gjelder det?")
    second = dialogue_answer(dialogue=d, user=c.secretary, body="Vi ringer deg.")
    assert {n.dedupe_key for n in rows()} == keys(first, c.citizen.pk) | keys(second, c.citizen.pk)


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_delivering_an_answer_never_sends_it_twice(sink):  # noqa: F811
    redis = OwnRedis()
    redis.start()
    worker = _worker(redis, sink.port)

    async def kill_the_worker() -> None:
        os.kill(worker.pid, signal.SIGKILL)  # the e-mail is with the server; the worker never hears «250»

    sink.on_data = kill_the_worker
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    pools = (app._pool, app.amqp._producer_pool)
    try:
        app.conf.update(broker_url=redis.url, task_always_eager=False)
        app._pool = app.amqp._producer_pool = None
        c = gp_clinic()
        d = c.send(Kind.E_KONSULTASJON, subject="Utslett")
        answer = dialogue_answer(dialogue=d, user=c.doctor, body="Smør med kremen to ganger daglig.")
        assert {n.dedupe_key for n in rows()} == keys(answer, c.citizen.pk)
        assert sink.wait_for(1), "the worker never sent the e-mail"
        assert worker.wait(timeout=10) == -signal.SIGKILL
        mail = Notification.objects.get(channel=Notification.Channel.EMAIL)
        assert (mail.state, mail.attempts) == (Notification.State.SENDING, 1)

        # A new worker; the killed one's claim goes stale; beat's sweep runs; the answer is told again.
        worker = _worker(redis, sink.port)
        time.sleep(3)
        go_stale(mail)
        notifications_sweep_task()
        with_retry = dialogue_notify(d, answer)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and Notification.objects.filter(state=Notification.State.PENDING).exists():
            time.sleep(0.2)
        time.sleep(2)

        assert with_retry == 0
        assert len(sink.messages) == 1
        assert "Utslett" not in sink.messages[0].as_string() and "kremen" not in sink.messages[0].as_string()
        by_channel = {n.channel: n for n in rows()}
        assert set(by_channel) == CHANNELS and len(rows()) == 3
        mail = by_channel[Notification.Channel.EMAIL]
        assert (mail.state, mail.attempts) == (Notification.State.UNCERTAIN, 1)  # for staff to check, never resent
        for channel in (Notification.Channel.SMS, Notification.Channel.PUSH):
            n = by_channel[channel]
            assert (n.state, n.attempts) == (Notification.State.SENT, 1), (channel, n.state, n.attempts, n.last_error)
    finally:
        worker.kill()
        worker.wait(timeout=10)
        redis.stop()
        app.conf.update(saved)
        app._pool, app.amqp._producer_pool = pools
