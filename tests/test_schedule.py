"""One periodic schedule (issue 10): Celery beat and `manage.py serve` without a broker read the same jobs."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from booking.management.commands import serve
from helsenorge_sim.schedule import PERIODIC_JOBS

pytestmark = pytest.mark.django_db


def test_beat_runs_exactly_the_jobs_of_the_one_schedule():
    assert {name: (job["task"], job["schedule"]) for name, job in settings.CELERY_BEAT_SCHEDULE.items()} == (
        PERIODIC_JOBS
    )
    for task, _every in PERIODIC_JOBS.values():
        assert callable(import_string(task))  # every name resolves to a real task


def test_serve_runs_each_job_on_its_own_period(monkeypatch):
    calls: list[str] = []
    for name, (task, _every) in PERIODIC_JOBS.items():
        monkeypatch.setattr(import_string(task), "run", lambda name=name: calls.append(name))
    last_run: dict[str, float] = {}
    assert set(serve.run_due(last_run, 1000.0)) == set(PERIODIC_JOBS)  # the first round runs everything
    assert serve.run_due(last_run, 1005.0) == []
    assert serve.run_due(last_run, 1010.0) == ["booking-campaigns"]  # every 10 s
    assert set(serve.run_due(last_run, 1060.0)) == {
        "booking-campaigns",
        "notifications-sweep",
        "booking-confirmations-sweep",
        "booking-holds-sweep",  # every 30 s
    }
    assert "booking-reminders" in serve.run_due(last_run, 1300.0)  # every 5 minutes
    assert serve.tick_seconds() == 10.0
