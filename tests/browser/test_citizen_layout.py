"""Issue 12, what Chromium draws: the form fields of «Se gjennom før du sender» and «Send timeforespørsel»
stack as in the sources' screenshots (label, hint, field, counter under each other), at a desktop and a phone
width; and the chosen day of «Velg time» is a dark teal circle (source 000 step 4), also under the pointer
that chose it."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from resourcebooks.models import Slot, Timebook
from tests.browser.citizen_flow import FEBER_HER_ID, FEBER_TIMEBOOK, FREE_DAY, GP_HER_ID, KURT, heading
from tests.browser.conftest import log_in_citizen

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_server", "demo_data")]

WIDTHS = (1280, 375)
TEAL = "rgb(0, 100, 110)"  # --teal, #00646e: the sources' dark teal
WHITE = "rgb(255, 255, 255)"


def boxes(page: Page, selectors: list[str]) -> list[dict[str, Any]]:
    found = []
    for selector in selectors:
        box = page.locator(selector).bounding_box()
        assert box is not None, f"{selector} is not drawn"
        found.append({"selector": selector, **box})
    return found


def assert_stacked(page: Page, selectors: list[str]) -> None:
    """Each box starts at or below the bottom of the one before it (half a pixel for rounding)."""
    drawn = boxes(page, selectors)
    for above, below in itertools.pairwise(drawn):
        assert below["y"] >= above["y"] + above["height"] - 0.5, (
            f"{below['selector']} (top {below['y']:.1f}) is not under {above['selector']} "
            f"(bottom {above['y'] + above['height']:.1f}) at {page.viewport_size}"
        )


def field_parts(field_id: str, key: str) -> list[str]:
    return [f'label[for="{field_id}"]', f"#{key}-hint", f"#{field_id}", f"#{key}-count"]


def test_the_review_and_time_request_fields_stack_label_hint_field_counter(page: Page) -> None:
    log_in_citizen(page, KURT)
    timebook = Timebook.objects.get(service__her_id=FEBER_HER_ID, name=FEBER_TIMEBOOK)
    slot = Slot.objects.filter(timebook=timebook, state=Slot.State.FREE, start__gt=timezone.now()).earliest("start")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})

        page.goto(f"/bestill/{FEBER_HER_ID}/{timebook.pk}/se-gjennom/{slot.pk}/")
        expect(heading(page, "Se gjennom før du sender")).to_be_visible()
        assert_stacked(page, field_parts("reason", "reason"))

        page.goto(f"/bestill/{GP_HER_ID}/timeforesporsel/")
        expect(heading(page, "Send timeforespørsel")).to_be_visible()
        assert_stacked(page, field_parts("subject", "subject") + field_parts("suggested_times", "suggested"))

        # An error stacks too: label, hint, error, field, counter.
        page.get_by_role("button", name="Send timeforespørsel").click()
        expect(page.locator("#subject-error")).to_be_visible()
        parts = field_parts("subject", "subject")
        assert_stacked(page, [*parts[:2], "#subject-error", *parts[2:]])


def background(page: Page, selector: str) -> dict[str, str]:
    return page.locator(selector).evaluate(
        "el => { const s = getComputedStyle(el); return {background: s.backgroundColor, color: s.color,"
        " radius: s.borderRadius}; }"
    )


def test_the_chosen_day_is_a_dark_teal_circle_also_under_the_pointer(page: Page) -> None:
    log_in_citizen(page, KURT)
    timebook = Timebook.objects.get(service__her_id=FEBER_HER_ID, name=FEBER_TIMEBOOK)
    page.goto(f"/bestill/{FEBER_HER_ID}/{timebook.pk}/tid/")
    free = page.locator(FREE_DAY)
    expect(free.first).to_be_visible()
    pale = background(page, f"{FREE_DAY} >> nth=0")["background"]

    free.first.click()
    selected = f'{FREE_DAY}[aria-current="date"]'
    expect(page.locator(selected)).to_be_visible()
    page.locator(selected).hover()  # where the pointer is after choosing the day
    drawn = background(page, selected)
    assert drawn == {"background": TEAL, "color": WHITE, "radius": "50%"}, drawn

    page.mouse.move(0, 0)
    assert background(page, selected)["background"] == TEAL
    assert pale != TEAL
