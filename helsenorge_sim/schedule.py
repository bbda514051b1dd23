"""The one periodic schedule: what runs how often, read by Celery beat (``CELERY_BEAT_SCHEDULE``) and by
``manage.py serve``'s in-process loop when there is no broker (``make run``).

Each job is a Celery task that is idempotent and claims its work with conditional updates, so a run that
overlaps another, or runs late, does no harm. Plain values only: settings import this module.
"""

from __future__ import annotations

# name: (dotted path of the task, every so many seconds)
PERIODIC_JOBS: dict[str, tuple[str, float]] = {
    # Delivers what a down broker left pending, and rows claimed by a worker that died.
    "notifications-sweep": ("notifications.tasks.notifications_sweep_task", 60.0),
    # The 48–24 h reminders (source 004); never long ETA tasks, which Redis would redeliver.
    "booking-reminders": ("booking.tasks.reminders_task", 300.0),
    # Confirms automatic reservations whose task was lost while the broker was down.
    "booking-confirmations-sweep": ("booking.tasks.confirmations_sweep_task", 60.0),
    # The next batch of each invitation campaign whose pause is over.
    "booking-campaigns": ("booking.tasks.campaigns_tick_task", 10.0),
    # Frees the slots whose 5-minute hold («Se gjennom før du sender») ran out.
    "booking-holds-sweep": ("booking.tasks.holds_sweep_task", 30.0),
    # Deletes the signals (WebRTC descriptions, ICE addresses) of video rooms whose time is over.
    "video-sweep": ("video.tasks.video_sweep_task", 300.0),
}


def beat_schedule() -> dict[str, dict[str, object]]:
    """``CELERY_BEAT_SCHEDULE``: synced into django-celery-beat's tables, where staff can see and pause it."""
    return {name: {"task": task, "schedule": every} for name, (task, every) in PERIODIC_JOBS.items()}
