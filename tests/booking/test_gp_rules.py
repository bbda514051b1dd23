"""The rules of booking with the fastlege (source 004), each both in what the calendar shows and in
«Send bestilling»: a hand-made POST cannot book what the calendar does not offer."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import Appointment
from resourcebooks.models import Practitioner, Slot, Timebook
from tests.factories import (
    CitizenFactory,
    PatientBlockFactory,
    PractitionerFactory,
    RepresentationFactory,
    TimebookFactory,
    VikarAssignmentFactory,
)
from tests.pages import log_in, review_url, text_of, time_url
from tests.world import gp_office

pytestmark = pytest.mark.django_db


def hand_made_post(client, slot: Slot):
    return client.post(review_url(slot), {"reason": "Test", "idempotency_key": str(uuid.uuid4())})


def shows_free(client, slot: Slot) -> bool:
    day = timezone.localtime(slot.start).date().isoformat()
    return timezone.localtime(slot.start).strftime("%H:%M - ") in text_of(
        client.get(time_url(slot.timebook), {"dag": day})
    )


def test_the_own_fastleges_slot_is_shown_and_can_be_booked(client):
    gp = gp_office()
    slot = gp.slot()
    log_in(client, gp.citizen)
    assert shows_free(client, slot)
    assert hand_made_post(client, slot).status_code == 302
    assert Appointment.objects.filter(slot=slot, citizen=gp.citizen).exists()


def test_a_citizen_on_another_fastleges_list_cannot_book_in_this_timebook(client):
    gp = gp_office()
    other = PractitionerFactory(organisation=gp.office, first_name="Elias", middle_name="Psa", last_name="Rud")
    gp.citizen.fastlege = other
    gp.citizen.save()
    slot = gp.slot()
    log_in(client, gp.citizen)
    assert client.get(time_url(gp.timebook)).status_code == 404
    assert hand_made_post(client, slot).status_code == 404
    page = client.get(reverse("booking:practitioner", args=[gp.service.her_id]))
    assert "Tjenesten kunne ikke hente ledige timer" in text_of(page)
    assert not Appointment.objects.exists()


def test_a_fastlege_with_two_timebooks_cannot_be_booked(client):
    gp = gp_office()
    TimebookFactory(
        service=gp.service,
        kind=Timebook.Kind.PRACTITIONER,
        practitioner=gp.fastlege,
        name="Timebok 2",
        owner="",
        type="",
        description="",
    )
    slot = gp.slot()
    log_in(client, gp.citizen)
    assert client.get(time_url(gp.timebook)).status_code == 404
    assert hand_made_post(client, slot).status_code == 404
    assert not Appointment.objects.exists()


def test_a_timebook_not_online_cannot_be_booked(client):
    gp = gp_office()
    Timebook.objects.filter(pk=gp.timebook.pk).update(online=False)
    slot = gp.slot()
    log_in(client, gp.citizen)
    assert client.get(time_url(gp.timebook)).status_code == 404
    assert hand_made_post(client, slot).status_code == 404


def test_a_time_type_not_online_is_not_shown_and_cannot_be_booked(client):
    gp = gp_office()
    gp.phone.online = False
    gp.phone.save()
    slot = gp.slot(gp.phone)
    log_in(client, gp.citizen)
    assert not shows_free(client, slot)
    response = hand_made_post(client, slot)
    assert response.status_code == 400
    assert Slot.objects.get(pk=slot.pk).state == Slot.State.FREE


def test_a_lis1_cannot_be_booked_even_if_set_as_someones_fastlege(client):
    gp = gp_office()
    Practitioner.objects.filter(pk=gp.fastlege.pk).update(role=Practitioner.Role.LIS1)
    slot = gp.slot()
    log_in(client, gp.citizen)
    assert client.get(time_url(gp.timebook)).status_code == 404
    assert hand_made_post(client, slot).status_code == 404


def test_a_lis1_is_never_listed_under_velg_behandler(client):
    gp = gp_office()
    VikarAssignmentFactory(fastlege=gp.fastlege, vikar__first_name="Lise", vikar__role=Practitioner.Role.LIS1)
    log_in(client, gp.citizen)
    assert "Lise" not in text_of(client.get(reverse("booking:practitioner", args=[gp.service.her_id])))


def test_urgent_slots_are_hidden_unless_the_office_allows_them(client):
    gp = gp_office()
    slot = gp.slot(gp.urgent, days=1)
    log_in(client, gp.citizen)
    assert not shows_free(client, slot)
    assert hand_made_post(client, slot).status_code == 400
    assert Slot.objects.get(pk=slot.pk).state == Slot.State.FREE


def test_urgent_slots_open_only_so_many_hours_before_they_start(client):
    gp = gp_office(urgent_online=True, urgent_online_hours_before=48)
    soon = gp.slot(gp.urgent, days=1, hour=10)
    later = gp.slot(gp.urgent, days=5, hour=10)
    log_in(client, gp.citizen)
    assert shows_free(client, soon)
    assert not shows_free(client, later)
    assert hand_made_post(client, later).status_code == 400
    assert hand_made_post(client, soon).status_code == 302


def test_a_blocked_patient_sees_no_free_times_and_cannot_book(client):
    gp = gp_office()
    slot = gp.slot()
    PatientBlockFactory(organisation=gp.office, national_id=gp.citizen.national_id, reason="Test")
    log_in(client, gp.citizen)
    page = text_of(client.get(time_url(gp.timebook)))
    assert "Tjenesten kunne ikke hente ledige timer" in page
    assert hand_made_post(client, slot).status_code == 400
    assert not Appointment.objects.exists()


def test_a_parent_books_with_the_childs_own_fastlege(client):
    gp = gp_office()
    parent_fastlege = PractitionerFactory(organisation=gp.office, first_name="Elias", last_name="Rud")
    parent = CitizenFactory(municipality=gp.citizen.municipality, gp_office=gp.office, fastlege=parent_fastlege)
    child = CitizenFactory(
        municipality=gp.citizen.municipality,
        gp_office=gp.office,
        fastlege=gp.fastlege,
        birth_date=dt.date(2015, 5, 5),
        first_name="Emma",
    )
    RepresentationFactory(representative=parent, represented=child)
    slot = gp.slot()
    log_in(client, parent)
    assert client.get(time_url(gp.timebook)).status_code == 404  # not the parent's own fastlege
    client.post(reverse("citizens:switch_person"), {"person": child.pk})
    assert shows_free(client, slot)
    assert hand_made_post(client, slot).status_code == 302
    appointment = Appointment.objects.get(slot=slot)
    assert (appointment.citizen, appointment.booked_by) == (child, parent)
