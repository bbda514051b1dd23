"""core.tasks.TransactionAwareTask: ``delay_on_commit`` publishes after commit, never for a rollback, and a
publish that fails is logged, not raised into the commit (the row's sweep delivers it)."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from core.tasks import AfterCommit
from notifications.tasks import notification_deliver_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch):
    calls: list[tuple] = []
    monkeypatch.setattr(notification_deliver_task, "apply_async", lambda args, kwargs, **options: calls.append(args))
    return calls


def test_it_publishes_only_once_the_transaction_commits(published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification_deliver_task.delay_on_commit(7)
        assert published == []
    assert [repr(c) for c in callbacks] == ["<AfterCommit notifications.tasks.notification_deliver_task(7,)>"]
    assert published == [(7,)]


def test_it_publishes_nothing_for_a_transaction_that_rolls_back(published, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        notification_deliver_task.delay_on_commit(7)
        raise RuntimeError
    assert callbacks == []
    assert published == []


def test_a_broker_that_is_down_is_logged_and_not_raised(monkeypatch, caplog):
    def down(*args, **kwargs):
        raise ConnectionRefusedError("the broker is down")

    monkeypatch.setattr(notification_deliver_task, "apply_async", down)
    with caplog.at_level(logging.WARNING, logger="core.tasks"):
        AfterCommit(notification_deliver_task, (7,), {}, {})()
    assert [r.getMessage() for r in caplog.records] == [
        "notifications.tasks.notification_deliver_task(7,) ble ikke lagt i køen (the broker is down); "
        "den periodiske sveipen tar den."
    ]
