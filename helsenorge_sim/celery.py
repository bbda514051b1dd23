"""The Celery app. Tasks live in each app's ``tasks.py``; configuration comes from settings.

Every task is a ``BreakerTask``: publishing goes through the broker's circuit breaker (core/breaker.py), so a
hung broker holds one request for one socket timeout, and the next ones not at all for a few seconds. What is
not published then is not lost: every task is queued from a row in the database (the outbox, an appointment
waiting as requested), and the periodic sweeps deliver it; the callers already treat a failed publish so.
"""

from __future__ import annotations

import os

from celery import Celery, Task
from kombu.exceptions import OperationalError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.breaker import redis_breaker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helsenorge_sim.settings")


class BrokerUnavailable(OperationalError):
    """Not published: the broker timed out or refused a moment ago, and its breaker is open."""


def _no_retry_after_timeout(error: BaseException, interval: float) -> None:
    """kombu's publish retry (``CELERY_TASK_PUBLISH_RETRY_POLICY``) is for a connection Redis closed (a restart),
    which a new connection mends at once. A hung Redis accepts the new connection and is silent on it too: each
    retry would cost another socket timeout (three of them, 15 s, before this), so a time-out is final."""
    if isinstance(error, RedisTimeoutError | TimeoutError):
        raise error


class BreakerTask(Task):  # type: ignore[misc]
    def apply_async(  # type: ignore[no-untyped-def]
        self, args=None, kwargs=None, task_id=None, producer=None, link=None, link_error=None, shadow=None, **options
    ):
        app = self._get_app()
        url = str(app.conf.broker_write_url or app.conf.broker_url or "")
        if app.conf.task_always_eager or not url.startswith(("redis://", "rediss://")):
            return super().apply_async(args, kwargs, task_id, producer, link, link_error, shadow, **options)
        breaker = redis_breaker(url)
        if breaker.down():
            raise BrokerUnavailable(f"Køen ({breaker.server}) svarte ikke nettopp; {self.name} sendes ikke nå.")
        options["retry_policy"] = {**(options.get("retry_policy") or {}), "errback": _no_retry_after_timeout}
        try:
            result = super().apply_async(args, kwargs, task_id, producer, link, link_error, shadow, **options)
        except Exception as error:
            breaker.failed(error)
            raise
        breaker.answered()
        return result


app = Celery("helsenorge_sim", task_cls=BreakerTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
