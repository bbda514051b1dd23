"""Issues 15 and 20 in Chromium: the portal's front door. With one let in a minute, a second visitor who opens
«Logg inn» waits at «Du er i kø»: the page takes a place for them by itself (the door gives a first visit no
place) and shows it on screen; when the rate lets them in, the page goes on to the login page by itself (its
htmx poll), and the visitor logs in as usual. The door's clock stands still and is moved on by the test, so the
minute passes at once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from resourcebooks.waiting import waiting_reset
from tests.browser.citizen_flow import heading
from tests.browser.conftest import new_context, serious_axe_violations
from tests.queueing.test_door import Clock
from tests.world import new_citizen

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.usefixtures("live_server", "transactional_db")]

LOGIN_HEADING = "Logg inn på Helsenorge"


def test_a_visitor_beyond_the_rate_sees_the_place_and_goes_on_by_itself(
    browser: Browser, live_server: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.WAITING_ROOM_DOOR_RATE = 1  # one a minute, a burst of one
    clock = Clock()
    for module in ("queueing.door", "queueing.admission", "resourcebooks.waiting"):
        monkeypatch.setattr(f"{module}.time", clock)
    waiting_reset()
    # One person on the test login (the demo's seeding is not needed for the door).
    citizen = new_citizen(first_name="Kari", last_name="Køvik", listed_on_test_login=True)

    first = new_context(browser, live_server.url)
    inside = first.new_page()
    inside.goto("/innlogging/")
    expect(heading(inside, LOGIN_HEADING)).to_be_visible()  # the minute's one admission

    second = new_context(browser, live_server.url)
    page = second.new_page()
    page.goto("/innlogging/")
    # The queue's page, at the address asked for; it comes back at once with its new id and takes a place.
    expect(page).to_have_url(re.compile(r"/innlogging/$"))
    expect(heading(page, "Du er i kø")).to_be_visible()
    expect(heading(page, LOGIN_HEADING)).to_have_count(0)
    place = page.get_by_text("Du er nummer 1 i køen")
    expect(place).to_be_visible()
    expect(place).to_be_in_viewport()
    expect(page.get_by_role("status").filter(has_text="Du er nummer")).to_contain_text("Du er nummer 1 i køen")
    expect(page.get_by_text("Beregnet ventetid: omtrent 1 minutt")).to_be_visible()
    assert serious_axe_violations(page) == []

    # The page asks for its place by itself, and until the rate allows it stays where it is.
    with page.expect_response(lambda r: "/ko/plass/" in r.url, timeout=10_000) as poll:
        pass
    assert poll.value.status == 200
    expect(heading(page, "Du er i kø")).to_be_visible()
    expect(place).to_be_visible()

    # A minute on (though the first visitor has not left): at its next poll the page goes on, without a click.
    clock.advance(60)
    expect(heading(page, LOGIN_HEADING)).to_be_visible(timeout=10_000)
    expect(page).to_have_url(re.compile(r"/innlogging/$"))
    expect(heading(page, "Du er i kø")).to_have_count(0)

    # Let in now, the visitor logs in and reads Timeavtaler like anyone.
    page.get_by_role("button", name=citizen.full_name).click()
    expect(heading(page, "Timeavtaler")).to_be_visible()

    # The first visitor, idle all this while, is still let in: nobody was counted out to make room.
    inside.goto("/innlogging/")
    expect(heading(inside, LOGIN_HEADING)).to_be_visible()

    first.close()
    second.close()
