"""slots_withdraw and slots_withdraw_selected: only free slots are withdrawn, by local day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from resourcebooks.models import Slot
from resourcebooks.services import slots_withdraw, slots_withdraw_selected
from tests.factories import LocationFactory, SlotFactory, TimebookFactory

OSLO = ZoneInfo("Europe/Oslo")
FREE, HELD, BOOKED, WITHDRAWN = Slot.State.FREE, Slot.State.HELD, Slot.State.BOOKED, Slot.State.WITHDRAWN

pytestmark = pytest.mark.django_db


@pytest.fixture
def timebook():
    return TimebookFactory()


@pytest.fixture
def add_slot(timebook):
    location = LocationFactory(organisation=timebook.service.organisation)

    def add(start: dt.datetime, state: str = FREE, minutes: int = 30, on=None) -> Slot:
        book = on or timebook
        place = location if book == timebook else LocationFactory(organisation=book.service.organisation)
        return SlotFactory(
            timebook=book, location=place, start=start, end=start + dt.timedelta(minutes=minutes), state=state
        )

    return add


def oslo(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=OSLO)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=OSLO)


def states(*slots: Slot) -> list[str]:
    return [Slot.objects.get(pk=s.pk).state for s in slots]


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(dt.date(2027, 1, 11), id="winter"),
        pytest.param(dt.date(2027, 7, 12), id="summer"),
        pytest.param(dt.date(2027, 3, 28), id="spring-dst-day-23-hours"),
        pytest.param(dt.date(2027, 10, 31), id="autumn-dst-day-25-hours"),
    ],
)
def test_withdrawing_a_day_takes_free_slots_from_local_midnight_to_local_midnight(timebook, add_slot, day):
    before, after = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    late_the_day_before = add_slot(at(before, 23, 30))
    # 00:30 in Oslo is still the day before in UTC, and 00:00 the next day is still this day in UTC; on the
    # DST days the local day is 23 or 25 hours long, so "day + 24 hours" is wrong too.
    first_minute = add_slot(at(day, 0, 0))
    half_past_midnight = add_slot(at(day, 0, 30))
    midday = add_slot(at(day, 12, 0))
    last_half_hour = add_slot(at(day, 23, 30))
    midnight_after = add_slot(at(after, 0, 0))

    count = slots_withdraw(timebook=timebook, date_from=day, date_to=day)

    assert count == 4
    assert states(first_minute, half_past_midnight, midday, last_half_hour) == [WITHDRAWN] * 4
    assert states(late_the_day_before, midnight_after) == [FREE, FREE]


def test_withdrawing_a_period_covers_every_day_in_it(timebook, add_slot):
    inside = [add_slot(oslo(2027, 1, d, 9)) for d in (4, 5, 6, 7, 8)]
    outside = [add_slot(oslo(2027, 1, 3, 9)), add_slot(oslo(2027, 1, 9, 9))]

    count = slots_withdraw(timebook=timebook, date_from=dt.date(2027, 1, 4), date_to=dt.date(2027, 1, 8))

    assert count == 5
    assert states(*inside) == [WITHDRAWN] * 5
    assert states(*outside) == [FREE, FREE]


def test_held_and_booked_slots_are_left_alone_and_only_free_ones_are_counted(timebook, add_slot):
    free = add_slot(oslo(2027, 1, 11, 8, 0))
    held = add_slot(oslo(2027, 1, 11, 8, 30), state=HELD)
    booked = add_slot(oslo(2027, 1, 11, 9, 0), state=BOOKED)
    already_withdrawn = add_slot(oslo(2027, 1, 11, 9, 30), state=WITHDRAWN)

    count = slots_withdraw(timebook=timebook, date_from=dt.date(2027, 1, 11), date_to=dt.date(2027, 1, 11))

    assert count == 1
    assert states(free, held, booked, already_withdrawn) == [WITHDRAWN, HELD, BOOKED, WITHDRAWN]


def test_another_timebooks_slots_are_not_touched(timebook, add_slot):
    other = TimebookFactory(service=timebook.service)
    mine = add_slot(oslo(2027, 1, 11, 8, 0))
    theirs = add_slot(oslo(2027, 1, 11, 8, 0), on=other)

    count = slots_withdraw(timebook=timebook, date_from=dt.date(2027, 1, 11), date_to=dt.date(2027, 1, 11))

    assert count == 1
    assert states(mine, theirs) == [WITHDRAWN, FREE]


def test_withdrawing_a_period_without_free_slots_returns_zero(timebook, add_slot):
    booked = add_slot(oslo(2027, 1, 11, 8, 0), state=BOOKED)

    assert slots_withdraw(timebook=timebook, date_from=dt.date(2027, 1, 11), date_to=dt.date(2027, 1, 12)) == 0
    assert states(booked) == [BOOKED]


def test_date_to_before_date_from_is_refused_and_nothing_changes(timebook, add_slot):
    free = add_slot(oslo(2027, 1, 11, 8, 0))

    with pytest.raises(ValidationError) as exc:
        slots_withdraw(timebook=timebook, date_from=dt.date(2027, 1, 12), date_to=dt.date(2027, 1, 11))

    assert exc.value.message_dict == {"date_to": ["Til-datoen kan ikke være før fra-datoen."]}
    assert states(free) == [FREE]


def test_withdrawing_selected_slots_changes_only_the_free_ones(timebook, add_slot):
    free_a = add_slot(oslo(2027, 1, 11, 8, 0))
    free_b = add_slot(oslo(2027, 1, 12, 8, 0))
    held = add_slot(oslo(2027, 1, 11, 8, 30), state=HELD)
    booked = add_slot(oslo(2027, 1, 11, 9, 0), state=BOOKED)
    not_selected = add_slot(oslo(2027, 1, 11, 9, 30))
    selection = Slot.objects.filter(pk__in=[free_a.pk, free_b.pk, held.pk, booked.pk])

    count = slots_withdraw_selected(slots=selection)

    assert count == 2
    assert states(free_a, free_b, held, booked, not_selected) == [WITHDRAWN, WITHDRAWN, HELD, BOOKED, FREE]


def test_withdrawing_the_same_selection_again_changes_nothing(timebook, add_slot):
    free = add_slot(oslo(2027, 1, 11, 8, 0))
    selection = Slot.objects.filter(pk=free.pk)
    slots_withdraw_selected(slots=selection)

    assert slots_withdraw_selected(slots=selection) == 0
    assert states(free) == [WITHDRAWN]
