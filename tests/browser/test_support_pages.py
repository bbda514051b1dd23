"""NHN support pages in a real browser: the «mellomløsning» fix with and without JavaScript, axe-core
and keyboard use.

Every test loads the demo data (``seed_demo``) into the live server's database and logs in through the
staff login form as the demo user ``nhn-support`` (Nora Kundesenter, group «NHN support»).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from addressregistry.models import ServiceProcess
from tests.browser.conftest import (
    SUPPORT_FULL_NAME,
    assert_no_serious_axe_violations,
    log_in,
    new_context,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_server", "transactional_db", "demo_data")]

MELLOMLOSNING_SERVICE = "8100202"  # «Smittevern (Test COVID-19)» in Dhs kommune, Behandleroversikt on
MELLOMLOSNING_FINDING = "Behandleroversikt er aktivert"


def _behandleroversikt_active(her_id: str) -> bool:
    return ServiceProcess.objects.get(service__her_id=int(her_id), process="behandleroversikt").active


def test_support_user_switches_off_behandleroversikt_in_place_without_page_reload(page: Page) -> None:
    log_in(page, next_path="/ar/")
    expect(page).to_have_url(re.compile(r"/ar/$"))

    page.get_by_label("HER-id eller navn").fill(MELLOMLOSNING_SERVICE)
    page.get_by_role("button", name="Søk", exact=True).click()
    expect(page.get_by_role("heading", name=f"Treff for «{MELLOMLOSNING_SERVICE}»")).to_be_visible()
    page.get_by_role("link", name="Smittevern (Test COVID-19)").click()
    expect(page).to_have_url(re.compile(rf"/ar/tjenester/{MELLOMLOSNING_SERVICE}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Smittevern (Test COVID-19)")

    finding = page.locator(".finding--error").filter(has_text=MELLOMLOSNING_FINDING)
    expect(finding).to_have_count(1)
    expect(finding).to_contain_text("mellomløsning")

    page.evaluate("() => { window.__marker = 1; }")
    with page.expect_response(lambda r: r.request.method == "POST" and "/prosesser/" in r.url) as posted:
        page.get_by_role("button", name="Slå av Behandleroversikt").click()
    assert posted.value.status == 200
    assert posted.value.request.headers.get("hx-request") == "true", "the toggle should post through htmx"

    # The message goes into the page's existing live region (out of band), so screen readers announce it.
    expect(page.locator("#messages").get_by_text("Behandleroversikt er slått av.")).to_be_visible()
    expect(page.locator(".finding").filter(has_text=MELLOMLOSNING_FINDING)).to_have_count(0)
    expect(page.get_by_role("button", name="Slå på Behandleroversikt")).to_be_visible()

    history = page.get_by_role("region", name="Endringshistorikk")
    newest = history.get_by_role("row").nth(1)  # row 0 is the header; newest change first
    expect(newest).to_contain_text("Behandleroversikt")
    expect(newest).to_contain_text("Slått av")
    expect(newest).to_contain_text(SUPPORT_FULL_NAME)

    assert page.evaluate("() => window.__marker") == 1, "the page was fully reloaded instead of swapped in place"
    expect(page).to_have_url(re.compile(rf"/ar/tjenester/{MELLOMLOSNING_SERVICE}/$"))
    assert not _behandleroversikt_active(MELLOMLOSNING_SERVICE)


def test_support_user_switches_off_behandleroversikt_without_javascript(browser: Browser, live_server: Any) -> None:
    context = new_context(browser, live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, next_path=f"/ar/tjenester/{MELLOMLOSNING_SERVICE}/")
        expect(page.locator(".finding").filter(has_text=MELLOMLOSNING_FINDING)).to_have_count(1)

        with page.expect_response(lambda r: r.request.method == "POST" and "/prosesser/" in r.url) as posted:
            page.get_by_role("button", name="Slå av Behandleroversikt").click()
        # A full-page form POST (no htmx), answered with a redirect back to the service page.
        assert posted.value.request.headers.get("hx-request") is None
        assert posted.value.status in {302, 303}
        page.wait_for_load_state()

        expect(page).to_have_url(re.compile(rf"/ar/tjenester/{MELLOMLOSNING_SERVICE}/$"))
        expect(page.get_by_role("main").get_by_text("Behandleroversikt er slått av.")).to_be_visible()
        expect(page.locator(".finding").filter(has_text=MELLOMLOSNING_FINDING)).to_have_count(0)
        newest = page.get_by_role("region", name="Endringshistorikk").get_by_role("row").nth(1)
        expect(newest).to_contain_text(SUPPORT_FULL_NAME)
        assert not _behandleroversikt_active(MELLOMLOSNING_SERVICE)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "needs_login"),
    [
        pytest.param("/", False, id="front-page"),
        pytest.param("/ansatt/logg-inn/", False, id="staff-login"),
        pytest.param("/ar/", True, id="search-overview"),
        pytest.param(f"/ar/?q={MELLOMLOSNING_SERVICE}", True, id="search-results"),
        pytest.param("/ar/virksomheter/8100200/", True, id="organisation"),
        pytest.param(f"/ar/tjenester/{MELLOMLOSNING_SERVICE}/", True, id="service"),
    ],
)
def test_page_has_no_serious_or_critical_axe_violations(page: Page, path: str, needs_login: bool) -> None:
    if needs_login:
        log_in(page, next_path=path)
    else:
        page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_serious_axe_violations(page)


def test_service_page_after_an_in_place_toggle_has_no_serious_or_critical_axe_violations(page: Page) -> None:
    log_in(page, next_path=f"/ar/tjenester/{MELLOMLOSNING_SERVICE}/")
    page.get_by_role("button", name="Slå av Behandleroversikt").click()
    expect(page.locator("#messages").get_by_text("Behandleroversikt er slått av.")).to_be_visible()
    assert_no_serious_axe_violations(page)


def test_keyboard_user_reaches_skip_link_first_and_toggles_a_process_with_enter(page: Page) -> None:
    log_in(page, next_path=f"/ar/tjenester/{MELLOMLOSNING_SERVICE}/")
    page.goto(f"/ar/tjenester/{MELLOMLOSNING_SERVICE}/")  # fresh load: focus starts at the top

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hopp til hovedinnholdet")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # visible when focused, not left off-screen

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    toggle = page.get_by_role("button", name="Slå på Ressursoversikt")
    for _ in range(40):
        page.keyboard.press("Tab")
        if toggle.evaluate("el => el === document.activeElement"):
            break
    expect(toggle).to_be_focused()

    page.keyboard.press("Enter")
    expect(page.locator("#messages").get_by_text("Ressursoversikt er slått på.")).to_be_visible()
    # Focus stays on the button the keyboard user pressed (now «Slå av»), not thrown back to the top.
    expect(page.get_by_role("button", name="Slå av Ressursoversikt")).to_be_focused()
    assert ServiceProcess.objects.get(service__her_id=int(MELLOMLOSNING_SERVICE), process="ressursoversikt").active
