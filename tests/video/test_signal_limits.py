"""What a video room takes and keeps: each side may send so many signals a minute and so many in all (a real
negotiation sends a few dozen), past that 429 and nothing stored while the other side still gets in; the SDP and
ICE addresses of a call are wiped when both sides have left it, and a room's signals are deleted once its time
is over (when it is next touched, and by the periodic sweep), never while the call is going on."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string

from booking.models import Appointment
from core.locking import LockBusy
from helsenorge_sim.schedule import PERIODIC_JOBS
from tests.pages import log_in
from tests.video.test_room import Room, send, send_url, signals_url, staff_client, video_appointment
from video.models import VideoSignal
from video.services import (
    VIDEO_SIGNALS_PER_MINUTE,
    VIDEO_SIGNALS_PER_SIDE_MAX,
    VideoSignalLimit,
    video_room_state,
    video_signal_send,
    video_signals_sweep,
)

pytestmark = pytest.mark.django_db

PATIENT = VideoSignal.Sender.PATIENT
PRACTITIONER = VideoSignal.Sender.PRACTITIONER
TOO_FAST = "Du har sendt for mange meldinger til videorommet på kort tid. Vent litt og prøv igjen."
TOO_MANY = "Videorommet har tatt imot for mange meldinger fra deg. Ring legekontoret."
SDP = {"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 192.0.2.7\r\n"}
ICE = {"candidate": "candidate:1 1 udp 2122260223 192.0.2.7 53421 typ host"}


@pytest.fixture
def room() -> Room:
    return video_appointment(start=timezone.now() - dt.timedelta(minutes=5))


def candidate(room: Room, sender: str, *, now: dt.datetime | None = None) -> VideoSignal:
    payload = {"session": sender, "candidate": ICE}
    return video_signal_send(appointment=room.appointment, sender=sender, kind="candidate", payload=payload, now=now)


def stored(room: Room, sender: str) -> int:
    return VideoSignal.objects.filter(appointment=room.appointment, sender=sender).count()


def past_signals(room: Room, sender: str, count: int, *, ago: dt.timedelta) -> None:
    """Signals sent a while ago (as a flood that already happened), straight into the table."""
    at = timezone.now() - ago
    VideoSignal.objects.bulk_create(
        VideoSignal(
            appointment=room.appointment, sender=sender, kind="candidate", payload={"candidate": ICE}, created_at=at
        )
        for _ in range(count)
    )


# --- How much each side may send ---------------------------------------------------------------------------


def test_a_flooding_patient_gets_429_and_nothing_stored_while_the_practitioner_still_gets_in(client, room):
    patient = log_in(client, room.patient)
    statuses = [
        send(patient, room, "candidate", session="p", to="s", candidate=ICE).status_code
        for _ in range(VIDEO_SIGNALS_PER_MINUTE + 3)
    ]
    assert statuses == [200] * VIDEO_SIGNALS_PER_MINUTE + [429] * 3
    refused = send(patient, room, "join", session="p")
    assert refused.status_code == 429 and refused.json()["error"] == TOO_FAST
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert stored(room, PATIENT) == VIDEO_SIGNALS_PER_MINUTE

    staff = staff_client(room.staff)
    assert send(staff, room, "join", session="s").status_code == 200
    assert send(staff, room, "admit", session="s", to="p").status_code == 200
    assert send(staff, room, "offer", session="s", to="p", description=SDP).status_code == 200
    assert video_room_state(appointment=room.appointment).practitioner_in_room


def test_a_side_may_send_again_once_the_minute_has_passed(room):
    start = timezone.now()
    for _ in range(VIDEO_SIGNALS_PER_MINUTE):
        candidate(room, PATIENT, now=start)
    with pytest.raises(VideoSignalLimit) as refused:
        candidate(room, PATIENT, now=start + dt.timedelta(seconds=50))
    assert refused.value.retry_after == 10
    candidate(room, PATIENT, now=start + dt.timedelta(seconds=61))
    assert stored(room, PATIENT) == VIDEO_SIGNALS_PER_MINUTE + 1


def test_a_side_that_has_sent_its_whole_share_is_refused_and_the_other_side_is_not(client, room):
    past_signals(room, PATIENT, VIDEO_SIGNALS_PER_SIDE_MAX, ago=dt.timedelta(minutes=4))
    response = send(log_in(client, room.patient), room, "join", session="p")
    assert response.status_code == 429 and response.json()["error"] == TOO_MANY
    assert stored(room, PATIENT) == VIDEO_SIGNALS_PER_SIDE_MAX

    assert send(staff_client(room.staff), room, "join", session="s").status_code == 200
    assert stored(room, PRACTITIONER) == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_floods_store_no_more_than_the_limit():
    room = video_appointment(start=timezone.now() - dt.timedelta(minutes=5))
    outcomes: list[str] = []

    def flood() -> None:
        try:
            for _ in range(12):
                try:
                    candidate(room, PATIENT)
                    outcomes.append("stored")
                except VideoSignalLimit:
                    outcomes.append("refused")
                except LockBusy:
                    outcomes.append("busy")
        finally:
            connection.close()

    threads = [threading.Thread(target=flood) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("stored") == VIDEO_SIGNALS_PER_MINUTE == stored(room, PATIENT)
    assert outcomes.count("refused") + outcomes.count("busy") == 8 * 12 - VIDEO_SIGNALS_PER_MINUTE


def test_one_signal_is_no_bigger_than_a_description_needs(client, room):
    huge = json.dumps({"session": "p", "description": {"type": "answer", "sdp": "x" * 25_000}})
    response = log_in(client, room.patient).post(send_url(room), {"kind": "answer", "payload": huge})
    assert response.status_code == 409 and response.json()["error"] == "Meldingen til videorommet er ugyldig."
    assert not VideoSignal.objects.exists()


# --- What is kept, and for how long ------------------------------------------------------------------------


def a_call(room: Room) -> None:
    def sig(sender: str, kind: str, **payload: Any) -> None:
        session = "p" if sender == PATIENT else "s"
        video_signal_send(
            appointment=room.appointment, sender=sender, kind=kind, payload={"session": session, **payload}
        )

    sig(PATIENT, "join")
    sig(PRACTITIONER, "join")
    sig(PRACTITIONER, "admit", to="p")
    sig(PRACTITIONER, "offer", to="p", description=SDP)
    sig(PATIENT, "answer", to="s", description={**SDP, "type": "answer"})
    sig(PRACTITIONER, "candidate", to="p", candidate=ICE)
    sig(PATIENT, "candidate", to="s", candidate=ICE)
    sig(PATIENT, "media", to="s", camera=False, microphone=True)


def addresses_kept(room: Room) -> int:
    return sum("192.0.2.7" in json.dumps(p) for p in VideoSignal.objects.values_list("payload", flat=True))


def test_when_both_sides_have_left_the_calls_descriptions_and_addresses_are_wiped(room):
    a_call(room)
    video_signal_send(appointment=room.appointment, sender=PRACTITIONER, kind="leave", payload={"session": "s"})
    assert addresses_kept(room) == 4, "the patient is still in the room: nothing is touched"

    video_signal_send(appointment=room.appointment, sender=PATIENT, kind="leave", payload={"session": "p"})
    assert addresses_kept(room) == 0
    wiped = VideoSignal.objects.filter(kind__in=["offer", "answer", "candidate"])
    assert list(wiped.values_list("payload", flat=True)) == [{}] * 4
    state = video_room_state(appointment=room.appointment)
    assert not state.patient_in_room and not state.practitioner_in_room

    video_signal_send(appointment=room.appointment, sender=PATIENT, kind="join", payload={"session": "p2"})
    assert video_room_state(appointment=room.appointment).patient_waiting


def test_the_sweep_deletes_the_signals_of_closed_rooms_and_keeps_a_call_going_on():
    going_on = video_appointment(start=timezone.now() - dt.timedelta(minutes=5))
    over = video_appointment(start=timezone.now() - dt.timedelta(minutes=20))
    cancelled = video_appointment(start=timezone.now() - dt.timedelta(minutes=5))
    for room in (going_on, over, cancelled):
        past_signals(room, PATIENT, 3, ago=dt.timedelta(minutes=1))
    Appointment.objects.filter(pk=cancelled.appointment.pk).update(status=Appointment.Status.CANCELLED_BY_CLINIC)

    assert video_signals_sweep() == 6
    assert set(VideoSignal.objects.values_list("appointment_id", flat=True)) == {going_on.appointment.pk}
    assert video_signals_sweep() == 0


def test_the_sweep_is_on_the_periodic_schedule():
    task, every = PERIODIC_JOBS["video-sweep"]
    over = video_appointment(start=timezone.now() - dt.timedelta(minutes=20))
    past_signals(over, PRACTITIONER, 2, ago=dt.timedelta(minutes=6))
    assert every <= 600
    assert import_string(task)() == 2 and not VideoSignal.objects.exists()


def test_a_room_whose_time_is_over_forgets_its_signals_when_next_touched(client):
    over = video_appointment(start=timezone.now() - dt.timedelta(minutes=20))
    past_signals(over, PATIENT, 3, ago=dt.timedelta(minutes=6))
    log_in(client, over.patient)
    assert client.get(signals_url(over)).json()["state"]["phase"] == "closed"
    assert not VideoSignal.objects.exists()

    past_signals(over, PRACTITIONER, 3, ago=dt.timedelta(minutes=6))
    response = send(client, over, "join", session="p")
    assert response.status_code == 409 and response.json()["error"] == "Videorommet er stengt."
    assert not VideoSignal.objects.exists()
