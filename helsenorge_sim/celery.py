"""The Celery app. Tasks live in each app's ``tasks.py``; configuration comes from settings."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helsenorge_sim.settings")

app = Celery("helsenorge_sim")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
