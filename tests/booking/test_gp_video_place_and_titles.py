"""One oppmøtested per time type in every channel (issue 22, item 4): a Videotime is «Oppmøtested: Videotime» on
the appointment page (source 003), and so in the SMS, push, e-mail, the calendar file and the office's day view; and
Timeavtaler lists an appointment by its title, never the journal system's timebook name (item 5)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from booking.models import Appointment
from notifications.models import Notification
from resourcebooks.demo import staff_group
from tests.factories import StaffMembershipFactory
from tests.pages import log_in, send_booking, text_of
from tests.world import gp_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(client, django_capture_on_commit_callbacks):
    gp = gp_office()
    gp.location.attendance_place = "Storgata 1, 0155 Oslo"
    gp.location.save()
    slot = gp.slot(gp.video, hour=9)
    log_in(client, gp.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        send_booking(client, slot, "Test")
    return gp, Appointment.objects.get(slot=slot)


def test_a_videotime_is_oppmotested_videotime_on_every_channel(video):
    gp, _appointment = video

    sent = Notification.objects.filter(recipient_key=f"citizen:{gp.citizen.pk}", event="confirmed")

    assert {n.channel for n in sent} >= {"sms", "push"}
    for notification in sent:
        assert "Oppmøtested: Videotime." in notification.text, notification.channel
        assert "Storgata" not in notification.text


def test_a_videotime_is_videotime_on_the_page_and_in_the_calendar_file(client, video):
    _gp, appointment = video

    page = text_of(client.get(reverse("booking:appointment", args=[appointment.pk])))
    ics = re.sub(r"\r\n[ \t]", "", client.get(reverse("booking:ics", args=[appointment.pk])).content.decode())

    assert "Oppmøtested: Videotime" in page
    assert "LOCATION:Videotime" in ics


def test_the_offices_day_view_shows_videotime_as_the_place(client, video):
    gp, appointment = video
    staff_group()
    membership = StaffMembershipFactory(organisation=gp.office, user__is_staff=True)
    membership.user.groups.add(Group.objects.get(name="Klinikkansatt"))
    client.force_login(membership.user)
    day = timezone.localtime(appointment.slot.start).date().isoformat()

    page = text_of(client.get(reverse("admin:resourcebooks_timebook_day", args=[gp.timebook.pk]), {"dato": day}))

    assert "09:00 - 09:15 Videotime Videotime" in page
    assert "Storgata" not in page


def test_an_in_person_time_keeps_the_locations_place(client, django_capture_on_commit_callbacks):
    gp = gp_office()
    slot = gp.slot(gp.konsultasjon, hour=13)
    log_in(client, gp.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        send_booking(client, slot, "Test")

    sms = Notification.objects.get(recipient_key=f"citizen:{gp.citizen.pk}", event="confirmed", channel="sms")

    assert "Oppmøtested: DDFL Test(u)." in sms.text


def test_timeavtaler_lists_the_appointments_title_not_the_timebook_name(client, video):
    _gp, appointment = video

    listed = text_of(client.get(reverse("booking:appointments")))
    title = text_of(client.get(reverse("booking:appointment", args=[appointment.pk])))

    assert "kl. 09:00: Videotime hos DDFL CGM Test" in listed
    assert "kl. 09:00: Videotime hos DDFL CGM Test" in title
    assert "Timebok Test" not in listed
