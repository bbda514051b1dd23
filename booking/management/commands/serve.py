"""``manage.py serve``: the development server, plus the periodic work when there is no broker.

With ``REDIS_URL`` unset (``make run``) there is no Celery beat, so a background thread runs the schedule
beat would run, read from the same setting (``CELERY_BEAT_SCHEDULE``, made from ``helsenorge_sim/schedule.py``):
the notification sweep, the confirmation sweep, the 48–24 h reminders and the invitation batches. With a
broker, beat does it and this is the plain ``runserver``.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand
from django.db import close_old_connections
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


def periodic_jobs() -> dict[str, tuple[str, float]]:
    """name: (task, every so many seconds), as Celery beat has them."""
    schedule: dict[str, Any] = settings.CELERY_BEAT_SCHEDULE
    return {name: (str(job["task"]), float(job["schedule"])) for name, job in schedule.items()}


def tick_seconds() -> float:
    return min(every for _, every in periodic_jobs().values())


def run_due(last_run: dict[str, float], now: float) -> list[str]:
    """Run, in this process, every job whose period has passed since it last ran; returns their names."""
    ran = []
    for name, (task, every) in periodic_jobs().items():
        if now - last_run.get(name, float("-inf")) < every:
            continue
        last_run[name] = now
        close_old_connections()
        try:
            import_string(task)()  # calling a Celery task object runs it here, synchronously
            ran.append(name)
        except Exception:  # keep the loop alive; the next round tries again
            log.exception("Periodisk jobb %s feilet", name)
        finally:
            close_old_connections()
    return ran


def _periodic_loop(stop: threading.Event) -> None:
    last_run: dict[str, float] = {}
    while not stop.wait(tick_seconds()):
        run_due(last_run, time.monotonic())


class Command(RunserverCommand):
    help = "Utviklingsserver; uten REDIS_URL kjører den også de periodiske jobbene i en bakgrunnstråd."

    def inner_run(self, *args: Any, **options: Any) -> None:
        if not settings.REDIS_URL:
            threading.Thread(target=_periodic_loop, args=(threading.Event(),), daemon=True, name="periodic").start()
            self.stdout.write(
                "Periodiske jobber (varsler, påminnelser, invitasjoner) kjøres etter samme plan som Celery beat."
            )
        super().inner_run(*args, **options)
