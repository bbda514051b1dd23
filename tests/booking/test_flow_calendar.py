"""«Velg time» over the change to summer time (DESIGN §2: DST days are test cases), and calendar addresses
that are not what the links make (a hand-edited month or day must not break the page)."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone
from icalendar import Calendar

from booking.services import appointment_confirm, appointment_request
from resourcebooks.models import Slot
from tests.factories import SlotFactory
from tests.pages import MONTHS, day_heading, html_of, local_start, log_in, review_line, review_url, text_of, time_url
from tests.world import World

pytestmark = pytest.mark.django_db


def next_summer_time_day() -> dt.date:
    """The next last Sunday of March, when at 02:00 the clocks go forward to 03:00 in Oslo."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        last = dt.date(year, 3, 31)
        day = last - dt.timedelta(days=(last.weekday() - 6) % 7)
        if day > today:
            return day
    raise AssertionError("unreachable")


DST_DAY = next_summer_time_day()
MONDAY = DST_DAY + dt.timedelta(days=1)


@pytest.fixture
def dst_slots(world: World) -> dict[str, Slot]:
    def slot(day: dt.date, hour: int, minute: int = 0) -> Slot:
        return SlotFactory(timebook=world.timebook, location=world.location, start=local_start(day, hour, minute))

    return {
        "before": slot(DST_DAY, 1, 30),  # 00:30 UTC, winter time
        "after": slot(DST_DAY, 3, 0),  # 01:00 UTC, summer time
        "monday_early": slot(MONDAY, 0, 30),  # 22:30 UTC on Sunday
    }


def test_the_calendar_marks_the_local_days_around_the_change(client, world, dst_slots):
    log_in(client, world.citizen)
    response = client.get(time_url(world.timebook), {"sted": world.location.pk, "maned": f"{DST_DAY:%Y-%m}"})
    assert f"&lt; Mars {DST_DAY.year} &gt;" in text_of(response)
    tags = re.findall(r"<a\b[^>]*calendar__day--free[^>]*>", html_of(response))
    days = {dt.date.fromisoformat(re.search(r"dag=(\d{4}-\d{2}-\d{2})", tag).group(1)) for tag in tags}
    assert days == {DST_DAY} | ({MONDAY} if MONDAY.month == 3 else set())


def test_the_day_of_the_change_lists_its_slots_in_local_time(client, world, dst_slots):
    log_in(client, world.citizen)
    response = client.get(time_url(world.timebook), {"sted": world.location.pk, "dag": f"{DST_DAY:%Y-%m-%d}"})
    text = text_of(response)
    assert day_heading(DST_DAY) == f"Ledige timer {DST_DAY.day}. mars {DST_DAY.year}"
    assert day_heading(DST_DAY) in text
    assert "01:30 - 01:35" in text
    assert "03:00 - 03:05" in text
    assert "00:30 - 00:35" not in text  # that one is on Monday, in Oslo

    monday = text_of(client.get(time_url(world.timebook), {"sted": world.location.pk, "dag": f"{MONDAY:%Y-%m-%d}"}))
    assert day_heading(MONDAY) in monday
    assert "00:30 - 00:35" in monday


def test_the_review_and_the_calendar_file_keep_the_local_time_after_the_change(client, world, dst_slots):
    slot = dst_slots["after"]
    log_in(client, world.citizen)
    assert review_line(slot) == f"Søndag {DST_DAY.day}. mars {DST_DAY.year} kl. 03:00 - 03:05"
    assert review_line(slot) in text_of(client.get(review_url(slot)))

    outcome = appointment_request(
        person=world.citizen,
        booked_by=world.citizen,
        timebook=world.timebook,
        slot_id=slot.pk,
        reason="Vaksine",
        idempotency_key=uuid.uuid4(),
    )
    appointment_confirm(appointment_id=outcome.appointment.pk)
    page = text_of(client.get(outcome.appointment.get_absolute_url()))
    assert f"{DST_DAY.day}. {MONTHS[2]} {DST_DAY.year} kl. 03:00: Time for vaksine hos" in page

    event = Calendar.from_ical(client.get(f"{outcome.appointment.get_absolute_url()}kalender.ics").content).walk(
        "VEVENT"
    )[0]
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (3, 0, "Europe/Oslo")
    assert start == slot.start


@pytest.mark.parametrize(
    "query",
    [
        {"maned": "2026-13"},
        {"maned": "abc"},
        {"dag": "2027-02-30"},
        {"dag": "i-morgen"},
        {"maned": "9999-12"},
        {"dag": "9999-12-31"},
        {"maned": "0001-01"},
    ],
)
def test_a_hand_edited_month_or_day_does_not_break_the_calendar(client, world, query):
    log_in(client, world.citizen)
    client.raise_request_exception = False
    response = client.get(time_url(world.timebook), {"sted": world.location.pk, **query})
    assert response.status_code in (200, 400, 404), response.status_code
