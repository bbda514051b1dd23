"""slots_publish: a week template becomes free slots at local wall-clock times, once, never overlapping."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from resourcebooks.models import Slot
from resourcebooks.services import MAX_PUBLISH_DAYS, PublishResult, slots_publish, slots_withdraw_selected
from tests.factories import SlotFactory, TimebookFactory, WeekTemplateFactory

OSLO = ZoneInfo("Europe/Oslo")
TODAY = dt.date(2026, 11, 23)  # a Monday
NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=OSLO)
ALL_WEEK = [0, 1, 2, 3, 4, 5, 6]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """Publishing refuses days before today and skips slots starting before now: pin both to NOW."""
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(dt.UTC))


def template(**kwargs):
    """A week template; times given as hours (8) or ``dt.time``."""
    for key in ("start_time", "end_time"):
        if isinstance(kwargs.get(key), int):
            kwargs[key] = dt.time(kwargs[key])
    # These tests count every weekday of the period; holidays (Easter is the spring DST day in 2027) have a
    # test of their own (tests.booking.test_clinic_admin_pages.py).
    kwargs.setdefault("skip_holidays", False)
    return WeekTemplateFactory(**kwargs)


def publish(tmpl, date_from: dt.date, date_to: dt.date | None = None) -> PublishResult:
    return slots_publish(template=tmpl, date_from=date_from, date_to=date_to or date_from, today=TODAY)


def local_starts(timebook) -> list[str]:
    """Slot starts as local ISO strings with their UTC offset, e.g. ``2027-03-28T08:00:00+02:00``."""
    return [timezone.localtime(s).isoformat() for s in timebook.slots.order_by("start").values_list("start", flat=True)]


def assert_exact_length_and_no_overlap(timebook, minutes: int) -> None:
    spans = list(timebook.slots.order_by("start").values_list("start", "end"))
    assert spans, "expected some slots"
    for start, end in spans:
        assert end - start == dt.timedelta(minutes=minutes), f"slot at {timezone.localtime(start)} is {end - start}"
    for (_, end), (next_start, _) in itertools.pairwise(spans):
        assert end <= next_start, f"slot ending {timezone.localtime(end)} overlaps {timezone.localtime(next_start)}"


# --- What publishing creates -------------------------------------------------------------------------


def test_publishing_creates_free_slots_at_local_times_at_the_templates_location():
    tmpl = template(weekdays=[0, 2], start_time=8, end_time=9, slot_minutes=20)

    result = publish(tmpl, dt.date(2027, 1, 4), dt.date(2027, 1, 10))  # Monday to Sunday

    assert result.created == 6
    assert result.existing == 0
    assert local_starts(tmpl.timebook) == [
        "2027-01-04T08:00:00+01:00",
        "2027-01-04T08:20:00+01:00",
        "2027-01-04T08:40:00+01:00",
        "2027-01-06T08:00:00+01:00",
        "2027-01-06T08:20:00+01:00",
        "2027-01-06T08:40:00+01:00",
    ]
    slots = list(tmpl.timebook.slots.all())
    assert {s.state for s in slots} == {Slot.State.FREE}
    assert {s.location_id for s in slots} == {tmpl.location_id}
    assert {s.template_id for s in slots} == {tmpl.pk}
    assert {s.duration_minutes for s in slots} == {20}
    assert f"{timezone.localtime(slots[0].start):%H:%M}" == "08:00"


def test_the_result_message_says_how_many_were_created():
    tmpl = template(weekdays=[0, 2], start_time=8, end_time=9, slot_minutes=20)

    result = publish(tmpl, dt.date(2027, 1, 4), dt.date(2027, 1, 10))

    assert result.message == "Publiserte 6 nye timer for perioden 04.01.2027–10.01.2027."


def test_publishing_twice_creates_nothing_new_and_says_so():
    tmpl = template(weekdays=[0, 2], start_time=8, end_time=9, slot_minutes=20)
    publish(tmpl, dt.date(2027, 1, 4), dt.date(2027, 1, 10))
    before = set(Slot.objects.values_list("pk", "start", "end"))

    result = publish(tmpl, dt.date(2027, 1, 4), dt.date(2027, 1, 10))

    assert (result.created, result.existing) == (0, 6)
    assert result.message == "Ingen nye timer: alle 6 timer i perioden 04.01.2027–10.01.2027 var publisert fra før."
    assert set(Slot.objects.values_list("pk", "start", "end")) == before


def test_publishing_a_range_that_partly_overlaps_an_earlier_publish_creates_only_the_missing_days():
    tmpl = template(weekdays=ALL_WEEK, start_time=8, end_time=10, slot_minutes=60)
    publish(tmpl, dt.date(2027, 1, 4), dt.date(2027, 1, 8))

    result = publish(tmpl, dt.date(2027, 1, 6), dt.date(2027, 1, 12))

    assert (result.created, result.existing) == (8, 6)
    assert result.message == (
        "Publiserte 8 nye timer for perioden 06.01.2027–12.01.2027. 6 timer fantes fra før og ble ikke laget på nytt."
    )
    per_day = Counter(timezone.localdate(s) for s in tmpl.timebook.slots.values_list("start", flat=True))
    assert per_day == {dt.date(2027, 1, d): 2 for d in range(4, 13)}


def test_publishing_stops_at_the_templates_validity():
    tmpl = template(
        weekdays=ALL_WEEK,
        start_time=8,
        end_time=9,
        slot_minutes=60,
        valid_from=dt.date(2027, 1, 6),
        valid_to=dt.date(2027, 1, 8),
    )

    result = publish(tmpl, dt.date(2027, 1, 4), dt.date(2027, 1, 12))

    assert (result.created, result.date_from, result.date_to) == (3, dt.date(2027, 1, 6), dt.date(2027, 1, 8))
    assert local_starts(tmpl.timebook) == [
        "2027-01-06T08:00:00+01:00",
        "2027-01-07T08:00:00+01:00",
        "2027-01-08T08:00:00+01:00",
    ]


def test_publishing_may_reach_exactly_max_publish_days_ahead():
    tmpl = template(weekdays=ALL_WEEK, start_time=8, end_time=9, slot_minutes=60)
    horizon = TODAY + dt.timedelta(days=MAX_PUBLISH_DAYS)

    result = publish(tmpl, horizon, horizon)

    assert result.created == 1
    assert timezone.localdate(tmpl.timebook.slots.get().start) == horizon


# --- Daylight saving time ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dst_day", "expected"),
    [
        pytest.param(
            dt.date(2027, 3, 28),
            [
                "2027-03-27T08:00:00+01:00",
                "2027-03-27T09:00:00+01:00",
                "2027-03-28T08:00:00+02:00",
                "2027-03-28T09:00:00+02:00",
                "2027-03-29T08:00:00+02:00",
                "2027-03-29T09:00:00+02:00",
            ],
            id="spring",
        ),
        pytest.param(
            dt.date(2027, 10, 31),
            [
                "2027-10-30T08:00:00+02:00",
                "2027-10-30T09:00:00+02:00",
                "2027-10-31T08:00:00+01:00",
                "2027-10-31T09:00:00+01:00",
                "2027-11-01T08:00:00+01:00",
                "2027-11-01T09:00:00+01:00",
            ],
            id="autumn",
        ),
    ],
)
def test_slots_stay_at_the_same_local_time_over_a_dst_change(dst_day, expected):
    tmpl = template(weekdays=ALL_WEEK, start_time=8, end_time=10, slot_minutes=60)

    result = publish(tmpl, dst_day - dt.timedelta(days=1), dst_day + dt.timedelta(days=1))

    assert result.created == 6
    assert local_starts(tmpl.timebook) == expected
    assert_exact_length_and_no_overlap(tmpl.timebook, 60)


def test_the_skipped_spring_hour_is_left_out_of_a_night_template():
    tmpl = template(weekdays=[6], start_time=1, end_time=4, slot_minutes=30)

    result = publish(tmpl, dt.date(2027, 3, 28))

    # 02:00 and 02:30 do not exist in Oslo on 28 March 2027; nothing is moved into their place.
    assert result.created == 4
    assert local_starts(tmpl.timebook) == [
        "2027-03-28T01:00:00+01:00",
        "2027-03-28T01:30:00+01:00",
        "2027-03-28T03:00:00+02:00",
        "2027-03-28T03:30:00+02:00",
    ]
    assert_exact_length_and_no_overlap(tmpl.timebook, 30)


def test_the_repeated_autumn_hour_never_gives_overlapping_or_longer_slots():
    tmpl = template(weekdays=[6], start_time=1, end_time=4, slot_minutes=30)

    publish(tmpl, dt.date(2027, 10, 31))

    assert_exact_length_and_no_overlap(tmpl.timebook, 30)
    wall_times = {f"{timezone.localtime(s):%H:%M}" for s in tmpl.timebook.slots.values_list("start", flat=True)}
    assert wall_times == {"01:00", "01:30", "02:00", "02:30", "03:00", "03:30"}


@pytest.mark.parametrize("minutes", [15, 30, 45, 60, 90])
@pytest.mark.parametrize("dst_day", [dt.date(2027, 3, 28), dt.date(2027, 10, 31)], ids=["spring", "autumn"])
def test_a_night_template_over_a_dst_change_never_makes_overlapping_slots(dst_day, minutes):
    tmpl = template(weekdays=[6], start_time=1, end_time=4, slot_minutes=minutes)

    publish(tmpl, dst_day)

    assert_exact_length_and_no_overlap(tmpl.timebook, minutes)


# --- Refusals ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        pytest.param(
            {"start_time": dt.time(10), "end_time": dt.time(8)},
            "end_time",
            "Sluttidspunktet må være etter starttidspunktet.",
            id="end-before-start",
        ),
        pytest.param(
            {"start_time": dt.time(8), "end_time": dt.time(8)},
            "end_time",
            "Sluttidspunktet må være etter starttidspunktet.",
            id="end-equals-start",
        ),
        pytest.param(
            {"start_time": dt.time(8), "end_time": dt.time(9), "slot_minutes": 25},
            "slot_minutes",
            "Timelengden (25 min) går ikke opp i tidsrommet 08:00–09:00 (60 min).",
            id="slot-length-does-not-divide",
        ),
        pytest.param({"weekdays": []}, "weekdays", "Velg minst én ukedag.", id="no-weekdays"),
        pytest.param({"weekdays": [7]}, "weekdays", "Velg minst én ukedag.", id="no-such-weekday"),
    ],
)
def test_a_bad_template_is_refused_and_nothing_is_created(change, field, message):
    tmpl = template(weekdays=ALL_WEEK, start_time=8, end_time=10, slot_minutes=30)
    for attr, value in change.items():  # as the admin form would hand it over, before it is saved
        setattr(tmpl, attr, value)

    with pytest.raises(ValidationError) as exc:
        publish(tmpl, dt.date(2027, 1, 4), dt.date(2027, 1, 10))

    assert exc.value.message_dict == {field: [message]}
    assert not Slot.objects.exists()


@pytest.mark.parametrize(
    ("date_from", "date_to", "field", "message"),
    [
        pytest.param(
            dt.date(2027, 1, 10),
            dt.date(2027, 1, 4),
            "date_to",
            "Til-datoen kan ikke være før fra-datoen.",
            id="date-to-before-date-from",
        ),
        pytest.param(
            TODAY - dt.timedelta(days=1),
            TODAY + dt.timedelta(days=7),
            "date_from",
            "Kan ikke publisere timer tilbake i tid. Velg en fra-dato fra og med i dag.",
            id="date-from-in-the-past",
        ),
        pytest.param(
            TODAY,
            TODAY + dt.timedelta(days=MAX_PUBLISH_DAYS + 1),
            "date_to",
            "Kan publisere høyst ett år fram i tid, det vil si til og med "
            f"{TODAY + dt.timedelta(days=MAX_PUBLISH_DAYS):%d.%m.%Y}.",
            id="past-max-publish-days",
        ),
    ],
)
def test_a_bad_range_is_refused_and_nothing_is_created(date_from, date_to, field, message):
    tmpl = template(weekdays=ALL_WEEK, start_time=8, end_time=10, slot_minutes=30)

    with pytest.raises(ValidationError) as exc:
        publish(tmpl, date_from, date_to)

    assert exc.value.message_dict == {field: [message]}
    assert not Slot.objects.exists()


def test_a_range_outside_the_templates_validity_is_refused():
    tmpl = template(
        weekdays=ALL_WEEK,
        start_time=8,
        end_time=10,
        slot_minutes=30,
        valid_from=dt.date(2027, 1, 1),
        valid_to=dt.date(2027, 1, 31),
    )

    with pytest.raises(ValidationError) as exc:
        publish(tmpl, dt.date(2027, 2, 1), dt.date(2027, 2, 7))

    assert exc.value.messages == [
        "Ukemalen gjelder ikke i perioden 01.02.2027–07.02.2027 (den er gyldig 01.01.2027–31.01.2027)."
    ]
    assert not Slot.objects.exists()


def test_a_template_that_overlaps_the_timebooks_slots_is_refused_naming_the_first_clash():
    ten = template(weekdays=ALL_WEEK, start_time=8, end_time=10, slot_minutes=10)
    publish(ten, dt.date(2027, 1, 5))
    fifteen = template(
        timebook=ten.timebook, location=ten.location, weekdays=ALL_WEEK, start_time=8, end_time=10, slot_minutes=15
    )

    with pytest.raises(ValidationError) as exc:
        publish(fifteen, dt.date(2027, 1, 4), dt.date(2027, 1, 6))

    assert exc.value.messages == [
        "Ingen timer ble publisert: 8 nye timer ville overlappe timer som allerede finnes i timeboken "
        "(første: 05.01.2027 kl. 08:00 mot eksisterende time 05.01.2027 kl. 08:00). "
        "En timebok er én persons kalender, så timene kan ikke overlappe."
    ]
    # All or nothing: the days without a clash (4 and 6 January) got nothing either.
    assert Slot.objects.count() == 12
    assert not Slot.objects.filter(template=fifteen).exists()


def test_the_overlap_message_names_the_new_and_the_existing_slot_of_the_first_clash():
    ten = template(weekdays=ALL_WEEK, start_time=8, end_time=10, slot_minutes=10)
    publish(ten, dt.date(2027, 1, 5), dt.date(2027, 1, 6))
    later = template(
        timebook=ten.timebook,
        location=ten.location,
        weekdays=ALL_WEEK,
        start_time=dt.time(9, 45),
        end_time=dt.time(10, 45),
        slot_minutes=15,
    )

    with pytest.raises(ValidationError) as exc:
        publish(later, dt.date(2027, 1, 4), dt.date(2027, 1, 6))

    message = exc.value.messages[0]
    assert message.startswith("Ingen timer ble publisert: 2 nye timer ville overlappe")
    assert "(første: 05.01.2027 kl. 09:45 mot eksisterende time 05.01.2027 kl. 09:40)" in message
    assert not Slot.objects.filter(template=later).exists()


def test_a_template_starting_where_another_ends_is_not_an_overlap():
    morning = template(weekdays=ALL_WEEK, start_time=8, end_time=10, slot_minutes=10)
    publish(morning, dt.date(2027, 1, 4))
    late_morning = template(
        timebook=morning.timebook,
        location=morning.location,
        weekdays=ALL_WEEK,
        start_time=10,
        end_time=12,
        slot_minutes=15,
    )

    result = publish(late_morning, dt.date(2027, 1, 4))

    assert result.created == 8
    spans = list(morning.timebook.slots.order_by("start").values_list("start", "end"))
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(spans))


def test_another_timebook_may_have_slots_at_the_same_times():
    first = template(weekdays=ALL_WEEK, start_time=8, end_time=10, slot_minutes=30)
    other_timebook = TimebookFactory(service=first.timebook.service)
    second = template(timebook=other_timebook, weekdays=ALL_WEEK, start_time=8, end_time=10, slot_minutes=30)
    publish(first, dt.date(2027, 1, 4))

    result = publish(second, dt.date(2027, 1, 4))

    assert result.created == 4
    assert local_starts(other_timebook) == local_starts(first.timebook)


# --- Publishing again --------------------------------------------------------------------------------


def test_a_withdrawn_slot_stays_withdrawn_when_publishing_again():
    tmpl = template(weekdays=ALL_WEEK, start_time=8, end_time=10, slot_minutes=60)
    publish(tmpl, dt.date(2027, 1, 4), dt.date(2027, 1, 5))
    holiday = tmpl.timebook.slots.order_by("start").first()
    slots_withdraw_selected(slots=Slot.objects.filter(pk=holiday.pk))

    result = publish(tmpl, dt.date(2027, 1, 4), dt.date(2027, 1, 5))

    assert (result.created, result.existing) == (0, 4)
    assert result.message.startswith("Ingen nye timer")
    assert Slot.objects.count() == 4
    assert Slot.objects.filter(start=holiday.start).count() == 1
    holiday.refresh_from_db()
    assert holiday.state == Slot.State.WITHDRAWN


def test_slots_starting_earlier_today_than_now_are_not_created():
    tmpl = template(weekdays=ALL_WEEK, start_time=8, end_time=12, slot_minutes=60)

    result = publish(tmpl, TODAY, TODAY + dt.timedelta(days=1))  # now is 09:30 on TODAY

    assert result.created == 6
    assert local_starts(tmpl.timebook) == [
        "2026-11-23T10:00:00+01:00",
        "2026-11-23T11:00:00+01:00",
        "2026-11-24T08:00:00+01:00",
        "2026-11-24T09:00:00+01:00",
        "2026-11-24T10:00:00+01:00",
        "2026-11-24T11:00:00+01:00",
    ]


def test_publishing_a_day_that_has_already_passed_creates_nothing_and_says_so():
    tmpl = template(weekdays=ALL_WEEK, start_time=6, end_time=9, slot_minutes=60)

    result = publish(tmpl, TODAY)

    assert (result.created, result.existing) == (0, 0)
    assert result.message == "Ingen timer å publisere i perioden 23.11.2026–23.11.2026."
    assert not Slot.objects.exists()


def test_a_year_of_five_minute_weekday_slots_is_published_in_one_call():
    tmpl = template(weekdays=[0, 1, 2, 3, 4], start_time=8, end_time=16, slot_minutes=5)
    date_from = TODAY + dt.timedelta(days=1)
    date_to = TODAY + dt.timedelta(days=MAX_PUBLISH_DAYS)
    days = [date_from + dt.timedelta(days=n) for n in range((date_to - date_from).days + 1)]
    weekdays = {d for d in days if d.weekday() < 5}
    per_day = (16 - 8) * 60 // 5
    expected = len(weekdays) * per_day

    result = publish(tmpl, date_from, date_to)

    assert 24_000 < expected < 26_000
    assert result.created == expected
    starts = [timezone.localtime(s) for s in Slot.objects.values_list("start", flat=True)]
    assert len(starts) == expected
    assert Counter(s.date() for s in starts) == dict.fromkeys(weekdays, per_day)
    assert min(f"{s:%H:%M}" for s in starts) == "08:00"
    assert max(f"{s:%H:%M}" for s in starts) == "15:55"


# --- PostgreSQL: the database guards the calendar too ------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_refuses_an_overlapping_slot_inserted_directly_but_accepts_an_adjacent_one():
    slot = SlotFactory(
        start=dt.datetime(2027, 1, 4, 7, 0, tzinfo=dt.UTC), end=dt.datetime(2027, 1, 4, 7, 30, tzinfo=dt.UTC)
    )

    with pytest.raises(IntegrityError, match="slot_no_overlap_per_timebook"), transaction.atomic():
        Slot.objects.create(
            timebook=slot.timebook,
            location=slot.location,
            start=dt.datetime(2027, 1, 4, 7, 15, tzinfo=dt.UTC),
            end=dt.datetime(2027, 1, 4, 7, 45, tzinfo=dt.UTC),
        )
    SlotFactory(
        timebook=slot.timebook,
        location=slot.location,
        start=slot.end,
        end=slot.end + dt.timedelta(minutes=30),
    )
    other_timebook = TimebookFactory(service=slot.timebook.service)
    SlotFactory(
        timebook=other_timebook,
        location=slot.location,
        start=dt.datetime(2027, 1, 4, 7, 15, tzinfo=dt.UTC),
        end=dt.datetime(2027, 1, 4, 7, 45, tzinfo=dt.UTC),
    )

    assert slot.timebook.slots.count() == 2
    assert other_timebook.slots.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_publishes_at_the_same_moment_end_with_exactly_one_applied():
    ten = template(weekdays=ALL_WEEK, start_time=8, end_time=12, slot_minutes=10)
    fifteen = template(
        timebook=ten.timebook, location=ten.location, weekdays=ALL_WEEK, start_time=8, end_time=12, slot_minutes=15
    )
    barrier = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def run(tmpl) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[tmpl.pk] = publish(tmpl, dt.date(2027, 1, 4), dt.date(2027, 3, 4))
        except Exception as exc:  # the test inspects whatever happened
            outcomes[tmpl.pk] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in (ten, fifteen)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == 2, outcomes
    applied = {pk: o for pk, o in outcomes.items() if isinstance(o, PublishResult)}
    refused = {pk: o for pk, o in outcomes.items() if isinstance(o, ValidationError)}
    assert len(applied) == 1 and len(refused) == 1, outcomes
    ((winner, result),) = applied.items()
    (refusal,) = refused.values()
    assert result.created > 0
    assert refusal.messages[0].startswith("Ingen timer ble publisert:")
    assert set(Slot.objects.values_list("template_id", flat=True)) == {winner}
    assert Slot.objects.count() == result.created
    assert_exact_length_and_no_overlap(ten.timebook, 10 if winner == ten.pk else 15)
