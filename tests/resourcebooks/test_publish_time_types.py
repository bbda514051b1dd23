"""Publishing a practitioner's week: each slot takes its template's time type, so one day mixes
«08:00 - 08:15 Videotime» and «13:15 - 13:30 Konsultasjon» (source 003), and one timebook never overlaps."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from resourcebooks.models import TimeType
from resourcebooks.services import slots_publish
from tests.factories import PractitionerTimebookFactory, TimeTypeFactory, WeekTemplateFactory

OSLO = ZoneInfo("Europe/Oslo")
TODAY = dt.date(2026, 11, 23)  # a Monday
DAY = dt.date(2026, 11, 24)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 11, 23, 7, tzinfo=OSLO).astimezone(dt.UTC))


@pytest.fixture
def timebook():
    return PractitionerTimebookFactory()


def block(timebook, time_type, start: int | dt.time, end: int | dt.time, minutes: int = 15):
    return WeekTemplateFactory(
        timebook=timebook,
        time_type=time_type,
        start_time=start if isinstance(start, dt.time) else dt.time(start),
        end_time=end if isinstance(end, dt.time) else dt.time(end),
        slot_minutes=minutes,
    )


def lines(timebook) -> list[str]:
    return [
        f"{timezone.localtime(s.start):%H:%M} - {timezone.localtime(s.end):%H:%M} {s.time_type}"
        for s in timebook.slots.select_related("time_type").order_by("start")
    ]


def test_one_day_mixes_videotime_and_konsultasjon(timebook):
    org = timebook.service.organisation
    video = TimeTypeFactory(organisation=org, name="Videotime", mode=TimeType.Mode.VIDEO, duration_minutes=15)
    visit = TimeTypeFactory(organisation=org, name="Konsultasjon", duration_minutes=15)

    for template in (block(timebook, video, 8, dt.time(8, 30)), block(timebook, visit, dt.time(13, 15), 14)):
        slots_publish(template=template, date_from=DAY, date_to=DAY, today=TODAY)

    assert lines(timebook) == [
        "08:00 - 08:15 Videotime",
        "08:15 - 08:30 Videotime",
        "13:15 - 13:30 Konsultasjon",
        "13:30 - 13:45 Konsultasjon",
        "13:45 - 14:00 Konsultasjon",
    ]


def test_a_second_type_over_the_same_hours_is_refused(timebook):
    org = timebook.service.organisation
    first = block(timebook, TimeTypeFactory(organisation=org, name="Konsultasjon"), 8, 9)
    urgent_type = TimeTypeFactory(organisation=org, name="Hastetime", urgent=True)
    urgent = block(timebook, urgent_type, dt.time(8, 10), dt.time(10, 10), minutes=20)
    slots_publish(template=first, date_from=DAY, date_to=DAY, today=TODAY)

    with pytest.raises(ValidationError, match="overlappe"):
        slots_publish(template=urgent, date_from=DAY, date_to=DAY, today=TODAY)

    assert len(lines(timebook)) == 4
