"""«Start video» for real (issue 13): two Chromium profiles on this machine, the patient's and the practitioner's,
with Chromium's fake camera and microphone, call each other through the portal's signalling. No ICE servers and
no video service: the call goes straight between the two browsers."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, Playwright, expect

from addressregistry.models import Organisation
from booking.services import appointment_book_by_clinic
from resourcebooks.models import TimeType
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    assert_no_serious_axe_violations,
    log_in_citizen,
    new_context,
)
from tests.factories import (
    CitizenFactory,
    OrganisationFactory,
    ServiceFactory,
    SlotFactory,
    StaffMembershipFactory,
    TimebookFactory,
    TimeTypeFactory,
)
from video.models import VideoSignal
from video.services import VIDEO_SIGNALS_PER_MINUTE

pytestmark = pytest.mark.browser

MEDIA_ARGS = [
    "--use-fake-ui-for-media-stream",  # camera and microphone allowed without asking
    "--use-fake-device-for-media-stream",  # a generated picture and tone instead of real devices
    "--allow-loopback-in-peer-connection",  # both ends are on this machine
]
STAFF_PASSWORD = "pw-video-123"

REMOTE_VIDEO = """() => {
    const video = document.getElementById('video-remote');
    const stream = video.srcObject;
    return {
        tracks: stream ? stream.getVideoTracks().length : 0,
        live: stream ? stream.getVideoTracks().filter((t) => t.readyState === 'live').length : 0,
        width: video.videoWidth,
        playing: !video.paused && video.readyState >= 2,
    };
}"""

LOCAL_CAMERA_ENABLED = "() => document.getElementById('video-local').srcObject.getVideoTracks()[0].enabled"


@pytest.fixture(scope="module")
def media_browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *MEDIA_ARGS]
    )
    yield browser
    browser.close()


@pytest.fixture
def video_room(transactional_db: None) -> dict[str, Any]:
    """Pia's «Videotime» at a GP office, started five minutes ago, and Lege Lise who works there."""
    office = OrganisationFactory(name="Testlegekontoret", kind=Organisation.Kind.GP_OFFICE)
    timebook = TimebookFactory(service=ServiceFactory(organisation=office), type="lab", name="Legetimer")
    video = TimeTypeFactory(organisation=office, name="Videotime", mode=TimeType.Mode.VIDEO)
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    slot = SlotFactory(timebook=timebook, time_type=video, start=start, end=start + dt.timedelta(minutes=30))
    patient = CitizenFactory(first_name="Pia", last_name="Pasient", listed_on_test_login=True)
    appointment = appointment_book_by_clinic(person=patient, slot=slot, reason="Utslett")
    staff = StaffMembershipFactory(
        organisation=office,
        user__username="lege-lise",
        user__first_name="Lise",
        user__last_name="Lege",
        user__is_staff=True,
        user__password=STAFF_PASSWORD,
    ).user
    return {"appointment": appointment, "patient": patient, "staff": staff}


@pytest.fixture
def two_pages(media_browser: Browser, live_server: Any) -> Iterator[tuple[Page, Page]]:
    patient = new_context(media_browser, live_server.url)
    staff = new_context(media_browser, live_server.url)
    yield patient.new_page(), staff.new_page()
    patient.close()
    staff.close()


def log_in_staff(page: Page, username: str, next_path: str) -> None:
    page.goto(f"{reverse('staff_login')}?next={next_path}")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logg inn", exact=True).click()
    # On the path, not the whole URL: the login page's own address ends with «?next=<room>» too.
    page.wait_for_url(lambda url: urlparse(url).path == next_path)


def reopen(page: Page, path: str) -> None:
    """Open the room again (a reload). SQLite's shared in-memory test database may answer a write that meets
    another thread's with «table is locked» (a 500); PostgreSQL waits instead. So: try again, a few times."""
    for _ in range(4):
        page.goto(path)
        if page.locator("#video-room").count():
            return
        page.wait_for_timeout(300)
    pytest.fail(f"the room at {path} did not open")


def wait_for_remote_video(page: Page) -> dict[str, Any]:
    page.wait_for_function(
        "() => { const v = document.getElementById('video-remote'); return v.srcObject && v.videoWidth > 0; }",
        timeout=20_000,
    )
    return page.evaluate(REMOTE_VIDEO)


def test_patient_and_practitioner_see_each_other_and_either_can_turn_off_the_camera_and_leave(
    two_pages: tuple[Page, Page], video_room: dict[str, Any]
) -> None:
    patient, staff = two_pages
    room = reverse("video:room", args=[video_room["appointment"].pk])

    log_in_citizen(patient, video_room["patient"].full_name, next_path=room)
    expect(patient.locator("#video-status")).to_have_text("Venter på at behandleren skal slippe deg inn")
    assert_no_serious_axe_violations(patient)

    log_in_staff(staff, "lege-lise", room)
    expect(staff.get_by_text("Pasienten venter i venterommet.")).to_be_visible(timeout=10_000)
    assert_no_serious_axe_violations(staff)
    staff.get_by_role("button", name="Slipp inn").click()

    # Each side receives the other's camera, and it plays.
    for page in (patient, staff):
        seen = wait_for_remote_video(page)
        assert seen["tracks"] == 1 and seen["live"] == 1 and seen["width"] > 0, seen
        expect(page.locator("#video-status")).to_have_text("Du er i videotimen.")
        assert_no_serious_axe_violations(page)
    staff.wait_for_function(
        "() => { const v = document.getElementById('video-remote'); return !v.paused && v.readyState >= 2; }"
    )

    # The practitioner turns the camera off: off on their side, and the patient is told.
    staff.get_by_role("button", name="Slå av kamera").click()
    assert staff.evaluate(LOCAL_CAMERA_ENABLED) is False
    expect(staff.get_by_role("button", name="Slå på kamera")).to_be_visible()
    expect(patient.locator("#video-remote-caption")).to_contain_text("Behandleren har slått av kameraet.")
    staff.get_by_role("button", name="Slå på kamera").click()
    assert staff.evaluate(LOCAL_CAMERA_ENABLED) is True
    expect(patient.locator("#video-remote-caption")).not_to_contain_text("slått av kameraet")

    # The patient turns the microphone off; the practitioner is told.
    patient.get_by_role("button", name="Slå av mikrofon").click()
    expect(staff.locator("#video-remote-caption")).to_contain_text("Pasienten har slått av mikrofonen.")

    # The patient leaves: the call is over on both sides.
    patient.get_by_role("button", name="Forlat").click()
    expect(patient.locator("#video-status")).to_have_text("Du har forlatt videotimen.")
    expect(staff.locator("#video-status")).to_have_text("Pasienten har forlatt videotimen.")
    for page in (patient, staff):
        assert page.evaluate("() => document.getElementById('video-remote').srcObject") is None
    assert patient.evaluate("() => document.getElementById('video-local').srcObject === null"), (
        "the patient's camera is released"
    )
    kinds = list(VideoSignal.objects.values_list("sender", "kind").order_by("pk"))
    # The practitioner's side may still store a late ICE candidate or media change after the patient has left
    # (the two sides send independently), so the patient's own signals are what end with «leave».
    patient = [kind for sender, kind in kinds if sender == "patient"]
    assert ("practitioner", "admit") in kinds and patient[-1] == "leave"
    assert kinds.index(("practitioner", "admit")) < kinds.index(("patient", "leave"))
    # A whole call, camera and microphone changes included, is well within what a side may send in a minute.
    sent = Counter(sender for sender, _kind in kinds)
    assert max(sent.values()) <= VIDEO_SIGNALS_PER_MINUTE // 2, sent


def test_a_practitioner_who_reloads_gets_the_call_back_and_a_patient_who_reloads_waits_to_be_let_in_again(
    two_pages: tuple[Page, Page], video_room: dict[str, Any]
) -> None:
    patient, staff = two_pages
    room = reverse("video:room", args=[video_room["appointment"].pk])
    log_in_citizen(patient, video_room["patient"].full_name, next_path=room)
    log_in_staff(staff, "lege-lise", room)
    staff.get_by_role("button", name="Slipp inn").click()
    wait_for_remote_video(patient)

    # The practitioner's page reloads: the patient was let in already, and the call comes back by itself.
    reopen(staff, room)
    for page in (staff, patient):
        assert wait_for_remote_video(page)["tracks"] == 1
    expect(staff.get_by_role("button", name="Slipp inn")).to_be_hidden()

    # The patient's page reloads: back in the lobby until let in again.
    reopen(patient, room)
    expect(patient.locator("#video-status")).to_have_text("Venter på at behandleren skal slippe deg inn")
    expect(staff.get_by_text("Pasienten venter i venterommet.")).to_be_visible()
    assert staff.evaluate("() => document.getElementById('video-remote').srcObject") is None
    staff.get_by_role("button", name="Slipp inn").click()
    for page in (patient, staff):
        assert wait_for_remote_video(page)["width"] > 0

    # The practitioner leaves: the patient is told and stays, and nobody is let in any more.
    staff.get_by_role("button", name="Forlat").click()
    expect(patient.locator("#video-status")).to_have_text(
        "Behandleren har forlatt videotimen. Vent her, eller forlat rommet."
    )
    expect(staff.get_by_role("link", name="Gå inn i videorommet igjen")).to_be_visible()
