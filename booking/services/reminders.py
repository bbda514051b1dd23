"""The reminder 48–24 hours before the appointment (source 004)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import Appointment
from ..notify import appointment_notify
from .transitions import APPOINTMENT_RELATED

REMINDER_WINDOW = (dt.timedelta(hours=24), dt.timedelta(hours=48))


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """The reminder 48–24 hours before (source 004): claim each assigned appointment that has entered the
    window with a conditional update, and write its reminders in the same transaction.

    Two runs at the same moment cannot both claim an appointment, and the dedupe keys would stop a second
    reminder anyway. The window is absolute time, so it is right across a DST change. An appointment
    confirmed when it was already inside the window gets no reminder: its confirmation came just now.
    Long ETA tasks are never used (Redis redelivers them); a beat task calls this every few minutes.
    """
    now = now or timezone.now()
    nearest, farthest = REMINDER_WINDOW
    due = list(
        Appointment.objects.filter(
            status=Appointment.Status.ASSIGNED,
            reminder_claimed_at__isnull=True,
            slot__start__gt=now + nearest,
            slot__start__lte=now + farthest,
            decided_at__lt=F("slot__start") - farthest,
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in due:
        with transaction.atomic():
            claimed = Appointment.objects.filter(
                pk=pk, reminder_claimed_at__isnull=True, status=Appointment.Status.ASSIGNED
            ).update(reminder_claimed_at=now)
            if claimed != 1:
                continue  # another run got there first
            appointment = Appointment.objects.select_related(*APPOINTMENT_RELATED).get(pk=pk)
            appointment_notify(appointment, "reminder")
            sent += 1
    return sent
