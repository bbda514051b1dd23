"""The clinic's grid in Chromium (issue 22): a staff member puts a patient on a time and moves it with the keyboard
alone, in under ten actions (each key pressed and each field typed counts as one); and the staff pages as Chromium
draws them at 1280 px and on a 768 px tablet: inside the viewport, no sideways scrolling, visible focus, axe clean."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from playwright.sync_api import Page, expect

from booking.models import Appointment
from tests.booking.test_staff_grid import clinic_staff
from tests.world import GpClinic, gp_clinic

from .conftest import focus_indicator, has_visible_focus, serious_axe_violations

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/staff22")
PASSWORD = "pw-resepsjon-22"


@pytest.fixture
def c(transactional_db: None) -> GpClinic:
    clinic = gp_clinic()
    clinic_staff(clinic.secretary)
    clinic.secretary.username = "lars-resepsjon"
    clinic.secretary.password = make_password(PASSWORD)
    clinic.secretary.save(update_fields=["username", "password"])
    return clinic


def log_in(page: Page) -> None:
    page.goto("/ansatt/logg-inn/")
    page.get_by_label("Brukernavn").fill("lars-resepsjon")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn", exact=True).click()
    page.wait_for_url("**/klinikk/")


class Keyboard:
    """The staff member's hands: every key pressed and every field typed is one action, counted."""

    def __init__(self, page: Page) -> None:
        self.page, self.actions = page, 0

    def focused(self) -> str:
        return str(self.page.evaluate("() => (document.activeElement.innerText || document.activeElement.name)"))

    def press(self, key: str) -> None:
        self.actions += 1
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.actions += 1
        self.page.keyboard.type(text)


def test_a_staff_member_puts_a_patient_on_a_time_and_moves_it_with_the_keyboard_in_under_ten_actions(
    page: Page, c: GpClinic
) -> None:
    first, later = c.gp.slot(days=2, hour=9), c.gp.slot(days=2, hour=10)
    day = timezone.localtime(first.start).date()
    log_in(page)
    expect(page.get_by_role("link", name="Innboks (Helsenorge-dialoger)").first).to_be_visible()
    page.get_by_role("link", name="Timebok Test").click()  # from the day to the fastlege's week (not counted)
    page.goto(page.url + f"?dato={day.isoformat()}")
    keys = Keyboard(page)

    assert keys.focused().startswith("09:00")  # the week's first free time has the focus
    keys.press("Enter")
    expect(page.get_by_role("heading", name="Sett opp pasient på time")).to_be_visible()
    assert keys.focused() == "pasient"
    keys.type("Libront")
    keys.press("Enter")
    expect(page.get_by_label("Thomas Libront", exact=False)).to_be_checked()
    assert keys.focused() == "reason"
    keys.type("Vondt i ryggen")
    keys.press("Enter")
    expect(page.get_by_text("Thomas Libront er satt opp på")).to_be_visible()
    booked = Appointment.objects.get(status=Appointment.Status.ASSIGNED)
    assert booked.slot == first and booked.reason == "Vondt i ryggen"
    assert keys.focused().startswith("Flytt")  # the new appointment's «Flytt» has the focus

    keys.press("Enter")
    expect(page.get_by_role("heading", name="Flytt time: Thomas Libront")).to_be_visible()
    assert keys.focused().startswith("10:00")
    keys.press("Enter")
    expect(page.get_by_text("Timen er flyttet til")).to_be_visible()

    moved = Appointment.objects.get(status=Appointment.Status.ASSIGNED)
    assert moved.slot == later and moved.replaces == booked and moved.citizen == c.citizen
    assert keys.actions == 7
    assert keys.actions < 10


LAYOUT = """() => {
    const grid = document.querySelector('#content');
    const box = grid.getBoundingClientRect();
    const columns = [...document.querySelectorAll('.staff-grid-column')].map((el) => el.getBoundingClientRect());
    return {
        viewport: window.innerWidth,
        pageWidth: document.documentElement.scrollWidth,
        left: box.left, right: box.right,
        columns: columns.map((b) => ({left: b.left, right: b.right, top: b.top})),
    };
}"""


def _layout(page: Page) -> dict[str, Any]:
    return dict(page.evaluate(LAYOUT))


@pytest.mark.parametrize("width", [1280, 768])
def test_the_staff_pages_fit_the_screen_take_the_keyboard_and_are_axe_clean(page: Page, c: GpClinic, width) -> None:
    day = timezone.localdate() + dt.timedelta(days=7)
    monday = day - dt.timedelta(days=day.weekday())
    slots = [c.gp.slot(days=(monday - timezone.localdate()).days + i, hour=9 + i) for i in range(5)]
    for slot in slots[1:]:
        c.gp.slot(days=(timezone.localtime(slot.start).date() - timezone.localdate()).days, hour=15)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page)
    page.get_by_role("link", name="Timebok Test").click()
    grid = page.url
    page.goto(f"{grid}?dato={monday.isoformat()}")
    pages = {"home": "/klinikk/", "week": page.url, "day": f"{grid}?dato={monday.isoformat()}&visning=dag"}
    found, drawn = {}, {}
    for name, url in pages.items():
        page.goto(url)
        drawn[name] = _layout(page)
        page.screenshot(path=str(_shot(f"{name}-{width}")), full_page=True)
        if violations := serious_axe_violations(page):
            found[name] = violations
    page.goto(pages["week"])
    assert has_visible_focus(focus_indicator(page)), focus_indicator(page)  # the first free time, focused
    page.keyboard.press("Enter")
    expect(page.get_by_label("Pasient (navn eller fødselsnummer)")).to_be_focused()
    page.keyboard.type("Libront")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Hva gjelder det?")).to_be_focused()
    assert has_visible_focus(focus_indicator(page)), focus_indicator(page)
    drawn["book"] = _layout(page)
    page.screenshot(path=str(_shot(f"book-{width}")), full_page=True)
    if violations := serious_axe_violations(page):
        found["book"] = violations
    page.keyboard.type("Kontroll")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Thomas Libront er satt opp på")).to_be_visible()
    page.keyboard.press("Enter")  # «Flytt»
    expect(page.get_by_role("heading", name="Flytt time: Thomas Libront")).to_be_visible()
    assert has_visible_focus(focus_indicator(page)), focus_indicator(page)
    drawn["move"] = _layout(page)
    page.screenshot(path=str(_shot(f"move-{width}")), full_page=True)
    if violations := serious_axe_violations(page):
        found["move"] = violations
    assert not found, "\n".join(f"{name}:\n" + "\n".join(v) for name, v in found.items())

    for name, layout in drawn.items():
        assert layout["pageWidth"] <= layout["viewport"], f"{name} scrolls sideways at {width} px: {layout}"
        assert layout["left"] >= 0 and layout["right"] <= layout["viewport"], f"{name} at {width} px: {layout}"
        for column in layout["columns"]:
            assert column["left"] >= 0 and column["right"] <= layout["viewport"], f"{name} at {width}: {column}"
    week = drawn["week"]["columns"]
    rows = len({round(column["top"]) for column in week})
    assert len(week) == 5
    # Five weekdays side by side on a desktop; on a tablet they wrap onto more rows rather than shrink or overflow.
    assert rows == 1 if width == 1280 else rows > 1
    assert all(column["right"] - column["left"] >= 140 for column in week)


def _shot(name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"
