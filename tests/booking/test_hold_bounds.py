"""What one login may hold, and for how long (holds: see ``tests/booking/test_holds.py``).

A login (whoever it acts for) holds at most one slot per timebook and ``HOLDS_PER_LOGIN_MAX`` in all; a new one
ends its oldest. Reopening «Se gjennom før du sender» renews a hold, but never past ``HOLD_MAX_SECONDS`` from its
first taking; the page says when that is reached, and the same login cannot take the slot again at once (others
can; the login may still send). Any number of parallel opens of one page gives one hold and no error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from booking.models import Appointment, SlotHold
from core.limits import HOLD_MAX_SECONDS, HOLD_SECONDS, HOLDS_PER_LOGIN_MAX
from resourcebooks.models import Slot
from tests.booking.test_race import run_together
from tests.factories import RepresentationFactory, SlotFactory, SlotHoldFactory, TimebookFactory
from tests.pages import html_of, log_in, open_review, review_url, send_booking, text_of, time_url
from tests.world import build_world, new_citizen

pytestmark = pytest.mark.postgres

PARALLEL = 30
HOLD_TEXT = "Timen er holdt av til deg til kl. {:%H:%M}."
FINAL_TEXT = "Timen er holdt av til deg til kl. {:%H:%M}, og kan ikke holdes av lenger."
SPENT_TEXT = "Timen har vært holdt av til deg så lenge den kan"


@pytest.fixture(autouse=True)
def _a_door_for_every_tab(settings):
    """About holds, not the portal's door (``tests.queueing.test_door.py``): no door."""
    settings.WAITING_ROOM_DOOR_RATE = 0


def state(slot: Slot) -> str:
    return Slot.objects.get(pk=slot.pk).state


def switch(client: Client, person) -> None:
    assert client.post(reverse("citizens:switch_person"), {"person": person.pk}).status_code == 302


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


@pytest.fixture
def later(monkeypatch) -> Callable[[float], None]:
    """Move the portal's clock on by some seconds (from now on, for every later request)."""
    real_now = timezone.now
    offset = dt.timedelta()

    def move(seconds: float) -> None:
        nonlocal offset
        offset += dt.timedelta(seconds=seconds)
        monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)

    return move


# --- Parallel opens ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_thirty_parallel_opens_of_one_review_page_all_show_it_and_give_one_hold():
    world = build_world()
    slot = world.slots[0]
    tabs = [log_in(Client(), world.citizen) for _ in range(PARALLEL)]

    def open_page(client: Client) -> Callable:
        def job(wait: Callable[[], object]) -> tuple[int, str]:
            wait()
            response = client.get(review_url(slot))
            return response.status_code, response.content.decode()

        return job

    results = run_together([open_page(tab) for tab in tabs])
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert [status for status, _ in results] == [200] * PARALLEL
    hold = SlotHold.objects.get()
    assert hold.slot_id == slot.pk and hold.citizen == world.citizen
    assert all("Timen er holdt av til deg til kl." in body for _, body in results)
    assert state(slot) == Slot.State.ON_HOLD
    assert all(state(other) == Slot.State.FREE for other in world.slots[1:])


# --- One per timebook, a few in all ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_parent_holds_one_slot_per_timebook_whoever_they_act_for(client, world):
    parent = world.citizen
    first, second = (
        RepresentationFactory(representative=parent, represented__municipality=world.municipality).represented
        for _ in range(2)
    )
    log_in(client, parent)
    open_review(client, world.slots[0])
    switch(client, first)
    open_review(client, world.slots[1])
    switch(client, second)
    open_review(client, world.slots[2])
    hold = SlotHold.objects.get(held_by=parent)
    assert (hold.slot_id, hold.citizen) == (world.slots[2].pk, second)
    assert [state(s) for s in world.slots[:3]] == [Slot.State.FREE, Slot.State.FREE, Slot.State.ON_HOLD]


@pytest.mark.django_db
def test_a_parent_books_for_each_child_one_after_the_other(client, world):
    parent = world.citizen
    children = [
        RepresentationFactory(representative=parent, represented__municipality=world.municipality).represented
        for _ in range(2)
    ]
    log_in(client, parent)
    for child, slot in zip(children, world.slots[1:3], strict=True):
        switch(client, child)
        assert send_booking(client, slot).status_code == 302
    assert {(a.citizen, a.slot_id) for a in Appointment.objects.all()} == {
        (children[0], world.slots[1].pk),
        (children[1], world.slots[2].pk),
    }
    assert not SlotHold.objects.exists()


@pytest.mark.django_db
def test_a_login_holds_a_few_slots_in_all_and_a_new_one_ends_its_oldest(client, world):
    timebooks = [world.timebook] + [TimebookFactory(service=world.service) for _ in range(HOLDS_PER_LOGIN_MAX)]
    start = world.slots[0].start
    slots = [world.slots[0]] + [SlotFactory(timebook=tb, location=world.location, start=start) for tb in timebooks[1:]]
    log_in(client, world.citizen)
    for slot in slots:
        open_review(client, slot)
    held = set(SlotHold.objects.filter(held_by=world.citizen).values_list("slot_id", flat=True))
    assert held == {s.pk for s in slots[1:]}
    assert state(slots[0]) == Slot.State.FREE
    # The oldest is offered to others again.
    other = log_in(Client(), world.resident())
    day = local(start).date()
    assert review_url(slots[0]) in html_of(other.get(f"{time_url(world.timebook)}?sted={world.location.pk}&dag={day}"))


# --- A cap on renewals -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reopening_renews_a_hold_only_up_to_its_cap_and_the_page_says_so(client, world, later):
    slot = world.slots[0]
    log_in(client, world.citizen)
    cap = timezone.now() + dt.timedelta(seconds=HOLD_MAX_SECONDS)
    open_review(client, slot)
    while timezone.now() + dt.timedelta(seconds=HOLD_SECONDS) < cap:
        later(HOLD_SECONDS * 0.8)
        text = text_of(client.get(review_url(slot)))
    hold = SlotHold.objects.get()
    assert abs(cap - hold.until) < dt.timedelta(seconds=5)
    assert FINAL_TEXT.format(local(hold.until)) in text
    later(HOLD_SECONDS * 0.4)
    assert FINAL_TEXT.format(local(hold.until)) in text_of(client.get(review_url(slot)))
    assert SlotHold.objects.get().until == hold.until
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert f"held for you until {local(hold.until):%H:%M}, and cannot be held any longer." in text_of(
        client.get(review_url(slot))
    )


@pytest.mark.django_db
@pytest.mark.parametrize("swept", [False, True])
def test_a_hold_that_ran_its_full_time_is_not_taken_again_by_the_same_login_but_can_still_be_booked(
    client, world, later, swept
):
    from booking.services.holds import holds_sweep

    slot = world.slots[0]
    log_in(client, world.citizen)
    open_review(client, slot)
    for _ in range(HOLD_MAX_SECONDS // HOLD_SECONDS):
        later(HOLD_SECONDS * 0.8)
        client.get(review_url(slot))
    later(HOLD_SECONDS * 0.8)  # past the cap, before the same slot may be held by this login again
    if swept:
        assert holds_sweep() == 1
    response = client.get(review_url(slot))
    assert response.status_code == 200
    assert SPENT_TEXT in text_of(response)
    assert not SlotHold.objects.exists() and state(slot) == Slot.State.FREE
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "held for you as long as it can be, and is free for everyone again" in text_of(client.get(review_url(slot)))
    # Others see it free; the login itself may still send while it is free.
    other = log_in(Client(), world.resident())
    day = local(slot.start).date()
    assert review_url(slot) in html_of(other.get(f"{time_url(world.timebook)}?sted={world.location.pk}&dag={day}"))
    assert send_booking(client, slot).status_code == 302
    assert Appointment.objects.get().slot_id == slot.pk


@pytest.mark.django_db
def test_after_a_while_the_same_login_may_hold_that_slot_again(client, world, later):
    slot = world.slots[0]
    log_in(client, world.citizen)
    open_review(client, slot)
    later(HOLD_MAX_SECONDS + HOLD_SECONDS + 1)
    text = text_of(client.get(review_url(slot)))
    hold = SlotHold.objects.get()
    assert HOLD_TEXT.format(local(hold.until)) in text and SPENT_TEXT not in text


# --- What the database itself refuses ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_refuses_two_holds_by_one_login_in_a_timebook_and_a_hold_past_its_cap(world):
    parent, child = world.citizen, new_citizen(municipality=world.municipality)
    now = timezone.now()

    def hold(slot: Slot, citizen, held_by, seconds: int) -> SlotHold:
        return SlotHoldFactory(
            slot=slot,
            timebook=world.timebook,
            citizen=citizen,
            held_by=held_by,
            created_at=now,
            until=now + dt.timedelta(seconds=seconds),
        )

    hold(world.slots[0], parent, parent, HOLD_SECONDS)
    with pytest.raises(IntegrityError), transaction.atomic():
        hold(world.slots[1], child, parent, HOLD_SECONDS)  # a second hold by the parent's login
    with pytest.raises(IntegrityError), transaction.atomic():
        hold(world.slots[2], child, child, HOLD_MAX_SECONDS + 1)  # past the cap
