"""Source 003 from end to end in Chromium (issue 13): the ten steps for a Videotime that starts in about ten
minutes (so its room, open from 15 minutes before the start, is open), «Start video» on the appointment, and then
the call itself between the citizen and the fastlege, a staff user of the GP office who logs in through the staff
login (only the appointment's practitioner, or a vikar set on them, holds the room).

The walk is ``walk`` of ``test_gp_booking``; the call's browser (fake camera and microphone), the staff login
and the wait for the other side's video are those of ``test_video_call``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from booking.demo import STAFF_BOOKING_PERMISSIONS
from booking.models import Appointment
from resourcebooks.demo import staff_group
from resourcebooks.models import StaffMembership
from tests.browser import test_video_call as video_call
from tests.browser.conftest import new_context
from tests.browser.test_gp_booking import walk
from tests.browser.test_video_call import STAFF_PASSWORD, log_in_staff, reopen, wait_for_remote_video
from tests.factories import StaffMembershipFactory
from tests.world import GpOffice, gp_office
from video.models import VideoSignal

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_server", "transactional_db")]

# Chromium with the fake media flags, shared with the video call tests (a fixture, taken by assignment).
media_browser = video_call.media_browser

STAFF_USERNAME = "lege-august"


@pytest.fixture
def gp(transactional_db: None) -> GpOffice:
    """Committed, so the live server's thread sees it: the office with its kartleggingsskjema, and the fastlege's
    staff user with the demo staff group's permissions (resourcebooks and booking), like the demo's own."""
    office = gp_office(survey_choices="Sykdom\nKontroll\nAttest")
    # Step 10 shows «Avbestill time» only before the timebook's cancellation deadline (24 hours by default); a
    # time ten minutes away is past it, so this office lets its patients cancel online until the start.
    office.timebook.cancellation_deadline_hours = 0
    office.timebook.save(update_fields=["cancellation_deadline_hours"])
    group = staff_group()
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="booking", codename__in=STAFF_BOOKING_PERMISSIONS)
    )
    user = StaffMembershipFactory(
        organisation=office.office,
        role=StaffMembership.Role.LEGE,
        practitioner=office.fastlege,
        user__username=STAFF_USERNAME,
        user__first_name="August",
        user__last_name="September",
        user__is_staff=True,
        user__password=STAFF_PASSWORD,
    ).user
    user.groups.add(group)
    return office


@pytest.fixture
def two_pages(media_browser: Browser, live_server: Any) -> Iterator[tuple[Page, Page]]:
    """The citizen's and the staff user's browser profiles, both with the fake camera and microphone."""
    citizen = new_context(media_browser, live_server.url)
    staff = new_context(media_browser, live_server.url)
    pages = citizen.new_page(), staff.new_page()
    yield pages
    # Leave the room first and let the live server finish what the pages last sent: a poll still running when the
    # test database is flushed makes SQLite answer the flush with «table is locked».
    for page in pages:
        page.goto("about:blank")
    pages[0].wait_for_timeout(500)
    citizen.close()
    staff.close()


def in_the_room(page: Page, room: str) -> None:
    """On the room's page; opened again if SQLite answered the first load with «table is locked» (a 500)."""
    if not page.locator("#video-room").count():
        reopen(page, room)


def staff_enters(page: Page, room: str) -> None:
    """The staff login with the room as ``next``, again if SQLite answered the login with «table is locked» (a 500
    on the login page, whose own address ``…?next=<room>`` also ends with the room, so ``log_in_staff`` does not
    notice), and then the room."""
    for _ in range(3):
        log_in_staff(page, STAFF_USERNAME, room)
        if urlparse(page.url).path == room:
            in_the_room(page, room)
            return
        page.wait_for_timeout(300)
    pytest.fail(f"the staff login did not lead to {room}")


def test_the_ten_steps_for_a_videotime_and_then_the_call_with_the_fastleges_office(
    two_pages: tuple[Page, Page], gp: GpOffice
) -> None:
    citizen, staff = two_pages
    start = timezone.localtime(timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=10))
    days = (start.date() - timezone.localdate()).days
    slot = gp.slot(gp.video, days=days, hour=start.hour, minutes=start.minute)

    walk(citizen, gp, slot)  # steps 1–10, ending on the appointment with «Start video»

    appointment = Appointment.objects.get(slot=slot)
    assert appointment.status == Appointment.Status.ASSIGNED
    start_video = citizen.get_by_role("link", name="Start video")
    room = start_video.get_attribute("href") or ""
    assert room == reverse("video:room", args=[appointment.pk]), room
    start_video.click()
    citizen.wait_for_url(lambda url: url.endswith(room))
    in_the_room(citizen, room)
    expect(citizen.locator("#video-status")).to_have_text("Venter på at behandleren skal slippe deg inn")

    staff_enters(staff, room)  # /ansatt/logg-inn/?next=<the room>
    expect(staff.get_by_text("Pasienten venter i venterommet.")).to_be_visible(timeout=10_000)
    staff.get_by_role("button", name="Slipp inn").click()

    # Each side receives the other's camera.
    for page in (citizen, staff):
        seen = wait_for_remote_video(page)
        assert seen["tracks"] == 1 and seen["live"] == 1 and seen["width"] > 0, seen
        expect(page.locator("#video-status")).to_have_text("Du er i videotimen.")

    # «Forlat» ends the call on both sides.
    citizen.get_by_role("button", name="Forlat").click()
    expect(citizen.locator("#video-status")).to_have_text("Du har forlatt videotimen.")
    expect(staff.locator("#video-status")).to_have_text("Pasienten har forlatt videotimen.")
    for page in (citizen, staff):
        assert page.evaluate("() => document.getElementById('video-remote').srcObject") is None
    # The patient's last word is «leave», after being let in. (A trickled ICE candidate or the camera state of the
    # practitioner may be stored just after it: the two sides send independently.)
    kinds = list(VideoSignal.objects.filter(appointment=appointment).values_list("sender", "kind").order_by("pk"))
    patient = [kind for sender, kind in kinds if sender == "patient"]
    assert patient[0] == "join" and patient[-1] == "leave", kinds
    assert kinds.index(("practitioner", "admit")) < kinds.index(("patient", "leave")), kinds
