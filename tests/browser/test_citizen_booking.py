"""The citizen's six booking steps (source 000) in a real browser: with htmx, without JavaScript, with
«Velg sted», acting for a child, and as a citizen the GP office has blocked.

Every test loads the demo data (``seed_demo``) into the live server's database and logs in at the test
login by pressing a citizen's name under «Velg en testperson».
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from booking.models import Appointment
from citizens.models import Citizen
from resourcebooks.models import Slot
from tests.browser.citizen_flow import (
    BERIT,
    EMMA,
    FEBER_ACTOR,
    FEBER_CHOICE,
    FEBER_CONTACT,
    FEBER_PLACE,
    FEBER_TIMEBOOK,
    FREE_DAY,
    GP_ACTOR,
    GP_CHOICE,
    GP_CONTACT,
    GP_PLACES,
    KURT,
    OLA,
    SLOT,
    appointment_id_from_url,
    choose_contact_and_timebook,
    choose_free_day,
    day_of,
    heading,
    long_date,
    open_inbox,
    open_timeavtaler,
    review_line,
    short_date,
    slot_id_from_url,
)
from tests.browser.conftest import log_in_citizen, new_context

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_server", "demo_data")]

SENT_TEXT = "Bestillingen er kun en forespørsel. Timen er ikke tildelt før du mottar en bekreftelse."
CONFIRMED_DESCRIPTION = "Din timereservasjon er bekreftet. Smittevern (Feberpoliklinikk Test)."
NO_FREE_TIMES = "Tjenesten kunne ikke hente ledige timer. Prøv igjen senere."


def _fact(page: Page, label: str) -> str:
    """The text of the line «<label>: …» in the appointment's facts."""
    return page.locator(".appointment-facts p").filter(has_text=f"{label}:").inner_text().strip()


def test_kurt_books_influensavaksine_in_six_steps_then_downloads_and_cancels_it(page: Page, tmp_path: Path) -> None:
    log_in_citizen(page, KURT)
    expect(heading(page, "Timeavtaler")).to_be_visible()
    expect(page.get_by_text("Du har ingen kommende timer.")).to_be_visible()

    # Steps 1–2: «Bestill time» → contact → «Hva trenger du?» → «Influensavaksine» → «Neste».
    choose_contact_and_timebook(page, FEBER_CONTACT, FEBER_CHOICE)

    # Step 3: «Velg time», the title line and the month calendar.
    expect(page.locator(".title-line")).to_contain_text(FEBER_ACTOR)
    expect(page.locator("#month-title")).to_have_text(re.compile(r"^[A-ZÆØÅ][a-zæøå]+ \d{4}$"))
    expect(page.get_by_role("link", name="I dag")).to_be_visible()
    first_free = page.locator(FREE_DAY).first
    expect(first_free).to_be_visible()
    first_day = day_of(first_free)
    assert first_day >= timezone.localdate()

    # Step 4: the day's free times come in place (htmx), and the URL is pushed so «Tilbake» works.
    page.evaluate("() => { window.__marker = 1; }")
    with page.expect_response(lambda r: "dag=" in r.url) as shown:
        first_free.click()
    assert shown.value.request.headers.get("hx-request") == "true", "the day should be fetched through htmx"
    expect(heading(page, f"Ledige timer {short_date(first_day)}", level=2)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"[?&]dag={first_day.isoformat()}"))
    assert page.evaluate("() => window.__marker") == 1, "the page was fully reloaded instead of swapped in place"
    expect(page.locator(f'{FREE_DAY}[aria-current="date"]')).to_have_text(str(first_day.day))
    expect(page.locator(SLOT).first).to_have_text(re.compile(r"^\d\d:\d\d - \d\d:\d\d$"))
    expect(page.locator(".day-slots").get_by_text(f"Oppmøtested: {FEBER_PLACE}")).to_be_visible()

    # Online cancellation closes 24 hours before: book a day at least two days ahead (maybe the same one).
    day = choose_free_day(page, earliest=timezone.localdate() + dt.timedelta(days=2))
    assert page.evaluate("() => window.__marker") == 1
    slot_link = page.locator(SLOT).first
    slot_label = slot_link.inner_text().strip()
    slot_link.click()

    # Step 5: «Se gjennom før du sender».
    expect(heading(page, "Se gjennom før du sender")).to_be_visible()
    slot_id = slot_id_from_url(page.url)
    review = page.locator(".review")
    expect(review.locator(".review__date")).to_have_text(review_line(day, slot_label))
    expect(review).to_contain_text(f"Time hos {FEBER_ACTOR}")
    expect(review).to_contain_text(f"Oppmøtested: {FEBER_PLACE}")
    expect(review).to_contain_text("Antatt varighet: 5 min")
    reason = page.get_by_label("Hva gjelder det?")
    reason.press_sequentially("Testmelding")
    expect(page.locator("#reason-count")).to_have_text("11/50 tegn")
    page.get_by_role("button", name="Send bestilling").click()

    # «Timebestillingen er sendt».
    expect(heading(page, "Timebestillingen er sendt")).to_be_visible()
    expect(page.get_by_text(SENT_TEXT)).to_be_visible()
    page.get_by_role("link", name="Gå til timeavtaler").click()

    # Step 6: Timeavtaler and the appointment; the automatic timebook has confirmed it already.
    expect(heading(page, "Timeavtaler")).to_be_visible()
    start = slot_label.split(" - ")[0]
    item = page.locator(".appointment-item").filter(has_text=f"{long_date(day)} kl. {start}")
    expect(item).to_contain_text("Tildelt")
    item.get_by_role("link").click()
    appointment_id = appointment_id_from_url(page.url)
    expect(heading(page, f"{long_date(day)} kl. {start}: Time for vaksine hos {FEBER_ACTOR}")).to_be_visible()
    assert _fact(page, "Antatt varighet") == "Antatt varighet: 5 min"
    assert _fact(page, "Oppmøtested") == f"Oppmøtested: {FEBER_PLACE}"
    assert _fact(page, "Timen gjelder") == "Timen gjelder: Testmelding"
    assert _fact(page, "Status") == "Status: Tildelt"
    expect(page.get_by_role("region", name="Beskrivelse")).to_contain_text(CONFIRMED_DESCRIPTION)

    # «Legg i egen kalender»: an .ics file in Oslo time.
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Legg i egen kalender").click()
    download = downloading.value
    assert download.suggested_filename.endswith(".ics")
    ics_path = tmp_path / download.suggested_filename
    download.save_as(ics_path)
    raw = ics_path.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR")
    calendar = Calendar.from_ical(raw)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == f"{long_date(day)} kl. {start}: Time for vaksine hos {FEBER_ACTOR}"
    assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert event.decoded("DTSTART").strftime("%Y-%m-%d %H:%M") == f"{day.isoformat()} {start}"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]

    # Innboks: the line titled by the reason (source 003), the message «Du har fått en ny timeavtale».
    open_inbox(page)
    page.get_by_role("link", name=re.compile("Testmelding")).click()
    expect(heading(page, "Du har fått en ny timeavtale")).to_be_visible()
    expect(page.locator(".message")).to_contain_text("Din timereservasjon er bekreftet.")
    expect(page.locator(".message")).not_to_contain_text(CONFIRMED_DESCRIPTION)
    page.get_by_role("link", name="Vis timeavtale").click()
    expect(page).to_have_url(re.compile(rf"/timeavtaler/{appointment_id}/$"))

    # «Avbestill time» → confirm: Avbestilt, the slot is free again, and a receipt in Innboks.
    page.get_by_role("link", name="Avbestill time").click()
    expect(heading(page, "Avbestill time")).to_be_visible()
    page.get_by_role("button", name="Avbestill time").click()
    expect(page).to_have_url(re.compile(rf"/timeavtaler/{appointment_id}/$"))
    expect(page.get_by_text("Timen er avbestilt. Du finner en kvittering i innboksen.")).to_be_visible()
    assert _fact(page, "Status") == "Status: Avbestilt"
    expect(page.get_by_role("link", name="Legg i egen kalender")).to_have_count(0)
    expect(page.get_by_role("link", name="Avbestill time")).to_have_count(0)
    assert Slot.objects.get(pk=slot_id).state == Slot.State.FREE
    assert Appointment.objects.get(pk=appointment_id).status == Appointment.Status.CANCELLED_BY_CITIZEN
    open_inbox(page)
    expect(page.locator(".inbox").get_by_text("Kvittering for avbestilt time")).to_be_visible()
    expect(page.locator(".inbox").get_by_text("Testmelding")).to_be_visible()
    open_timeavtaler(page)
    expect(page.locator(".appointment-item").filter(has_text=f"{long_date(day)} kl. {start}")).to_contain_text(
        "Avbestilt"
    )


def test_citizen_books_through_every_step_without_javascript(browser: Browser, live_server: Any) -> None:
    context = new_context(browser, live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in_citizen(page, KURT)
        expect(heading(page, "Timeavtaler")).to_be_visible()
        choose_contact_and_timebook(page, FEBER_CONTACT, FEBER_CHOICE)

        first_free = page.locator(FREE_DAY).first
        day = day_of(first_free)
        with page.expect_response(lambda r: "dag=" in r.url) as shown:
            first_free.click()
        assert shown.value.request.headers.get("hx-request") is None  # a plain link: a whole page
        page.wait_for_load_state()
        expect(page).to_have_url(re.compile(rf"[?&]dag={day.isoformat()}"))
        expect(heading(page, f"Ledige timer {short_date(day)}", level=2)).to_be_visible()
        slot_link = page.locator(SLOT).first
        slot_label = slot_link.inner_text().strip()
        slot_link.click()

        expect(heading(page, "Se gjennom før du sender")).to_be_visible()
        expect(page.locator(".review__date")).to_have_text(review_line(day, slot_label))
        page.get_by_label("Hva gjelder det?").fill("Testmelding")
        page.get_by_role("button", name="Send bestilling").click()

        expect(heading(page, "Timebestillingen er sendt")).to_be_visible()
        expect(page.get_by_text(SENT_TEXT)).to_be_visible()
        page.get_by_role("link", name="Gå til timeavtaler").click()
        item = page.locator(".appointment-item").filter(has_text=f"{long_date(day)} kl. {slot_label.split(' - ')[0]}")
        expect(item).to_contain_text("Tildelt")
    finally:
        context.close()


def test_citizen_chooses_one_of_three_places_before_the_calendar(page: Page) -> None:
    log_in_citizen(page, KURT)
    page.get_by_role("link", name="Bestill time").click()
    expect(page.get_by_role("link", name=GP_CONTACT)).to_have_count(1)
    page.get_by_role("link", name=GP_CONTACT).click()
    expect(heading(page, "Hva trenger du?")).to_be_visible()
    page.get_by_role("radio", name=GP_CHOICE, exact=True).check()
    page.get_by_role("button", name="Neste").click()

    # «Velg sted»: three places, each with its Oppmøtested, and no calendar yet.
    expect(heading(page, "Velg sted", level=2)).to_be_visible()
    places = page.locator(".choice-list a.choice")
    expect(places).to_have_count(3)
    for name, (attendance, _) in GP_PLACES.items():
        expect(places.filter(has_text=name)).to_contain_text(f"Oppmøtested: {attendance}")
    expect(page.locator("table.calendar")).to_have_count(0)

    chosen = "Influensavaksine 2"
    attendance, weekdays = GP_PLACES[chosen]
    places.filter(has_text=chosen).click()
    expect(heading(page, "Timebestilling: Velg time")).to_be_visible()
    expect(page.locator(".title-line")).to_contain_text(GP_ACTOR)
    expect(page.get_by_text(f"Sted: {chosen}")).to_be_visible()
    # Only the chosen place's days are marked (Tuesdays and Thursdays).
    marked = [day_of(link) for link in page.locator(FREE_DAY).all()]
    assert marked, "the calendar marks no day with free times"
    assert {d.weekday() for d in marked} <= weekdays, f"days of another place are marked: {marked}"

    day = choose_free_day(page)
    expect(page.locator(".day-slots").get_by_text(f"Oppmøtested: {attendance}")).to_be_visible()
    page.locator(SLOT).first.click()
    expect(heading(page, "Se gjennom før du sender")).to_be_visible()
    expect(page.locator(".review")).to_contain_text(f"Oppmøtested: {attendance}")
    expect(page.locator(".review__date")).to_contain_text(long_date(day))

    # «Tilbake» ends the hold and returns to the chosen place's calendar on that day.
    page.get_by_role("button", name="Tilbake").click()
    expect(page.get_by_text(f"Sted: {chosen}")).to_be_visible()
    expect(heading(page, f"Ledige timer {short_date(day)}", level=2)).to_be_visible()


def test_parent_books_for_a_child_and_does_not_see_the_hidden_appointment_of_another(page: Page) -> None:
    emma = Citizen.objects.get(first_name="Emma", last_name="Grytten")
    ola = Citizen.objects.get(first_name="Ola", last_name="Grytten")
    hidden = Appointment.objects.get(citizen=ola, hidden=True)

    log_in_citizen(page, KURT)
    acting = page.get_by_label("Du bruker Helsenorge på vegne av")
    expect(acting.locator("option")).to_have_count(3)  # himself, Emma and Ola
    acting.select_option(str(emma.pk))
    page.get_by_role("button", name="Bytt person").click()
    expect(page.get_by_text(f"Du bruker nå Helsenorge på vegne av {EMMA}.")).to_be_visible()
    expect(heading(page, f"Timeavtaler for {EMMA}")).to_be_visible()
    expect(acting).to_have_value(str(emma.pk))

    choose_contact_and_timebook(page, FEBER_CONTACT, FEBER_CHOICE)
    choose_free_day(page)
    page.locator(SLOT).first.click()
    page.get_by_label("Hva gjelder det?").fill("Influensavaksine til Emma")
    page.get_by_role("button", name="Send bestilling").click()
    expect(heading(page, "Timebestillingen er sendt")).to_be_visible()
    page.get_by_role("link", name="Gå til timeavtaler").click()
    expect(heading(page, f"Timeavtaler for {EMMA}")).to_be_visible()
    item = page.locator(".appointment-item").filter(has_text=FEBER_TIMEBOOK)
    expect(item).to_contain_text(f"Bestilt av {KURT}")
    item.get_by_role("link").click()
    assert _fact(page, "Bestilt av") == f"Bestilt av: {KURT} på vegne av {EMMA}"
    assert _fact(page, "Status") == "Status: Tildelt"
    booked = Appointment.objects.get(pk=appointment_id_from_url(page.url))
    assert (booked.citizen_id, booked.booked_by.full_name) == (emma.pk, KURT)

    # Acting for Ola (13): his hidden appointment is neither listed nor reachable by its address.
    acting.select_option(str(ola.pk))
    page.get_by_role("button", name="Bytt person").click()
    expect(heading(page, f"Timeavtaler for {OLA}")).to_be_visible()
    expect(page.get_by_text("Du har ingen kommende timer.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(hidden.slot.timebook.name))).to_have_count(0)
    response = page.goto(f"/timeavtaler/{hidden.pk}/")
    assert response is not None and response.status == 404


def test_blocked_citizen_gets_no_free_times_and_no_calendar(page: Page) -> None:
    log_in_citizen(page, BERIT)
    page.get_by_role("link", name="Bestill time").click()
    page.get_by_role("link", name=GP_CONTACT).click()
    page.get_by_role("radio", name=GP_CHOICE, exact=True).check()
    page.get_by_role("button", name="Neste").click()
    expect(heading(page, "Velg sted", level=2)).to_be_visible()
    page.locator(".choice-list a.choice").filter(has_text="Influenza").click()

    expect(heading(page, "Timebestilling: Velg time")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(NO_FREE_TIMES)
    expect(page.locator("table.calendar")).to_have_count(0)
    expect(page.locator(FREE_DAY)).to_have_count(0)
    expect(page.locator("a.slot")).to_have_count(0)
    # What source 003 offers instead: «Finner du ikke ledig time?» → «Send timeforespørsel».
    page.get_by_text("Finner du ikke ledig time?").click()
    expect(page.get_by_role("link", name="Send timeforespørsel")).to_be_visible()

    # Nor does a day in the address show any times.
    page.goto(page.url + f"&dag={(timezone.localdate() + dt.timedelta(days=7)).isoformat()}")
    expect(page.get_by_role("alert")).to_have_text(NO_FREE_TIMES)
    expect(page.locator("a.slot")).to_have_count(0)
