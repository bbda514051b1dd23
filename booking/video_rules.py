"""What booking knows of an appointment's video room, for its own pages (the appointment's «Start video», the
clinic admin's) and for the ``video`` app that runs the room: whether the appointment has one, and who holds the
practitioner's side (issue 13; issue 20, finding M2).

Only the appointment's practitioner does: in a practitioner's own timebook its owner, and each vikar set on the
owner today (source 004: the vikar works in the fastlege's timebook while the assignment is set). Being on the
office's staff is not enough: the helsesekretær, another lege, or a vikar whose assignment was removed or has
run out would otherwise read the patient's arrival and make the offer the patient's page answers.

A resource timebook (a lab, a vaccination) has no owner; its video times are held by the organisation's staff,
except the reception and the clinic administrator, who hold no consultations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from resourcebooks.models import StaffMembership, TimeType, VikarAssignment

from .models import Appointment

NOT_CLINICAL = (StaffMembership.Role.HELSESEKRETAER, StaffMembership.Role.ADMINISTRATOR)


def may_hold_video_room(user: Any, appointment: Appointment, *, day: dt.date | None = None) -> bool:
    """Whether ``user`` may be the practitioner in ``appointment``'s video room on ``day`` (today). One query."""
    if not user.is_authenticated:
        return False
    timebook = appointment.slot.timebook
    memberships = StaffMembership.objects.filter(user_id=user.pk, organisation_id=timebook.service.organisation_id)
    owner_id = timebook.practitioner_id
    if owner_id is None:
        return memberships.exclude(role__in=NOT_CLINICAL).exists()
    day = day or timezone.localdate()
    covering = (
        VikarAssignment.objects.filter(fastlege_id=owner_id, removed_at__isnull=True, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .values("vikar_id")
    )
    return memberships.filter(Q(practitioner_id=owner_id) | Q(practitioner_id__in=covering)).exists()


def video_room_exists(appointment: Appointment) -> bool:
    """A room exists for an assigned appointment on a video time (the slot's time type, mode «video»)."""
    time_type = appointment.slot.time_type
    return (
        appointment.status == Appointment.Status.ASSIGNED
        and time_type is not None
        and time_type.mode == TimeType.Mode.VIDEO
    )
