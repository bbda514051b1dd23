"""A booking's confirmation end to end through a real Celery worker on the real Redis: the EPJ's automatic
confirmation and the delivery of its SMS and push are tasks the worker takes from the broker.

Requesting the fixture ``celery_worker`` makes the autouse in-process fixture of ``tests/conftest.py`` step
aside; this module's ``celery_worker`` starts an embedded worker (``celery.contrib.testing.worker``) of the
project's own app instead of the ``celery.contrib.pytest`` plugin's test app.
"""

from __future__ import annotations

import logging
import threading
import time

import pytest
from celery._state import _set_task_join_will_block
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from celery.worker import state as worker_state
from django.conf import settings
from django.db import connections

from booking.models import Appointment
from helsenorge_sim.celery import app
from notifications.models import Notification
from tests.notifications.support import book, rows_for, source_confirmation
from tests.world import build_world

DEADLINE_SECONDS = 20


def _close_worker_connections(**kwargs) -> None:
    # The worker thread's database connections would otherwise outlive the test and block the test
    # database from being flushed or dropped.
    if threading.current_thread() is not threading.main_thread():
        connections.close_all()


@pytest.fixture
def celery_worker(monkeypatch):
    monkeypatch.setenv("CELERY_SKIP_CHECKS", "1")
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    pools = (app._pool, app.amqp._producer_pool)
    app.conf.update(broker_url=settings.REDIS_URL, task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None
    app.loader.import_default_modules()
    app.control.purge()  # messages left by an earlier, interrupted run are not this test's
    task_postrun.connect(_close_worker_connections, weak=False)
    # The embedded worker sets up logging as a worker does: the root logger at ERROR with its own handler.
    # Left so, every later test in this process loses the warnings it reads with caplog.
    root = logging.getLogger()
    root_level, root_handlers = root.level, list(root.handlers)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
            yield worker
    finally:
        # The in-process worker marks this process as one whose result.get() would block (a worker's pool
        # does); left set, a later test in the same process that waits for an eager result fails.
        _set_task_join_will_block(False)
        root.setLevel(root_level)
        root.handlers[:] = root_handlers
        task_postrun.disconnect(_close_worker_connections)
        app.conf.update(saved)
        app._pool, app.amqp._producer_pool = pools


def wait_for(condition, seconds: float = DEADLINE_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_booking_confirmation_is_delivered_end_to_end_through_the_worker(celery_worker, channel_log):
    world = build_world()
    kurt = world.resident()
    slot = world.future_slot()

    appointment = book(kurt, slot)  # commits; the confirmation task goes to Redis

    def sms_sent() -> bool:
        return Notification.objects.filter(
            dedupe_key__startswith=f"appointment:{appointment.pk}:", channel="sms", state="sent"
        ).exists()

    assert wait_for(sms_sent), (
        f"no SMS sent within {DEADLINE_SECONDS} s: appointment {Appointment.objects.get(pk=appointment.pk).status}, "
        f"rows {[(n.channel, n.state, n.last_error) for n in rows_for(appointment)]}"
    )
    assert wait_for(lambda: {n.state for n in rows_for(appointment)} == {Notification.State.SENT})
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.ASSIGNED
    sms = rows_for(appointment, channel="sms")[0]
    assert sms.text == source_confirmation("Kurt Håkon", slot.start)
    assert sorted(ch for ch, _ in channel_log.calls) == ["push", "sms"]  # each sent once
    # ... and by the worker, not in-process:
    assert worker_state.total_count["booking.tasks.appointment_confirm_task"] >= 1
    assert worker_state.total_count["notifications.tasks.notification_deliver_task"] >= 2


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_a_row_once_even_when_its_task_is_queued_twice(celery_worker, channel_log):
    from notifications.tasks import notification_deliver_task

    world = build_world()
    kurt = world.resident()
    appointment = book(kurt, world.future_slot())
    assert wait_for(lambda: len(channel_log.calls) == 2)
    sms = rows_for(appointment, channel="sms")[0]

    notification_deliver_task.delay(sms.pk)  # a redelivery, as after a worker crash with acks_late
    notification_deliver_task.delay(sms.pk)
    marker = book(world.resident(first_name="Kari"), world.future_slot(days=4))
    # The queue is worked in order: once the next booking's SMS is out, the redeliveries were handled.
    assert wait_for(lambda: any(rows_for(marker, channel="sms", state="sent")))

    assert channel_log.count(sms.pk) == 1
