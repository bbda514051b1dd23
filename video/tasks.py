"""Celery adapters of the video app: take ids, call a service."""

from __future__ import annotations

from celery import shared_task

from .services import video_signals_sweep


@shared_task(ignore_result=True)
def video_sweep_task() -> int:
    """Periodic (beat): delete the signals of video rooms that have closed."""
    return video_signals_sweep()
