"""Who holds the practitioner's side of a video room: the appointment's practitioner, and a vikar set on them
today. The rest of the office (the helsesekretær, another lege), a vikar whose assignment was removed or has
run out, another office's staff, another citizen and anonymous users find no room: 404 on every URL (the
lobby, the signals, and each kind of signal: join, admit, offer, answer, ICE, media, leave), and nothing is
stored. The patient's page therefore only ever receives an offer from the practitioner's side."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from booking.models import Appointment
from booking.services import appointment_book_by_clinic
from resourcebooks.gp_services import vikar_remove
from resourcebooks.models import Practitioner, StaffMembership
from tests.factories import (
    CitizenFactory,
    PractitionerFactory,
    SlotFactory,
    StaffMembershipFactory,
    VikarAssignmentFactory,
)
from tests.pages import log_in
from tests.world import GpOffice, gp_office
from video.models import VideoSignal

pytestmark = pytest.mark.django_db

Role = StaffMembership.Role
KINDS = ("join", "admit", "offer", "answer", "candidate", "media", "leave")


@dataclass
class Room:
    gp: GpOffice
    appointment: Appointment

    def page(self) -> str:
        return reverse("video:room", args=[self.appointment.pk])

    def signals(self, cursor: int = 0) -> str:
        return reverse("video:signals", args=[self.appointment.pk]) + f"?etter={cursor}"

    def send_url(self) -> str:
        return reverse("video:signal_send", args=[self.appointment.pk])


@pytest.fixture
def room() -> Room:
    """Thomas's «Videotime» in his fastlege August September's own timebook, started five minutes ago."""
    gp = gp_office()
    start = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=5)
    end = start + dt.timedelta(minutes=30)
    slot = SlotFactory(timebook=gp.timebook, location=gp.location, time_type=gp.video, start=start, end=end)
    return Room(gp, appointment_book_by_clinic(person=gp.citizen, slot=slot, reason="Utslett"))


def staff_at(room: Room, *, role: str = Role.LEGE, practitioner: Practitioner | None = None) -> Client:
    user = StaffMembershipFactory(
        organisation=room.gp.office, role=role, practitioner=practitioner, user__is_staff=True
    ).user
    client = Client()
    client.force_login(user)
    return client


def vikar_of(room: Room, **assignment: Any) -> Practitioner:
    return VikarAssignmentFactory(fastlege=room.gp.fastlege, **assignment).vikar


def send(client: Client, room: Room, kind: str, **payload: Any) -> Any:
    return client.post(room.send_url(), {"kind": kind, "payload": json.dumps(payload)})


def a_whole_call(client: Client, room: Room) -> list[int]:
    """What the practitioner's page does in a call: the lobby, polling, and every kind it sends."""
    statuses = [client.get(room.page()).status_code, client.get(room.signals()).status_code]
    payloads = {
        "admit": {"to": "p"},
        "offer": {"to": "p", "description": {"type": "offer", "sdp": "v=0"}},
        "candidate": {"to": "p", "candidate": {"candidate": "candidate:1 1 udp 1 192.0.2.7 5000 typ host"}},
        "media": {"camera": False},
    }
    for kind in ("join", "admit", "offer", "candidate", "media", "leave"):
        statuses.append(send(client, room, kind, session="s", **payloads.get(kind, {})).status_code)
    return statuses


def refused_everywhere(client: Client, room: Room, *, page: int = 404, json_status: int = 404) -> None:
    before = VideoSignal.objects.count()
    assert client.get(room.page()).status_code == page
    assert client.get(room.signals()).status_code == json_status
    for kind in KINDS:
        payload = {"to": "p", "description": {"type": kind, "sdp": "v=0"}}
        assert send(client, room, kind, session="x", **payload).status_code == json_status, kind
    assert VideoSignal.objects.count() == before


def test_the_appointments_practitioner_holds_the_room(room):
    fastlege = staff_at(room, practitioner=room.gp.fastlege)
    assert a_whole_call(fastlege, room) == [200] * 8
    assert fastlege.get(room.page()).context["role"] == VideoSignal.Sender.PRACTITIONER


def test_a_vikar_set_on_the_practitioner_today_holds_the_room(room):
    vikar = staff_at(room, practitioner=vikar_of(room))
    assert a_whole_call(vikar, room) == [200] * 8


def test_the_offices_helsesekretaer_finds_no_room(room):
    refused_everywhere(staff_at(room, role=Role.HELSESEKRETAER), room)


def test_another_lege_at_the_office_finds_no_room(room):
    other = PractitionerFactory(organisation=room.gp.office, first_name="Kari", last_name="Kollega")
    refused_everywhere(staff_at(room, practitioner=other), room)
    refused_everywhere(staff_at(room, role=Role.LEGE), room)  # a lege who is no practitioner


def test_a_vikar_finds_no_room_once_removed(room):
    vikar = staff_at(room, practitioner=vikar_of(room))
    assert vikar.get(room.signals()).status_code == 200
    vikar_remove(fastlege=room.gp.fastlege)
    refused_everywhere(vikar, room)


def test_a_vikar_whose_period_is_over_or_not_begun_finds_no_room(room):
    today = timezone.localdate()
    ended = vikar_of(room, valid_from=today - dt.timedelta(days=10), valid_to=today - dt.timedelta(days=1))
    refused_everywhere(staff_at(room, practitioner=ended), room)
    coming = vikar_of(room, vikar__first_name="Ingar", valid_from=today + dt.timedelta(days=1))
    refused_everywhere(staff_at(room, practitioner=coming), room)


def test_another_offices_practitioner_and_a_superuser_find_no_room(room, django_user_model):
    elsewhere = StaffMembershipFactory(
        role=Role.LEGE, practitioner=PractitionerFactory(first_name="Annen", last_name="September"), user__is_staff=True
    ).user
    superuser = django_user_model.objects.create_superuser("rot", password="x")
    for user in (elsewhere, superuser):
        client = Client()
        client.force_login(user)
        refused_everywhere(client, room)


def test_another_citizen_and_anonymous_find_no_room(room):
    refused_everywhere(log_in(Client(), CitizenFactory(first_name="Ukjent")), room)
    refused_everywhere(Client(), room, page=302, json_status=403)


def test_the_patient_receives_an_offer_only_from_the_practitioners_side(room):
    patient = log_in(Client(), room.gp.citizen)
    assert send(patient, room, "join", session="p").status_code == 200
    for role in (Role.HELSESEKRETAER, Role.LEGE):
        intruder = staff_at(room, role=role)
        assert send(intruder, room, "admit", session="i", to="p").status_code == 404
        assert send(intruder, room, "offer", session="i", to="p", description={"sdp": "intruder"}).status_code == 404
    data = patient.get(room.signals()).json()
    assert data["signals"] == [] and data["state"]["patient_waiting"]

    fastlege = staff_at(room, practitioner=room.gp.fastlege)
    send(fastlege, room, "admit", session="s", to="p")
    send(fastlege, room, "offer", session="s", to="p", description={"sdp": "fastlege"})
    offers = [s for s in patient.get(room.signals()).json()["signals"] if s["kind"] == "offer"]
    assert [o["payload"]["description"]["sdp"] for o in offers] == ["fastlege"]


def test_in_a_resource_timebook_the_offices_clinicians_hold_the_room_but_not_the_reception(room):
    """A resource timebook (a lab, a vaccination) has no owner: the office's staff hold its video times, except
    the reception and the clinic's administrator, who hold no consultations."""
    lab = room.gp.timebook
    lab.kind, lab.practitioner, lab.type = "resource", None, "lab"
    lab.save(update_fields=["kind", "practitioner", "type"])
    for role in (Role.SYKEPLEIER, Role.LEGE, ""):
        assert staff_at(room, role=role).get(room.signals()).status_code == 200, role
    for role in (Role.HELSESEKRETAER, Role.ADMINISTRATOR):
        refused_everywhere(staff_at(room, role=role), room)
