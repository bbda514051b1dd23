"""Issue 11, finding 1: with Redis gone, a citizen can still log in, book, cancel and read Innboks, and what
could not be queued is delivered once Redis is back.

The test starts a Redis of its own, points the cache, the sessions and the Celery broker at it, and stops it.
"""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from booking.models import Appointment
from booking.services import confirmations_sweep
from helsenorge_sim.celery import app
from notifications.models import Notification
from notifications.tasks import notifications_sweep_task
from tests.pages import idempotency_key_in, review_url, text_of
from tests.redis_support import OwnRedis
from tests.world import build_world

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def own_redis():
    redis = OwnRedis()
    redis.start()
    cache = {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    pools = (app._pool, app.amqp._producer_pool)
    app.conf.update(broker_url=redis.url, task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None
    try:
        with override_settings(CACHES=cache, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
            yield redis
    finally:
        redis.stop()
        app.conf.update(saved)
        app._pool, app.amqp._producer_pool = pools


class Walk:
    """A citizen's requests, each checked to be no server error."""

    def __init__(self) -> None:
        self.client = Client()
        self.statuses: list[tuple[str, int]] = []

    def _seen(self, url: str, response):  # type: ignore[no-untyped-def]
        self.statuses.append((url, response.status_code))
        assert response.status_code < 500, f"{url}: {response.status_code} {text_of(response)[:300]}"
        return response

    def get(self, url: str):  # type: ignore[no-untyped-def]
        return self._seen(url, self.client.get(url))

    def post(self, url: str, data: dict):  # type: ignore[no-untyped-def]
        return self._seen(url, self.client.post(url, data))

    def book(self, slot) -> Appointment:  # type: ignore[no-untyped-def]
        key = idempotency_key_in(self.get(review_url(slot)).content.decode())
        response = self.post(review_url(slot), {"reason": "Vaksine", "idempotency_key": key})
        assert response.status_code == 302, text_of(response)[:300]
        return Appointment.objects.get(slot=slot)


def test_with_redis_down_a_citizen_logs_in_books_cancels_and_reads_innboks_and_nothing_is_lost(own_redis):
    world = build_world()
    number = world.citizen.national_id
    own_redis.stop()

    walk = Walk()
    response = walk.post(reverse("citizens:login"), {"national_id": number})
    assert response.status_code == 302
    assert walk.get(reverse("booking:appointments")).status_code == 200

    first = walk.book(world.slots[0])
    assert walk.get(reverse("booking:appointment", args=[first.pk])).status_code == 200
    walk.post(reverse("booking:cancel", args=[first.pk]), {})
    assert Appointment.objects.get(pk=first.pk).status == Appointment.Status.CANCELLED_BY_CITIZEN
    second = walk.book(world.slots[1])
    inbox = walk.get(reverse("inbox:inbox"))
    assert "Kvittering for avbestilt time" in text_of(inbox)
    # The broker was down: the EPJ's confirmation could not be queued, and waits as requested.
    assert Appointment.objects.get(pk=second.pk).status == Appointment.Status.REQUESTED

    own_redis.start()
    confirmations_sweep()  # what beat runs every minute
    notifications_sweep_task()
    assert Appointment.objects.get(pk=second.pk).status == Appointment.Status.ASSIGNED
    sent = Notification.objects.filter(recipient_key=f"citizen:{world.citizen.pk}", state=Notification.State.SENT)
    assert set(sent.values_list("event", flat=True)) == {"confirmed", "cancellation_receipt"}
    assert not Notification.objects.exclude(state=Notification.State.SENT).exists()
    # And the session written while Redis was down still works now that it is back.
    assert walk.get(reverse("booking:appointments")).status_code == 200
