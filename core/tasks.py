"""The project's Celery task classes: publishing through the broker's circuit breaker, and queuing after commit.

``BreakerTask`` is every task's class (``helsenorge_sim/celery.py``): publishing goes through the broker's
circuit breaker (``core.breaker``), so a hung broker holds one request for one socket timeout, and the next
ones not at all for a few seconds.

``TransactionAwareTask`` (pretix's name and model) is the class of a task that a service queues for a row it
has just written: ``task.delay_on_commit(row_id)`` publishes once the transaction commits, never for one that
rolls back, and a broker that is down then costs nothing but a log line, because the row waits in the
database and a periodic sweep delivers it (the outbox's pending rows, an appointment waiting as requested).
Unlike pretix's class it leaves ``delay``/``apply_async`` as they are: the sweeps, beat and the shell publish at
once and hear of a broker that is down, and a call that waits for the commit says so where it is written.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .breaker import redis_breaker

log = logging.getLogger(__name__)


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


class TransactionAwareTask(BreakerTask):
    def delay_on_commit(self, *args: Any, **kwargs: Any) -> None:
        """``delay(*args, **kwargs)`` once the current transaction commits (at once outside one)."""
        self.apply_async_on_commit(args, kwargs)

    def apply_async_on_commit(
        self, args: tuple[Any, ...] | None = None, kwargs: dict[str, Any] | None = None, **options: Any
    ) -> None:
        """``apply_async(args, kwargs, **options)`` once the current transaction commits (at once outside one)."""
        transaction.on_commit(AfterCommit(self, tuple(args or ()), dict(kwargs or {}), options))


class AfterCommit:
    """The publish that ``transaction.on_commit`` runs: a failure is logged, never raised into the commit (the
    caller's change is saved already, and its sweep delivers what was not published)."""

    def __init__(self, task: Task, args: tuple[Any, ...], kwargs: dict[str, Any], options: dict[str, Any]) -> None:
        self.task, self.args, self.kwargs, self.options = task, args, kwargs, options

    def __call__(self) -> None:
        try:
            self.task.apply_async(self.args, self.kwargs, **self.options)
        except Exception as error:
            log.warning(
                "%s%s ble ikke lagt i køen (%s); den periodiske sveipen tar den.", self.task.name, self.args, error
            )

    def __repr__(self) -> str:
        return f"<AfterCommit {self.task.name}{self.args}>"
