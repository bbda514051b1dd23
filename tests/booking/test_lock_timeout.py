"""Row locks wait a bounded time (issue 10): a booking that cannot get its lock is a Norwegian «try again»
(503), not a request queued for ever behind a stuck transaction, and nothing is written."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse

from booking.models import Appointment, SlotHold
from booking.services import appointment_request
from core import locking
from core.locking import LockBusy
from core.middleware import LockBusyMiddleware
from resourcebooks.models import Slot
from tests.pages import log_in
from tests.world import build_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen_row_locked_elsewhere():
    """Another connection holds the citizen's row lock, as a stuck transaction would."""
    world = build_world()
    other = _other_connection()
    other.execute("SELECT id FROM booking_citizen WHERE id = %s FOR UPDATE", [world.citizen.pk])
    try:
        yield world
    finally:
        other.rollback()
        other.close()


def test_a_lock_that_cannot_be_had_in_time_raises_busy_and_writes_nothing(citizen_row_locked_elsewhere, monkeypatch):
    world = citizen_row_locked_elsewhere
    monkeypatch.setattr(locking, "LOCK_TIMEOUT_MS", 200)
    with pytest.raises(LockBusy):
        appointment_request(
            person=world.citizen,
            booked_by=world.citizen,
            timebook=world.timebook,
            slot_id=world.slots[0].pk,
            reason="Vaksine",
            idempotency_key=uuid.uuid4(),
        )
    assert not Appointment.objects.exists()


def test_send_bestilling_answers_503_in_norwegian_when_the_lock_times_out(citizen_row_locked_elsewhere, monkeypatch):
    world = citizen_row_locked_elsewhere
    monkeypatch.setattr(locking, "LOCK_TIMEOUT_MS", 200)
    client = log_in(Client(), world.citizen)
    url = reverse("booking:review", args=[world.service.her_id, world.timebook.pk, world.slots[0].pk])
    response = client.post(url, {"reason": "Vaksine", "idempotency_key": str(uuid.uuid4())})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    text = response.content.decode()
    assert "Mange bruker tjenesten akkurat nå. Vent litt og prøv igjen." in text
    assert "Ingenting ble endret." in text
    assert not Appointment.objects.exists()


@pytest.fixture
def slot_taken_elsewhere_this_moment():
    """Another connection is in the middle of taking the first slot (its row locked, not yet committed), as the
    winner of a crowd is while it writes the appointment, the audit rows and the outbox."""
    world = build_world()
    other = _other_connection()
    other.execute(f"SELECT id FROM {Slot._meta.db_table} WHERE id = %s FOR UPDATE", [world.slots[0].pk])
    try:
        yield world
    finally:
        other.rollback()
        other.close()


def _other_connection() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
    )


def test_a_send_on_a_slot_being_taken_this_moment_is_told_at_once_and_given_another(
    slot_taken_elsewhere_this_moment, monkeypatch
):
    """The crowd's losers do not queue behind the winner's transaction until the lock timeout runs out (on a loaded
    machine that was a raw lock-timeout error, a 500): the slot is taken, and the nearest free one is held."""
    world = slot_taken_elsewhere_this_moment
    monkeypatch.setattr(locking, "LOCK_TIMEOUT_MS", 200)
    client = log_in(Client(), world.citizen)
    url = reverse("booking:review", args=[world.service.her_id, world.timebook.pk, world.slots[0].pk])
    response = client.post(url, {"reason": "Vaksine", "idempotency_key": str(uuid.uuid4())})
    assert response.status_code == 409
    text = response.content.decode()
    assert "Timen er ikke lenger ledig" in text
    assert "Gå videre med denne timen" in text
    assert not Appointment.objects.exists()
    assert SlotHold.objects.get(citizen=world.citizen).slot_id == world.slots[1].pk


def test_opening_a_slot_being_taken_this_moment_is_told_at_once_and_given_another(
    slot_taken_elsewhere_this_moment, monkeypatch
):
    world = slot_taken_elsewhere_this_moment
    monkeypatch.setattr(locking, "LOCK_TIMEOUT_MS", 200)
    client = log_in(Client(), world.citizen)
    response = client.get(reverse("booking:review", args=[world.service.her_id, world.timebook.pk, world.slots[0].pk]))
    assert response.status_code == 409
    assert "Timen er ikke lenger ledig" in response.content.decode()
    assert SlotHold.objects.get(citizen=world.citizen).slot_id == world.slots[1].pk


def test_a_lock_timeout_outside_lock_rows_is_the_same_norwegian_503_not_a_500(rf, slot_taken_elsewhere_this_moment):
    """Any statement after ``lock_rows`` runs under the transaction's lock timeout; if one of them runs out, the
    request is the same «try again» as a lock that could not be had."""
    world = slot_taken_elsewhere_this_moment
    with pytest.raises(OperationalError) as raised, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('lock_timeout', '100ms', true)")
        cursor.execute(f"UPDATE {Slot._meta.db_table} SET state = state WHERE id = %s", [world.slots[0].pk])
    request = rf.post("/bestill/")
    response = LockBusyMiddleware(lambda r: None).process_exception(request, raised.value)
    assert response is not None and response.status_code == 503
    assert "Mange bruker tjenesten akkurat nå. Vent litt og prøv igjen." in response.content.decode()
    assert LockBusyMiddleware(lambda r: None).process_exception(request, OperationalError("other")) is None
