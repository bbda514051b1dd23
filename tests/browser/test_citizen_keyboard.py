"""The citizen's booking by keyboard alone (DESIGN §5: every citizen page works by keyboard): from the test
login to «Timebestillingen er sendt» with Tab, Shift+Tab, Enter, Space, arrow keys and typing, never a
mouse click, and with a visible focus indicator on every element the keyboard lands on."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.citizen_flow import (
    FREE_DAY,
    GP_ACTOR,
    GP_CHOICE,
    GP_CONTACT,
    GP_PLACES,
    KURT,
    SLOT,
    day_of,
    heading,
    review_line,
    short_date,
)
from tests.browser.conftest import focus_indicator, has_visible_focus

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_server", "demo_data")]

MAX_TABS = 80


def _is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate("el => el === document.activeElement"))


def _assert_focus_visible(page: Page) -> dict[str, str]:
    indicator = focus_indicator(page)
    assert has_visible_focus(indicator), f"no visible focus indicator on {indicator} at {page.url}"
    return indicator


def tab_to(page: Page, target: Locator, *, backwards: bool = False) -> list[str]:
    """Press Tab (or Shift+Tab) until ``target`` has focus; every element passed on the way must show
    its focus. Returns the elements passed, for the failure message of the caller."""
    key = "Shift+Tab" if backwards else "Tab"
    passed: list[str] = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate("() => document.activeElement === document.body"):
            passed.append("<body>")
            continue
        passed.append(_assert_focus_visible(page)["element"])
        if _is_focused(target):
            return passed
    raise AssertionError(f"{key} never reached {target} on {page.url}; passed: {passed}")


def test_citizen_books_with_the_keyboard_only_and_always_sees_the_focus(page: Page) -> None:
    problems: list[str] = []
    page.goto("/innlogging/")

    # The skip link comes first; then the citizen's name under «Velg en testperson».
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hopp til hovedinnholdet")).to_be_focused()
    _assert_focus_visible(page)
    tab_to(page, page.get_by_role("button", name=KURT))
    page.keyboard.press("Enter")
    expect(heading(page, "Timeavtaler")).to_be_visible()

    # Step 1.
    tab_to(page, page.get_by_role("link", name="Bestill time"))
    page.keyboard.press("Enter")
    expect(heading(page, "Hvem vil du bestille time hos?")).to_be_visible()
    tab_to(page, page.get_by_role("link", name=GP_CONTACT))
    page.keyboard.press("Enter")

    # Step 2: Tab into the radio group, arrow keys between the choices, then «Neste». Source 003's order:
    # «Konsultasjon med fastlegen», «Ta prøve på laboratoriet», «Vaksine».
    expect(heading(page, "Hva trenger du?")).to_be_visible()
    konsultasjon = page.get_by_role("radio", name="Konsultasjon med fastlegen")
    lab = page.get_by_role("radio", name="Ta prøve på laboratoriet")
    influensa = page.get_by_role("radio", name=GP_CHOICE, exact=True)
    tab_to(page, konsultasjon)
    page.keyboard.press("Space")
    expect(konsultasjon).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(lab).to_be_focused()
    expect(lab).to_be_checked()
    _assert_focus_visible(page)
    page.keyboard.press("ArrowDown")
    expect(influensa).to_be_focused()
    expect(influensa).to_be_checked()
    _assert_focus_visible(page)
    tab_to(page, page.get_by_role("button", name="Neste"))
    page.keyboard.press("Enter")

    # «Velg sted».
    expect(heading(page, "Velg sted", level=2)).to_be_visible()
    place = "Influensavaksine 2"
    tab_to(page, page.locator(".choice-list a.choice").filter(has_text=place))
    page.keyboard.press("Enter")

    # Steps 3–4: the first day with free times, opened with Enter (swapped in place by htmx).
    expect(heading(page, "Timebestilling: Velg time")).to_be_visible()
    expect(page.locator(".title-line")).to_contain_text(GP_ACTOR)
    first_free = page.locator(FREE_DAY).first
    day = day_of(first_free)
    tab_to(page, first_free)
    page.keyboard.press("Enter")
    expect(heading(page, f"Ledige timer {short_date(day)}", level=2)).to_be_visible()
    # Focus stays on the day the keyboard user pressed (WCAG 2.4.3), so the next Tab reaches the day's
    # times; checked softly, so the rest of the flow is still walked when it fails.
    selected = page.locator(f'{FREE_DAY}[aria-current="date"]')
    try:
        expect(selected).to_be_focused(timeout=2_000)
    except AssertionError:
        lost_to = page.evaluate("() => document.activeElement.tagName.toLowerCase()")
        problems.append(
            f"after Enter on a calendar day the htmx swap left focus on <{lost_to}>, not on the chosen day; "
            f"Tab then passed {tab_to(page, page.locator(SLOT).first)} before reaching the first free time"
        )
    else:
        _assert_focus_visible(page)
    expect(page.locator(".day-slots").get_by_text(f"Oppmøtested: {GP_PLACES[place][0]}")).to_be_visible()

    first_slot = page.locator(SLOT).first
    slot_label = first_slot.inner_text().strip()
    tab_to(page, first_slot)
    page.keyboard.press("Enter")

    # Step 5: sending without «Hva gjelder det?» shows the error; its link leads to the field.
    expect(heading(page, "Se gjennom før du sender")).to_be_visible()
    expect(page.locator(".review__date")).to_have_text(review_line(day, slot_label))
    send = page.get_by_role("button", name="Send bestilling")
    tab_to(page, send)
    page.keyboard.press("Enter")
    expect(page.locator(".field-error")).to_have_text("Du må skrive hva timen gjelder")
    tab_to(page, page.get_by_role("link", name="Hva gjelder det?"))
    page.keyboard.press("Enter")
    reason = page.get_by_label("Hva gjelder det?")
    expect(reason).to_be_focused()
    _assert_focus_visible(page)
    page.keyboard.type("Testmelding")
    expect(page.locator("#reason-count")).to_have_text("11/50 tegn")

    # Past «Send bestilling» to «Avbryt», and back with Shift+Tab.
    tab_to(page, page.get_by_role("button", name="Avbryt"))
    tab_to(page, send, backwards=True)
    page.keyboard.press("Enter")

    expect(heading(page, "Timebestillingen er sendt")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Gå til timeavtaler"))
    page.keyboard.press("Enter")
    expect(heading(page, "Timeavtaler")).to_be_visible()
    expect(page.locator(".appointment-item")).to_have_count(1)

    if problems:
        pytest.fail("the keyboard flow worked, but:\n" + "\n".join(problems), pytrace=False)
