"""A hung Redis (SIGSTOP: it accepts connections and never answers) costs what a dead one does (issue 20,
finding 7): after one call times out, the server's circuit breaker keeps the cache, the sessions, the abuse
limits and task publishing away from it for a while, so the next pages do not each wait for the socket
timeout. When Redis answers again, one trial call closes the breaker and the cache is used again.

Each test starts a Redis of its own, stops it with SIGSTOP and counts, at the socket, what was sent to it and
how many reads timed out. The breaker's clock is moved on instead of sleeping.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from redis.connection import AbstractConnection
from redis.exceptions import TimeoutError as RedisTimeoutError

import core.breaker
from booking.models import Appointment
from booking.services import confirmations_sweep
from core.breaker import redis_breaker, redis_breakers_reset
from dialogues.models import Dialogue
from helsenorge_sim.celery import app
from notifications.delivery import notification_deliver
from notifications.models import Notification
from notifications.tasks import notifications_sweep_task
from tests.pages import idempotency_key_in, log_in, review_url, text_of
from tests.redis_support import OwnRedis, fail_soft_cache
from tests.world import build_world, gp_clinic

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

SOCKET_TIMEOUT = 0.5
# Long enough that no trial call falls inside the test's page loads however slow the machine; the clock is
# moved past it to let the trial through.
BREAKER_SECONDS = 60.0
# The portal's front door and a timebook's waiting room have their own Redis calls (and their own back-off,
# being rewritten to use the same breaker): off here, so the counts are the cache's, the sessions' and Celery's.
NO_WAITING_ROOMS = {"WAITING_ROOM_DOOR_RATE": 0}


@dataclass
class Traffic:
    """What reached one Redis server: commands written to it, and reads that waited for the socket timeout."""

    port: int
    sent: int = 0
    timeouts: int = 0


@pytest.fixture
def traffic(monkeypatch) -> Iterator[list[Traffic]]:
    counters: list[Traffic] = []
    send, read = AbstractConnection.send_packed_command, AbstractConnection.read_response

    def counter(connection: AbstractConnection) -> Traffic | None:
        port = getattr(connection, "port", None)
        return next((c for c in counters if c.port == port), None)

    def counted_send(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if (seen := counter(self)) is not None:
            seen.sent += 1
        return send(self, *args, **kwargs)

    def counted_read(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return read(self, *args, **kwargs)
        except RedisTimeoutError:
            if (seen := counter(self)) is not None:
                seen.timeouts += 1
            raise

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted_send)
    monkeypatch.setattr(AbstractConnection, "read_response", counted_read)
    yield counters


class Clock:
    """The breaker's clock, moved on by the test."""

    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    moved = Clock(core.breaker._clock())
    monkeypatch.setattr(core.breaker, "_clock", moved)
    return moved


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    redis = OwnRedis()
    redis.start()
    try:
        yield redis
    finally:
        if redis.process is not None and redis.process.poll() is None:
            os.kill(redis.process.pid, signal.SIGCONT)  # a stopped process does not act on SIGTERM
        redis.stop()
        redis_breakers_reset()


@pytest.fixture
def broker_on(monkeypatch):  # type: ignore[no-untyped-def]
    """Celery publishing to ``url`` for real (not in-process), as in production."""

    def point(url: str) -> None:
        pools = (app._pool, app.amqp._producer_pool)
        saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "broker_transport_options")}
        timeouts = {"socket_connect_timeout": SOCKET_TIMEOUT, "socket_timeout": SOCKET_TIMEOUT}
        options = {**app.conf.broker_transport_options, **timeouts}
        app.conf.update(broker_url=url, task_always_eager=False, broker_transport_options=options)
        app._pool = app.amqp._producer_pool = None
        restore.append((saved, pools))

    restore: list = []
    yield point
    for saved, pools in restore:
        if app._pool is not None:
            app._pool.force_close_all()
        app.conf.update(saved)
        app._pool, app.amqp._producer_pool = pools


def hang(redis: OwnRedis) -> None:
    assert redis.process is not None
    os.kill(redis.process.pid, signal.SIGSTOP)


def wake(redis: OwnRedis) -> None:
    assert redis.process is not None
    os.kill(redis.process.pid, signal.SIGCONT)


def ok(response, url: str = ""):  # type: ignore[no-untyped-def]
    assert response.status_code in (200, 302), f"{url}: {response.status_code} {text_of(response)[:300]}"
    return response


def test_after_one_time_out_pages_and_a_dialogue_send_leave_a_hung_redis_alone_until_it_answers(
    own_redis, traffic, clock, broker_on, caplog
):
    caplog.set_level(logging.WARNING, logger="core.breaker")
    office = gp_clinic()
    citizen = office.citizen
    hung = Traffic(own_redis.port)
    traffic.append(hung)
    broker_on(own_redis.url)  # the default: the broker is the cache's Redis, and shares its breaker
    with override_settings(
        CACHES=fail_soft_cache(own_redis, SOCKET_TIMEOUT),
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        REDIS_BREAKER_SECONDS=BREAKER_SECONDS,
        **NO_WAITING_ROOMS,
    ):
        browser = log_in(Client(), citizen)  # the session is in Redis and in the database
        assert cache.get(f"django.contrib.sessions.cached_db{browser.session.session_key}") is not None
        hang(own_redis)

        # The first page finds Redis hung: it waits for one socket timeout, and opens the breaker.
        ok(browser.get(reverse("booking:appointments")))
        assert hung.timeouts == 1
        before = (hung.sent, hung.timeouts)

        pages = [reverse("booking:home"), reverse("booking:appointments"), reverse("inbox:inbox")] * 3
        for url in pages:
            page = ok(browser.get(url), url)
            assert page.status_code == 200, url
        new = reverse("dialogues:new", args=["kontakt-legekontoret"])
        ok(browser.get(new), new)
        sent = ok(browser.post(new, {"subject": "Hodepine", "body": "Jeg har hatt vondt i hodet i en uke."}), new)
        assert sent.status_code == 302, text_of(sent)[:300]
        assert Dialogue.objects.filter(thread__citizen=citizen, thread__subject="Hodepine").exists()
        # Eleven page loads and a send, logged in all the way (the session came from the database), and not one
        # command to the hung Redis: nobody waited for its timeout again.
        assert (hung.sent, hung.timeouts) == before
        assert redis_breaker(own_redis.url).skipped > 0

        # When the breaker's time is up, one call is let through as a trial; still hung, it opens again.
        clock.now += BREAKER_SECONDS + 1
        ok(browser.get(reverse("booking:appointments")))
        assert hung.timeouts == before[1] + 1
        ok(browser.get(reverse("booking:appointments")))
        assert hung.timeouts == before[1] + 1
        assert redis_breaker(own_redis.url).is_open

        # Redis answers again: the next trial closes the breaker and the cache is used again.
        wake(own_redis)
        clock.now += BREAKER_SECONDS + 1
        ok(browser.get(reverse("booking:appointments")))
        assert not redis_breaker(own_redis.url).is_open
        sent_before = hung.sent
        cache.set("is-redis-back", "ja", 30)
        assert cache.get("is-redis-back") == "ja"
        assert hung.sent > sent_before
        assert hung.timeouts == before[1] + 1
    # The outage was logged once (not once per page or per trial), and its end once.
    said = [r.getMessage() for r in caplog.records if r.name == "core.breaker"]
    assert [("svarer ikke" in m, "svarer igjen" in m) for m in said] == [(True, False), (False, True)]


def test_after_one_publish_times_out_a_hung_broker_is_skipped_and_the_sweeps_deliver_everything_once(
    own_redis, traffic, clock, broker_on, settings
):
    """The broker alone on the hung Redis (the cache elsewhere): booking and cancelling publish tasks."""
    settings.REDIS_BREAKER_SECONDS = BREAKER_SECONDS
    settings.WAITING_ROOM_DOOR_RATE = 0
    world = build_world()
    broker = Traffic(own_redis.port)
    traffic.append(broker)
    broker_on(own_redis.url)
    browser = log_in(Client(), world.citizen)
    hang(own_redis)

    def book(slot) -> Appointment:  # type: ignore[no-untyped-def]
        key = idempotency_key_in(ok(browser.get(review_url(slot))).content.decode())
        response = ok(browser.post(review_url(slot), {"reason": "Vaksine", "idempotency_key": key}))
        assert response.status_code == 302, text_of(response)[:300]
        return Appointment.objects.get(slot=slot)

    first = book(world.slots[0])  # its confirmation is published: one timeout, and the breaker opens
    assert broker.timeouts == 1
    before = (broker.sent, broker.timeouts)
    ok(browser.post(reverse("booking:cancel", args=[first.pk]), {}))  # a receipt to publish: skipped
    second = book(world.slots[1])  # a confirmation to publish: skipped
    for _ in range(5):
        ok(browser.get(reverse("booking:appointments")))
    assert (broker.sent, broker.timeouts) == before
    assert redis_breaker(own_redis.url).skipped >= 2
    assert Appointment.objects.get(pk=first.pk).status == Appointment.Status.CANCELLED_BY_CITIZEN
    assert Appointment.objects.get(pk=second.pk).status == Appointment.Status.REQUESTED

    # Back. The sweeps beat runs deliver what was not published; the confirmation's notices are published again
    # (the trial call, which closes the breaker), and whatever a worker might still take from the queue finds
    # its row sent: each notice went out once.
    wake(own_redis)
    clock.now += BREAKER_SECONDS + 1
    confirmations_sweep()
    assert not redis_breaker(own_redis.url).is_open
    assert broker.sent > before[0]
    notifications_sweep_task()
    assert Appointment.objects.get(pk=second.pk).status == Appointment.Status.ASSIGNED
    rows = Notification.objects.filter(recipient_key=f"citizen:{world.citizen.pk}")
    assert set(rows.values_list("event", flat=True)) == {"confirmed", "cancellation_receipt"}
    assert {notification_deliver(notification_id=pk) for pk in rows.values_list("pk", flat=True)} == {"skipped"}
    assert set(rows.values_list("state", "attempts")) == {(Notification.State.SENT, 1)}
