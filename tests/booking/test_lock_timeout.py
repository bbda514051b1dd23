"""Row locks wait a bounded time (issue 10): a booking that cannot get its lock is a Norwegian «try again»
(503), not a request queued for ever behind a stuck transaction, and nothing is written."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from booking.models import Appointment
from booking.services import appointment_request
from core import locking
from core.locking import LockBusy
from tests.pages import log_in
from tests.world import build_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen_row_locked_elsewhere():
    """Another connection holds the citizen's row lock, as a stuck transaction would."""
    world = build_world()
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
    )
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
