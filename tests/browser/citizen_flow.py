"""Steps of the citizen's booking flow (source 000) for the browser tests, and the sources' Norwegian
date words, written out here independently of ``core.formatting`` so the tests check the app's text."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Locator, Page, expect

KURT = "Kurt Håkon Grytten"
EMMA = "Emma Grytten"
OLA = "Ola Grytten"
BERIT = "Berit Sperret"

FEBER_HER_ID = 8100011
FEBER_CONTACT = "Helsenorge kommune Smittevern (Feberpoliklinikk Test)"
FEBER_TIMEBOOK = "Influensavaksine"
FEBER_CHOICE = "Vaksine"  # its radio under «Hva trenger du?»: the type of time (source 000 step 2)
FEBER_ACTOR = "Influensavaksine, Smittevern (Feberpoliklinikk Test), Helsenorge kommune"
FEBER_PLACE = "Feberpoliklinikk inngang A"

GP_HER_ID = 8100302
GP_CONTACT = "Ditt fastlegekontor Helsenorge testlegekontor"  # the office's services as one contact (source 003)
GP_TIMEBOOK = "Influensa"
GP_CHOICE = "Vaksine"
GP_ACTOR = "Influensa, Helsenorge testlegekontor"
# «Velg sted» for «Influensa», in the office's order (source 001: «Influenza» first): place name → its
# Oppmøtested and the weekdays it has times (Mon = 0).
GP_PLACES = {
    "Influenza": ("Influensaveien 3a, 1325 Lysaker", {0, 2}),
    "Influensavaksine 2": ("Sandviksveien 10, 1337 Sandvika", {1, 3}),
    "Influensavaksine 3": ("Fornebuveien 5, 1366 Lysaker", {4}),
}

MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip
MONTHS_SHORT = ("jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "des.")
WEEKDAYS = ("Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag")

FREE_DAY = "a.calendar__day--free"
SLOT = ".day-slots a.slot"


def short_date(day: dt.date) -> str:
    """«6. feb. 2025» (the «Ledige timer …» heading)."""
    return f"{day.day}. {MONTHS_SHORT[day.month - 1]} {day.year}"


def long_date(day: dt.date) -> str:
    """«6. februar 2025»."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def review_line(day: dt.date, slot_label: str) -> str:
    """«Torsdag 6. februar 2025 kl. 11:15 - 11:20»."""
    return f"{WEEKDAYS[day.weekday()]} {long_date(day)} kl. {slot_label}"


def heading(page: Page, name: str, level: int = 1) -> Locator:
    return page.get_by_role("heading", level=level, name=name, exact=True)


def day_of(link: Locator) -> dt.date:
    """The day a calendar link (…?dag=2025-02-06) stands for."""
    href = link.get_attribute("href") or ""
    return dt.date.fromisoformat(parse_qs(urlparse(href).query)["dag"][0])


def slot_id_from_url(url: str) -> int:
    match = re.search(r"/se-gjennom/(\d+)/", url)
    assert match, f"not a review page: {url}"
    return int(match.group(1))


def appointment_id_from_url(url: str) -> int:
    match = re.search(r"/timeavtaler/(\d+)/", url)
    assert match, f"not an appointment page: {url}"
    return int(match.group(1))


def open_timeavtaler(page: Page) -> None:
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Timeavtaler").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Timeavtaler")


def open_inbox(page: Page) -> None:
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name=re.compile(r"^Innboks")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Innboks")


def choose_contact_and_timebook(page: Page, contact: str, timebook: str) -> None:
    """Steps 1 and 2, starting on Timeavtaler: «Bestill time» → contact → the timebook's radio (labelled by
    its type, e.g. ``FEBER_CHOICE``) → «Neste»."""
    page.get_by_role("link", name="Bestill time").click()
    expect(heading(page, "Hvem vil du bestille time hos?")).to_be_visible()
    page.get_by_role("link", name=contact).click()
    expect(heading(page, "Hva trenger du?")).to_be_visible()
    page.get_by_role("radio", name=timebook, exact=True).check()
    page.get_by_role("button", name="Neste").click()
    expect(heading(page, "Timebestilling: Velg time")).to_be_visible()


def choose_free_day(page: Page, earliest: dt.date | None = None) -> dt.date:
    """Step 3: click the first day marked with free times (on or after ``earliest``), moving on a month
    when this one has none; waits for «Ledige timer …» and returns the day."""
    for _ in range(4):
        expect(page.locator("#month-title")).to_be_visible()
        for link in page.locator(FREE_DAY).all():
            day = day_of(link)
            if earliest is None or day >= earliest:
                link.click()
                expect(heading(page, f"Ledige timer {short_date(day)}", level=2)).to_be_visible()
                return day
        month = page.locator("#month-title").inner_text()
        page.get_by_role("link", name="Neste måned").click()
        expect(page.locator("#month-title")).not_to_have_text(month)
    raise AssertionError(f"no free day on or after {earliest} in four months")
