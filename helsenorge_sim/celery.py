"""The Celery app. Tasks live in each app's ``tasks.py``; configuration comes from settings.

Every task is a ``BreakerTask`` (core/tasks.py): publishing goes through the broker's circuit breaker
(core/breaker.py), so a hung broker holds one request for one socket timeout, and the next ones not at all for a
few seconds. What is not published then is not lost: every task is queued from a row in the database (the
outbox, an appointment waiting as requested), and the periodic sweeps deliver it; a task queued after commit
is a ``TransactionAwareTask``, whose ``delay_on_commit`` logs a failed publish and goes on.
"""

from __future__ import annotations

import os

from celery import Celery

from core.tasks import BreakerTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helsenorge_sim.settings")

app = Celery("helsenorge_sim", task_cls=BreakerTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
