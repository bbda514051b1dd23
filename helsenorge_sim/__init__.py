"""helsenorge_sim — the project: settings, root URLs, the Celery app and the one periodic schedule."""

from .celery import app as celery_app

__all__ = ("celery_app",)
