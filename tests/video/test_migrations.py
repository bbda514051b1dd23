"""Issue 21 moved ``VideoSignal`` from booking into the ``video`` app (``booking/0009``, ``video/0001``): state
only, so the table keeps its name and every row; its content type (and so its permissions and admin history)
follows it to the new app, both ways. The periodic job that sweeps closed rooms was renamed, and ``video/0002``
removes the old job's row from beat's table, whose task no longer exists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from tests.citizens.test_migrations_out_of_booking import _migrate
from tests.video.test_room import video_appointment
from video.models import VideoSignal

BEFORE_THE_MOVE = [("booking", "0008_slot_hold_bounds"), ("video", None)]


def _signal_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, appointment_id, sender, kind FROM booking_videosignal ORDER BY id")
        return [tuple(row) for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_the_video_signals_move_to_the_video_app_with_every_row_and_their_content_type():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    room = video_appointment(start=timezone.now() - dt.timedelta(minutes=5))
    VideoSignal.objects.create(appointment=room.appointment, sender="patient", kind="join", payload={"session": "p"})
    VideoSignal.objects.create(appointment=room.appointment, sender="practitioner", kind="admit", payload={})
    rows = _signal_rows()
    moved_type = ContentType.objects.get_for_model(VideoSignal)
    assert moved_type.app_label == "video" and Permission.objects.filter(content_type=moved_type).count() == 4
    try:
        _migrate(BEFORE_THE_MOVE)
        ContentType.objects.clear_cache()
        assert _signal_rows() == rows
        assert ContentType.objects.get(pk=moved_type.pk).app_label == "booking"
        # A database from before the move, with beat's job under its old name.
        every, _ = IntervalSchedule.objects.get_or_create(every=300, period=IntervalSchedule.SECONDS)
        PeriodicTask.objects.create(name="booking-video-sweep", task="video.tasks.video_sweep_task", interval=every)

        _migrate(latest)
        ContentType.objects.clear_cache()

        assert _signal_rows() == rows
        assert list(VideoSignal.objects.values_list("kind", flat=True)) == ["join", "admit"]
        assert ContentType.objects.get(pk=moved_type.pk).app_label == "video"
        assert Permission.objects.filter(content_type_id=moved_type.pk).count() == 4
        assert not PeriodicTask.objects.filter(name="booking-video-sweep").exists()
    finally:
        _migrate(latest)
        ContentType.objects.clear_cache()
