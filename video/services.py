"""The video room of a video appointment (issue 13, source 003 «Start video»): when it is open, who is in it,
and the signalling the two browsers exchange through the portal.

The call itself goes straight between the patient's and the practitioner's browsers (WebRTC, no ICE servers, no
video service); the portal only stores and passes on what each side sends, in ``VideoSignal`` rows whose ids
are the cursor each side polls from. The practitioner lets the patient in («Slipp inn») and then makes the
offer; a patient who comes back (a new «join») waits in the lobby again.

What the room takes and keeps (issue 20, finding L8): each side may send ``VIDEO_SIGNALS_PER_MINUTE`` signals in
any minute and ``VIDEO_SIGNALS_PER_SIDE_MAX`` in all, so that one side's flood never fills the room for the
other. When both sides have left, the call's descriptions and ICE addresses (offer, answer, candidates) are
wiped; once the room's time is over (or the appointment has no room any more) all its signals are deleted: when
the room is next touched, and by ``video_signals_sweep`` on the periodic schedule. A room that is open and has
someone in it is never touched.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from booking.errors import BookingError
from booking.models import Appointment
from booking.video_rules import video_room_exists
from core.locking import lock_rows
from resourcebooks.models import TimeType

from .models import VideoSignal

# Source 003 tells the patient to be ready five minutes before; the room lets them in ten minutes earlier still.
VIDEO_ROOM_OPENS_BEFORE = dt.timedelta(minutes=15)
VIDEO_SIGNAL_PAYLOAD_MAX = 20_000  # characters of JSON: an SDP offer with two tracks is a few thousand
# Per side. One negotiation is a few dozen signals (join, admit, the offer or answer, a dozen ICE candidates, the
# camera and microphone); a reload or a restart after a failed connection is another, seconds later.
VIDEO_SIGNALS_PER_MINUTE = 60
VIDEO_SIGNALS_PER_SIDE_MAX = 600  # an hour's call with a few reloads sends a few hundred
VIDEO_RATE_WINDOW = dt.timedelta(minutes=1)
VIDEO_SIGNALS_PER_POLL = 200

Sender = VideoSignal.Sender
Kind = VideoSignal.Kind

# What each side may send: the patient never lets anyone in, and the practitioner is the one who offers.
ALLOWED_KINDS: dict[str, frozenset[str]] = {
    Sender.PATIENT: frozenset({Kind.JOIN, Kind.ANSWER, Kind.CANDIDATE, Kind.MEDIA, Kind.LEAVE}),
    Sender.PRACTITIONER: frozenset({Kind.JOIN, Kind.ADMIT, Kind.OFFER, Kind.CANDIDATE, Kind.MEDIA, Kind.LEAVE}),
}


# What a call leaves behind that says where the two browsers are: wiped as soon as both sides have left.
CALL_CONTENT = (Kind.OFFER, Kind.ANSWER, Kind.CANDIDATE)


class VideoSignalLimit(BookingError):
    """A side sent more than its share: answered 429. ``retry_after``: seconds until it may send again (0 when its
    share of the room is spent)."""

    def __init__(self, message: Any, *, retry_after: int = 0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Phase:
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


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


def _refuse_unless_open(appointment: Appointment, sender: str, kind: str, now: dt.datetime) -> None:
    if not video_room_exists(appointment):
        video_room_forget(appointment=appointment)
        raise BookingError(_("Denne timen har ikke noe videorom."))
    if kind not in ALLOWED_KINDS.get(sender, frozenset()):
        raise BookingError(_("Du kan ikke gjøre dette i videorommet."))
    phase = video_room_phase(appointment, now)
    if phase == Phase.NOT_YET:
        raise BookingError(_("Videorommet er ikke åpnet ennå."))
    if phase == Phase.CLOSED:
        video_room_forget(appointment=appointment)
        raise BookingError(_("Videorommet er stengt."))


def _refuse_over_share(appointment: Appointment, sender: str, now: dt.datetime) -> None:
    """``VideoSignalLimit`` if ``sender`` has sent its share: in all, or in the minute before ``now``."""
    recent = Q(created_at__gt=now - VIDEO_RATE_WINDOW)
    sent = VideoSignal.objects.filter(appointment=appointment, sender=sender).aggregate(
        total=Count("pk"), recent=Count("pk", filter=recent), oldest=Min("created_at", filter=recent)
    )
    if sent["total"] >= VIDEO_SIGNALS_PER_SIDE_MAX:
        raise VideoSignalLimit(_("Videorommet har tatt imot for mange meldinger fra deg. Ring legekontoret."))
    if sent["recent"] >= VIDEO_SIGNALS_PER_MINUTE:
        wait = (sent["oldest"] + VIDEO_RATE_WINDOW - now).total_seconds()
        raise VideoSignalLimit(
            _("Du har sendt for mange meldinger til videorommet på kort tid. Vent litt og prøv igjen."),
            retry_after=max(1, math.ceil(wait)),
        )


def video_signal_send(
    *, appointment: Appointment, sender: str, kind: str, payload: Any = None, now: dt.datetime | None = None
) -> VideoSignal:
    """Store one signal for the other side. Refused while the room is not open, for a kind the sender may not
    send (a patient cannot let anyone in), and with ``VideoSignalLimit`` past the sender's share. A «leave» that
    leaves nobody in the room wipes the call's descriptions and addresses.

    Locks the appointment's row while it counts and stores, so that one room's signals are numbered and committed
    one at a time: the share holds under parallel sends, and no reader's cursor passes a signal still uncommitted.
    A side over its share is turned away before the lock, so that a flood does not queue in front of the other
    side.
    """
    now = now or timezone.now()
    _refuse_unless_open(appointment, sender, kind, now)
    payload = _payload_clean(payload)
    _refuse_over_share(appointment, sender, now)
    with transaction.atomic():
        lock_rows(Appointment.objects.filter(pk=appointment.pk))
        _refuse_over_share(appointment, sender, now)
        signal = VideoSignal.objects.create(
            appointment=appointment, sender=sender, kind=kind, payload=payload, created_at=now
        )
        if kind == Kind.LEAVE:
            _wipe_if_nobody_is_left(appointment)
        return signal


def _wipe_if_nobody_is_left(appointment: Appointment) -> int:
    """The call is over when neither side is in the room: what it said about the two browsers goes. The rows
    stay (without content) until the room closes, so that leaving and coming back does not renew a side's share.
    Call while holding the appointment's lock."""
    state = video_room_state(appointment=appointment)
    if state.patient_in_room or state.practitioner_in_room:
        return 0
    call = VideoSignal.objects.filter(appointment=appointment, kind__in=CALL_CONTENT).exclude(payload={})
    return call.update(payload={})


def video_room_forget(*, appointment: Appointment) -> int:
    """Delete the signals of a room that has closed (its time is over, or the appointment has no room any more).
    Only for a closed room: the callers check. Returns how many were deleted."""
    deleted, _kinds = VideoSignal.objects.filter(appointment=appointment).delete()
    if deleted:
        audit.record("delete", "video_room", appointment.pk, summary=f"Signaler i stengt videorom slettet ({deleted})")
    return deleted


def video_signals_sweep(now: dt.datetime | None = None) -> int:
    """The periodic job: delete the signals of every room that has closed since (its time is over, or the
    appointment was cancelled or moved, or is no longer a video time). Open rooms are not touched."""
    now = now or timezone.now()
    closed = (
        Q(appointment__slot__end__lte=now)
        | ~Q(appointment__status=Appointment.Status.ASSIGNED)
        | ~Q(appointment__slot__time_type__mode=TimeType.Mode.VIDEO)
    )
    rooms = list(
        VideoSignal.objects.filter(closed).values_list("appointment_id").annotate(n=Count("pk")).order_by()[:500]
    )
    if not rooms:
        return 0
    deleted, _kinds = VideoSignal.objects.filter(appointment_id__in=[pk for pk, _n in rooms]).filter(closed).delete()
    for pk, n in rooms:
        audit.record("delete", "video_room", pk, summary=f"Signaler i stengt videorom slettet ({n})")
    return deleted
