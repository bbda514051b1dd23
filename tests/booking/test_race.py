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
from collections.abc import Callable

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from booking.models import Appointment
from resourcebooks.models import Slot
from tests.booking import test_flow_support as support
from tests.booking.test_flow_support import log_in, make_clinic, new_citizen, open_review, review_url

clinic = support.clinic  # fixture


THREADS = 50

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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_citizens_pressing_send_on_the_same_slot_get_it_exactly_once():
    world = make_clinic()
    slot = world.slots[0]
    citizens = [
        new_citizen(municipality=world.municipality, birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=i))
        for i in range(THREADS)
    ]
    clients = [log_in(Client(), citizen) for citizen in citizens]

    results = run_together([press_send(client, slot) for client in clients])

    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    statuses = [status for status, _, _ in results]
    assert not [s for s in statuses if s >= 500]
    appointment = Appointment.objects.get(slot=slot)
    winners = [i for i, (status, _, _) in enumerate(results) if status == 302]
    assert len(winners) == 1
    assert results[winners[0]][1] == reverse("booking:sent", args=[appointment.pk])
    assert appointment.citizen == citizens[winners[0]]
    losers = [r for i, r in enumerate(results) if i not in winners]
    assert [status for status, _, _ in losers] == [409] * (THREADS - 1)
    assert all("Timen er ikke lenger ledig" in body for _, _, body in losers)
    assert all(review_url(world.slots[1]) in body for _, _, body in losers)  # offered the nearest free times
    assert Appointment.objects.count() == 1
    assert Slot.objects.get(pk=slot.pk).state in (Slot.State.HELD, Slot.State.BOOKED)
    assert no_double_bookings()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_is_one_booking():
    """A double click (or two tabs) on «Send bestilling»: one appointment, and both answers show the receipt."""
    world = make_clinic()
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
def test_the_database_refuses_a_second_active_appointment_on_a_slot(clinic):
    slot = clinic.slots[0]
    first, second = clinic.citizen, clinic.resident()
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
