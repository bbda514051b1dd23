"""When many citizens press «Send bestilling» on the same slot at once, exactly one gets it and every other is
told at once that the time is no longer free (DESIGN §4). A double-submitted form is one request. Behind
the booking service, a partial unique index makes a double booking impossible on any database.

The concurrent tests need PostgreSQL: each thread has its own Django test client, logged in as its own
citizen, and its own database connection (closed when the thread ends).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from collections.abc import Callable

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from booking.models import Appointment, SlotHold
from resourcebooks.models import Slot
from tests.factories import SlotFactory
from tests.pages import log_in, open_review, review_url
from tests.world import build_world, new_citizen

THREADS = 50


@pytest.fixture(autouse=True)
def _no_door(settings):
    """These races are about one slot, not the portal's door (``tests.queueing.test_door.py``): the door is off
    (fifty citizens at once would use up its default burst, and the rest would queue)."""
    settings.WAITING_ROOM_DOOR_RATE = 0


DOUBLE_BOOKED = """
    SELECT slot_id FROM booking_appointment
    WHERE status IN ('requested', 'assigned')
    GROUP BY slot_id HAVING count(*) > 1
"""


def run_together(jobs: list[Callable[[], object]]) -> list[object]:
    """Run each job in its own thread, released together by a barrier; each thread closes its connection.

    A job gets ``wait`` (the barrier) as its argument and returns what the test should look at; an
    exception is returned in its place, so that the test can say which one failed.
    """
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i: int) -> None:
        try:
            results[i] = jobs[i](lambda: barrier.wait(timeout=60))
        except BaseException as exc:
            results[i] = exc
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread did not finish"
    return results


def press_send(client: Client, slot: Slot, key: str | None = None) -> Callable:
    """Open the review page (its own idempotency key unless given), wait for the others, press send."""

    def job(wait: Callable[[], object]) -> tuple[int, str, str]:
        own_key = key or open_review(client, slot)
        wait()
        response = client.post(review_url(slot), {"reason": "Influensavaksine", "idempotency_key": own_key})
        return response.status_code, response.get("Location", ""), response.content.decode()

    return job


def no_double_bookings() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(DOUBLE_BOOKED)
        return cursor.fetchall() == []


def _crowd(world, n: int = THREADS) -> list[Client]:
    citizens = [
        new_citizen(municipality=world.municipality, birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=i))
        for i in range(n)
    ]
    return [log_in(Client(), citizen) for citizen in citizens]


def _more_slots(world, count: int) -> None:
    """Enough free slots after the first for every loser to be given one of their own."""
    last = world.slots[-1]
    for i in range(1, count + 1):
        SlotFactory(timebook=world.timebook, location=world.location, start=last.start + dt.timedelta(minutes=5 * i))


def open_together(client: Client, slot: Slot) -> Callable:
    """Wait for the others, then open «Se gjennom før du sender» for the same slot."""

    def job(wait: Callable[[], object]) -> tuple[int, str, str]:
        wait()
        response = client.get(review_url(slot))
        return response.status_code, "", response.content.decode()

    return job


def send_unheld(client: Client, slot: Slot) -> Callable:
    """A hand-made «Send bestilling» for a slot the citizen never held (a fresh form key): only a free slot."""

    def job(wait: Callable[[], object]) -> tuple[int, str, str]:
        wait()
        data = {"reason": "Influensavaksine", "idempotency_key": str(uuid.uuid4())}
        response = client.post(review_url(slot), data)
        return response.status_code, response.get("Location", ""), response.content.decode()

    return job


def held_slot_ids(bodies: list[str]) -> list[int]:
    """The slot each loser was given, from the «Gå videre med denne timen» link of their page."""
    return [int(re.search(r'/se-gjennom/(\d+)/"[^>]*>Gå videre med denne timen', body).group(1)) for body in bodies]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_citizens_opening_the_same_slot_each_end_up_holding_a_different_one_and_all_book():
    """Source 002's failure, beaten: the first holds the slot, every other is told at once and given the nearest
    free slot, held for them (SKIP LOCKED: no two get the same one), and everyone books what they hold."""
    world = build_world()
    _more_slots(world, THREADS)
    slot = world.slots[0]
    clients = _crowd(world)
    opened = run_together([open_together(client, slot) for client in clients])
    assert [r for r in opened if isinstance(r, BaseException)] == []
    statuses = sorted(status for status, _, _ in opened)
    assert statuses == [200] + [409] * (THREADS - 1)
    losers = [body for status, _, body in opened if status == 409]
    assert all("Timen er ikke lenger ledig" in body for body in losers)
    given = held_slot_ids(losers)
    assert len(set(given)) == THREADS - 1 and slot.pk not in given
    assert SlotHold.objects.count() == THREADS
    assert Slot.objects.filter(timebook=world.timebook, state=Slot.State.ON_HOLD).count() == THREADS
    # Everyone sends what they hold, all at once: nobody loses.
    holds = {hold.citizen_id: hold.slot for hold in SlotHold.objects.select_related("slot")}
    jobs = [press_send(client, holds[int(client.session["citizen"])]) for client in clients]
    sent = run_together(jobs)
    assert [r for r in sent if isinstance(r, BaseException)] == []
    assert [status for status, _, _ in sent] == [302] * THREADS
    assert Appointment.objects.count() == THREADS
    assert SlotHold.objects.count() == 0
    assert no_double_bookings()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_hand_made_sends_on_one_free_slot_book_it_exactly_once_and_the_rest_are_given_a_slot():
    """Without opening the review page (no hold), fifty sends on the same free slot: exactly one books it, and
    each other is told at once and given a different free slot, held."""
    world = build_world()
    _more_slots(world, THREADS)
    slot = world.slots[0]
    clients = _crowd(world)
    results = run_together([send_unheld(client, slot) for client in clients])
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    assert not [status for status, _, _ in results if status >= 500]
    appointment = Appointment.objects.get(slot=slot)
    winners = [i for i, (status, _, _) in enumerate(results) if status == 302]
    assert len(winners) == 1
    assert results[winners[0]][1] == reverse("booking:sent", args=[appointment.pk])
    losers = [body for i, (status, _, body) in enumerate(results) if i not in winners]
    assert len(losers) == THREADS - 1 and all("Timen er ikke lenger ledig" in body for body in losers)
    given = held_slot_ids(losers)
    assert len(set(given)) == THREADS - 1 and slot.pk not in given
    assert Appointment.objects.count() == 1
    assert Slot.objects.get(pk=slot.pk).state in (Slot.State.HELD, Slot.State.BOOKED)
    assert no_double_bookings()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_is_one_booking():
    """A double click (or two tabs) on «Send bestilling»: one appointment, and both answers show the receipt."""
    world = build_world()
    rounds = []
    for i, slot in enumerate(world.slots[:4]):
        citizen = new_citizen(municipality=world.municipality, birth_date=dt.date(1970, 1, 1) + dt.timedelta(days=i))
        first, second = log_in(Client(), citizen), log_in(Client(), citizen)
        key = open_review(first, slot)
        rounds.append((citizen, slot, run_together([press_send(first, slot, key), press_send(second, slot, key)])))

    for citizen, slot, results in rounds:
        assert not [r for r in results if isinstance(r, BaseException)]
        appointment = Appointment.objects.get(citizen=citizen)
        assert appointment.slot_id == slot.pk
        sent = reverse("booking:sent", args=[appointment.pk])
        answers = [(status, location) for status, location, _ in results]
        errors = [re.findall(r'class="error-summary"[^>]*>(.*?)</div>', body, re.S) for status, _, body in results]
        assert answers == [(302, sent), (302, sent)], errors
    assert no_double_bookings()


@pytest.mark.django_db
def test_the_database_refuses_a_second_active_appointment_on_a_slot(world):
    slot = world.slots[0]
    first, second = world.citizen, world.resident()
    active = Appointment.objects.create(slot=slot, citizen=first, booked_by=first, reason="Først")
    for status in (Appointment.Status.REQUESTED, Appointment.Status.ASSIGNED):
        with pytest.raises(IntegrityError), transaction.atomic():
            Appointment.objects.create(slot=slot, citizen=second, booked_by=second, reason="Også", status=status)
    # Inactive appointments may share the slot, and once the first is cancelled a new one may take it.
    Appointment.objects.create(
        slot=slot, citizen=second, booked_by=second, reason="Avvist", status=Appointment.Status.REJECTED
    )
    Appointment.objects.filter(pk=active.pk).update(status=Appointment.Status.CANCELLED_BY_CITIZEN)
    Appointment.objects.create(slot=slot, citizen=second, booked_by=second, reason="Ny")
    assert Appointment.objects.filter(slot=slot, status__in=Appointment.ACTIVE).count() == 1
    assert no_double_bookings()
