"""The video room of a video appointment (issue 13, source 003 «Start video»): when it is open, who is in it,
and the signalling the two browsers exchange through the portal.

The call itself goes straight between the patient's and the practitioner's browsers (WebRTC, no ICE servers, no
video service); the portal only stores and passes on what each side sends, in ``VideoSignal`` rows whose ids
are the cursor each side polls from. The practitioner lets the patient in («Slipp inn») and then makes the
offer; a patient who comes back (a new «join») waits in the lobby again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from resourcebooks.models import TimeType

from ..errors import BookingError
from ..models import Appointment, VideoSignal

# Source 003 tells the patient to be ready five minutes before; the room lets them in ten minutes earlier still.
VIDEO_ROOM_OPENS_BEFORE = dt.timedelta(minutes=15)
VIDEO_SIGNAL_PAYLOAD_MAX = 20_000  # characters of JSON: an SDP offer with two tracks is a few thousand
VIDEO_SIGNALS_PER_ROOM_MAX = 3_000  # a call of an hour sends a few hundred; this stops a runaway page
VIDEO_SIGNALS_PER_POLL = 200

Sender = VideoSignal.Sender
Kind = VideoSignal.Kind

# What each side may send: the patient never lets anyone in, and the practitioner is the one who offers.
ALLOWED_KINDS: dict[str, frozenset[str]] = {
    Sender.PATIENT: frozenset({Kind.JOIN, Kind.ANSWER, Kind.CANDIDATE, Kind.MEDIA, Kind.LEAVE}),
    Sender.PRACTITIONER: frozenset({Kind.JOIN, Kind.ADMIT, Kind.OFFER, Kind.CANDIDATE, Kind.MEDIA, Kind.LEAVE}),
}


class Phase:
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


def video_room_exists(appointment: Appointment) -> bool:
    """A room exists for an assigned appointment on a video time (the slot's time type, mode «video»)."""
    time_type = appointment.slot.time_type
    return (
        appointment.status == Appointment.Status.ASSIGNED
        and time_type is not None
        and time_type.mode == TimeType.Mode.VIDEO
    )


def video_room_opens_at(appointment: Appointment) -> dt.datetime:
    return appointment.slot.start - VIDEO_ROOM_OPENS_BEFORE


def video_room_phase(appointment: Appointment, now: dt.datetime | None = None) -> str:
    """Open from 15 minutes before the start until the end; before that not yet, after it closed."""
    now = now or timezone.now()
    if now < video_room_opens_at(appointment):
        return Phase.NOT_YET
    if now >= appointment.slot.end:
        return Phase.CLOSED
    return Phase.OPEN


@dataclass(frozen=True)
class VideoRoomState:
    """Who is in the room, worked out from the signals: the last «join» of a side counts, unless that side
    has left since; the patient is let in by an «admit» after their last «join»."""

    phase: str
    cursor: int  # the last signal's id (0 when there is none)
    patient_in_room: bool
    patient_admitted: bool
    practitioner_in_room: bool
    patient_join_id: int | None
    practitioner_join_id: int | None

    @property
    def patient_waiting(self) -> bool:
        return self.patient_in_room and not self.patient_admitted

    def as_json(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "patient_waiting": self.patient_waiting,
            "patient_admitted": self.patient_admitted,
            "patient_in_room": self.patient_in_room,
            "practitioner_in_room": self.practitioner_in_room,
        }


def _present(signals: QuerySet[VideoSignal], join_id: int | None, leave_id: int | None) -> bool:
    """In the room: joined, and not left since. A «leave» after the last «join» from another page (session)
    does not count: a page that is reloaded sends its «leave» beacon as it unloads, and that can arrive after
    the new page's «join»."""
    if join_id is None:
        return False
    if leave_id is None or join_id > leave_id:
        return True
    sessions = dict(signals.filter(pk__in=[join_id, leave_id]).values_list("pk", "payload__session"))
    joined, left = sessions.get(join_id), sessions.get(leave_id)
    return joined is not None and left is not None and joined != left


def video_room_state(*, appointment: Appointment, now: dt.datetime | None = None) -> VideoRoomState:
    """The room as the signals leave it, in one aggregate query."""

    def last(sender: str, kind: str) -> Max:
        return Max("pk", filter=Q(sender=sender, kind=kind))

    signals = VideoSignal.objects.filter(appointment=appointment)
    ids = signals.aggregate(
        cursor=Max("pk"),
        patient_join=last(Sender.PATIENT, Kind.JOIN),
        patient_leave=last(Sender.PATIENT, Kind.LEAVE),
        practitioner_join=last(Sender.PRACTITIONER, Kind.JOIN),
        practitioner_leave=last(Sender.PRACTITIONER, Kind.LEAVE),
        admit=last(Sender.PRACTITIONER, Kind.ADMIT),
    )
    patient_in_room = _present(signals, ids["patient_join"], ids["patient_leave"])
    admitted = patient_in_room and ids["admit"] is not None and ids["admit"] > ids["patient_join"]
    return VideoRoomState(
        phase=video_room_phase(appointment, now),
        cursor=ids["cursor"] or 0,
        patient_in_room=patient_in_room,
        patient_admitted=admitted,
        practitioner_in_room=_present(signals, ids["practitioner_join"], ids["practitioner_leave"]),
        patient_join_id=ids["patient_join"],
        practitioner_join_id=ids["practitioner_join"],
    )


def video_start_cursor(state: VideoRoomState, *, me: str) -> int:
    """Where a side that opens the room starts reading: just before the other side's last «join» while the
    other side is in the room (so that it learns who is there), else after everything sent so far."""
    if me == Sender.PATIENT:
        other_join, other_here = state.practitioner_join_id, state.practitioner_in_room
    else:
        other_join, other_here = state.patient_join_id, state.patient_in_room
    return other_join - 1 if other_here and other_join is not None else state.cursor


def video_signals_after(*, appointment: Appointment, cursor: int, me: str) -> list[VideoSignal]:
    """What the other side sent after ``cursor``, oldest first, at most ``VIDEO_SIGNALS_PER_POLL``."""
    return list(
        VideoSignal.objects.filter(appointment=appointment, pk__gt=cursor)
        .exclude(sender=me)
        .order_by("pk")[:VIDEO_SIGNALS_PER_POLL]
    )


def _payload_clean(payload: Any) -> dict[str, Any]:
    if payload is None:
        return {}
    if not isinstance(payload, dict) or len(json.dumps(payload)) > VIDEO_SIGNAL_PAYLOAD_MAX:
        raise BookingError(_("Meldingen til videorommet er ugyldig."))
    return payload


def video_signal_send(
    *, appointment: Appointment, sender: str, kind: str, payload: Any = None, now: dt.datetime | None = None
) -> VideoSignal:
    """Store one signal for the other side. Refused while the room is not open, for a kind the sender may not
    send (a patient cannot let anyone in), and past ``VIDEO_SIGNALS_PER_ROOM_MAX``.

    Takes no lock: two signals sent at once are both kept, in the order the database numbers them, which is
    the order the other side reads them in; the per-room limit may be passed by a few, which is harmless.
    """
    now = now or timezone.now()
    if not video_room_exists(appointment):
        raise BookingError(_("Denne timen har ikke noe videorom."))
    if kind not in ALLOWED_KINDS.get(sender, frozenset()):
        raise BookingError(_("Du kan ikke gjøre dette i videorommet."))
    phase = video_room_phase(appointment, now)
    if phase == Phase.NOT_YET:
        raise BookingError(_("Videorommet er ikke åpnet ennå."))
    if phase == Phase.CLOSED:
        raise BookingError(_("Videorommet er stengt."))
    payload = _payload_clean(payload)
    with transaction.atomic():
        if VideoSignal.objects.filter(appointment=appointment).count() >= VIDEO_SIGNALS_PER_ROOM_MAX:
            raise BookingError(_("Videorommet har tatt imot for mange meldinger. Ring legekontoret."))
        return VideoSignal.objects.create(
            appointment=appointment, sender=sender, kind=kind, payload=payload, created_at=now
        )
