"""Real-browser fixtures: one Chromium for all tests in this package (Debian's, driven by
Playwright), a fresh context per test, and the axe-core accessibility check.

Never run ``playwright install``: we launch the system Chromium at ``CHROMIUM_PATH`` (default
``/usr/bin/chromium``). The root ``tests/conftest.py`` skips tests marked ``browser`` when it is absent.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_BLOCKING_IMPACTS = frozenset({"serious", "critical"})

# Demo login created by ``manage.py seed_demo``.
SUPPORT_USERNAME = "nhn-support"
SUPPORT_PASSWORD = "nhn-support-demo"
SUPPORT_FULL_NAME = "Nora Kundesenter"


@pytest.fixture(scope="package")
def playwright_instance() -> Iterator[Playwright]:
    """Sync Playwright, alive only while the tests in this package run.

    While it is alive an asyncio event loop counts as running in the main thread, and Django's ORM would
    refuse calls from test bodies and fixtures ("You cannot call this from an async context"), so
    ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set for exactly as long. Both are package-scoped, and the variable is
    not set at import time, because otherwise they leak into the rest of the run: into the
    ``manage.py check --deploy`` subprocess of ``tests/test_settings.py`` (async.E001), and a still
    running loop into ORM tests collected after this package.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as pw:
            yield pw


@pytest.fixture(scope="package")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def new_context(browser: Browser, base_url: str, **options: Any) -> BrowserContext:
    """A fresh, isolated browser profile (no cookies) as a Norwegian user in Oslo would have it."""
    context = browser.new_context(locale="nb-NO", timezone_id="Europe/Oslo", base_url=base_url, **options)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = new_context(browser, live_server.url)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_data(transactional_db: None) -> None:
    """The demo register and the ``nhn-support`` user, loaded into the live server's database."""
    call_command("seed_demo", stdout=io.StringIO())


def log_in(page: Page, next_path: str = "/ar/") -> None:
    """Log in as the demo NHN support user through the staff login form."""
    page.goto(f"/ansatt/logg-inn/?next={next_path}")
    page.get_by_label("Brukernavn").fill(SUPPORT_USERNAME)
    page.get_by_label("Passord").fill(SUPPORT_PASSWORD)
    page.get_by_role("button", name="Logg inn", exact=True).click()
    page.wait_for_url(lambda url: url.endswith(next_path))


def _format_violation(violation: dict[str, Any]) -> str:
    targets = "; ".join(" ".join(str(part) for part in node["target"]) for node in violation["nodes"])
    return (
        f"- {violation['id']} [{violation['impact']}] {violation['help']} ({violation['helpUrl']})\n    at: {targets}"
    )


AXE_URL = "/__tests__/axe.min.js"


def _inject_axe(page: Page) -> None:
    """Load axe-core as a script from the page's own origin (answered by Playwright from the vendored file):
    the portal's Content-Security-Policy forbids inline scripts, and the tests keep that policy on."""
    if not getattr(page, "_axe_routed", False):
        page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE_JS), content_type="text/javascript"))
        page._axe_routed = True  # type: ignore[attr-defined]
    page.add_script_tag(url=AXE_URL)


def assert_no_serious_axe_violations(page: Page) -> None:
    """Run axe-core on the current page; fail on every violation with impact «serious» or «critical»."""
    _inject_axe(page)
    results = page.evaluate("async () => await axe.run(document, { resultTypes: ['violations'] })")
    blocking = [v for v in results["violations"] if v["impact"] in AXE_BLOCKING_IMPACTS]
    if blocking:
        report = "\n".join(_format_violation(v) for v in blocking)
        pytest.fail(f"axe-core found serious/critical violations on {page.url}:\n{report}", pytrace=False)


# --- Citizens (appended for the citizen booking tests) -------------------------------------------------


def log_in_citizen(page: Page, full_name: str, next_path: str = "") -> None:
    """Log in at the test login («Velg en testperson») by pressing the button with the citizen's name."""
    page.goto("/innlogging/" + (f"?next={next_path}" if next_path else ""))
    page.get_by_role("button", name=full_name).click()
    page.wait_for_url(lambda url: "/innlogging/" not in url)


def serious_axe_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the current page, formatted (empty when none)."""
    _inject_axe(page)
    results = page.evaluate("async () => await axe.run(document, { resultTypes: ['violations'] })")
    return [_format_violation(v) for v in results["violations"] if v["impact"] in AXE_BLOCKING_IMPACTS]


def focus_indicator(page: Page) -> dict[str, str]:
    """The focused element (a short description) and the outline and box-shadow it is drawn with."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 60);
            return {
                element: `<${el.tagName.toLowerCase()}${el.id ? ' id=' + el.id : ''}> ${text}`,
                outlineStyle: style.outlineStyle,
                outlineWidth: style.outlineWidth,
                boxShadow: style.boxShadow,
            };
        }"""
    )


def has_visible_focus(indicator: dict[str, str]) -> bool:
    outline = indicator["outlineStyle"] != "none" and indicator["outlineWidth"] not in {"0px", ""}
    return outline or indicator["boxShadow"] != "none"
