"""The behandler chosen under «Velg behandler» (source 003, step 6) is the one the appointment is with (issue 22,
item 1): the review said «Time hos Astrid», so Innboks, the channels, the appointment page and list, the calendar
file and the office's day and week all name Astrid, not the fastlege whose timebook it is in."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from booking.demo import STAFF_BOOKING_PERMISSIONS
from booking.models import Appointment
from notifications.models import Notification
from resourcebooks.demo import staff_group
from tests.factories import StaffMembershipFactory, VikarAssignmentFactory
from tests.pages import log_in, review_url, send_booking, text_of
from tests.world import gp_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked_with_astrid(client, django_capture_on_commit_callbacks):
    """Thomas chooses the vikar Astrid, books a video time and the office's journal system confirms it."""
    gp = gp_office()
    vikar = VikarAssignmentFactory(fastlege=gp.fastlege).vikar
    slot = gp.slot(gp.video, hour=9)
    log_in(client, gp.citizen)
    client.get(reverse("booking:practitioner", args=[gp.service.her_id]), {"behandler": vikar.pk})
    assert "Time hos Astrid" in text_of(client.get(review_url(slot)))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_booking(client, slot, "Sykmelding").status_code == 302
    appointment = Appointment.objects.get(slot=slot)
    assert appointment.status == Appointment.Status.ASSIGNED
    return gp, appointment


def log_in_office_staff(client, gp) -> None:
    staff_group()
    membership = StaffMembershipFactory(organisation=gp.office, user__is_staff=True)
    group = Group.objects.get(name="Klinikkansatt")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="booking", codename__in=STAFF_BOOKING_PERMISSIONS)
    )
    membership.user.groups.add(group)
    client.force_login(membership.user)


def test_the_appointment_page_and_list_name_the_vikar(client, booked_with_astrid):
    _gp, appointment = booked_with_astrid

    page = text_of(client.get(reverse("booking:appointment", args=[appointment.pk])))
    listed = text_of(client.get(reverse("booking:appointments")))

    assert "Behandler: Vikar for fastlege Astrid Info" in page
    assert "August" not in page
    assert "Behandler: Vikar for fastlege Astrid Info" in listed


def test_innboks_tells_of_the_time_hos_astrid_from_astrid(booked_with_astrid):
    _gp, appointment = booked_with_astrid

    message = appointment.messages.get()

    assert message.sender == "Astrid Info (vikar for fastlege)"
    assert " hos Astrid.\n" in message.body


def test_sms_email_and_push_name_the_vikar(booked_with_astrid):
    gp, _appointment = booked_with_astrid

    sent = Notification.objects.filter(recipient_key=f"citizen:{gp.citizen.pk}", event="confirmed")

    assert sent.exists()
    for notification in sent:
        assert "hos Astrid Info (vikar for fastlege) " in notification.text
        assert "August" not in notification.text


def test_the_calendar_file_names_the_vikar(client, booked_with_astrid):
    _gp, appointment = booked_with_astrid

    body = client.get(reverse("booking:ics", args=[appointment.pk])).content.decode()
    unfolded = re.sub(r"\r\n[ \t]", "", body)

    assert "Behandler: Vikar for fastlege Astrid Info" in unfolded


def test_the_offices_day_and_week_show_the_behandler(client, booked_with_astrid):
    gp, appointment = booked_with_astrid
    log_in_office_staff(client, gp)
    day = timezone.localtime(appointment.slot.start).date().isoformat()

    day_view = text_of(client.get(reverse("admin:resourcebooks_timebook_day", args=[gp.timebook.pk]), {"dato": day}))
    week_view = text_of(client.get(reverse("admin:resourcebooks_timebook_week", args=[gp.timebook.pk]), {"dato": day}))

    assert "Behandler" in day_view
    assert "Astrid Psa Info (vikar for fastlege)" in day_view
    assert "Astrid Psa Info (vikar for fastlege)" in week_view


def test_the_fastlege_chosen_or_no_choice_keeps_fastlege_august_september(client, django_capture_on_commit_callbacks):
    gp = gp_office()
    VikarAssignmentFactory(fastlege=gp.fastlege)
    slot = gp.slot(gp.konsultasjon, hour=11)
    log_in(client, gp.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        send_booking(client, slot, "Test")
    appointment = Appointment.objects.get(slot=slot)

    page = text_of(client.get(reverse("booking:appointment", args=[appointment.pk])))

    assert appointment.behandler == gp.fastlege
    assert "Behandler: Fastlege August September" in page
    assert " hos August.\n" in appointment.messages.get().body


def test_the_offices_appointment_page_names_the_behandler(client, booked_with_astrid):
    gp, appointment = booked_with_astrid
    log_in_office_staff(client, gp)

    page = text_of(client.get(reverse("admin:booking_appointment_change", args=[appointment.pk])))

    assert "Behandler: Astrid Psa Info (vikar for fastlege)" in page
