"""Issue 15 in Chromium: the portal's front door. With room for one, a second visitor who opens «Logg inn» waits
at «Du er i kø» and sees their place on screen; when the first visitor's place frees, the page goes on to the
login page by itself (its htmx poll), and the visitor logs in as usual."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from booking.waiting_room import waiting_room_leave
from resourcebooks.waiting import DOOR, waiting_reset
from tests.booking.test_flow_support import new_citizen
from tests.browser.citizen_flow import heading
from tests.browser.conftest import new_context, serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.usefixtures("live_server", "transactional_db")]

LOGIN_HEADING = "Logg inn på Helsenorge"


def test_a_visitor_at_the_full_door_sees_the_place_and_goes_on_by_itself(
    browser: Browser, live_server: Any, settings: Any
) -> None:
    settings.WAITING_ROOM_DOOR_CAPACITY = 1
    waiting_reset()
    # One person on the test login (the demo's seeding is not needed for the door).
    citizen = new_citizen(first_name="Kari", last_name="Køvik", listed_on_test_login=True)

    first = new_context(browser, live_server.url)
    inside = first.new_page()
    inside.goto("/innlogging/")
    expect(heading(inside, LOGIN_HEADING)).to_be_visible()
    first_visitor = next(c["value"] for c in first.cookies() if c["name"] == "hs_door")

    second = new_context(browser, live_server.url)
    page = second.new_page()
    page.goto("/innlogging/")
    # The queue's page: at the address asked for, or at the door's own.
    expect(page).to_have_url(re.compile(r"/(innlogging/|ko/\?neste=/innlogging/)$"))
    expect(heading(page, "Du er i kø")).to_be_visible()
    expect(heading(page, LOGIN_HEADING)).to_have_count(0)
    place = page.get_by_text("Du er nummer 1 i køen")
    expect(place).to_be_visible()
    expect(place).to_be_in_viewport()
    expect(page.get_by_role("status").filter(has_text="Du er nummer")).to_contain_text("Du er nummer 1 i køen")
    assert serious_axe_violations(page) == []

    # The page asks for its place by itself, and while the door is full it stays where it is.
    with page.expect_response(lambda r: "/ko/plass/" in r.url, timeout=10_000) as poll:
        pass
    assert poll.value.status == 200
    expect(heading(page, "Du er i kø")).to_be_visible()
    expect(place).to_be_visible()

    # The first visitor is done: at its next poll the page goes on to the login page, without a click.
    waiting_room_leave(DOOR, f"v{first_visitor}")
    expect(heading(page, LOGIN_HEADING)).to_be_visible(timeout=10_000)
    expect(page).to_have_url(re.compile(r"/innlogging/$"))
    expect(heading(page, "Du er i kø")).to_have_count(0)

    # Inside now, the visitor logs in and reads Timeavtaler like anyone.
    page.get_by_role("button", name=citizen.full_name).click()
    expect(heading(page, "Timeavtaler")).to_be_visible()

    # And the first visitor, whose place went to the second, now waits at the door in turn.
    inside.goto("/innlogging/")
    expect(inside.get_by_text("Du er nummer 1 i køen")).to_be_visible()

    first.close()
    second.close()
