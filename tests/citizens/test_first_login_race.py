"""A double click on «Logg inn» with a new synthetic number: the parallel first logins make one person, and all
log in as them. In a module of its own: its threads must see committed data, which a module that loads the demo
in an open transaction (``demo_db``) would hide from them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from booking.demo import synthetic_number
from citizens.models import Citizen
from tests.booking.test_race import run_together
from tests.factories import OrganisationFactory

LOGIN = reverse("citizens:login")


@pytest.fixture
def municipality(db):
    return OrganisationFactory()


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_first_logins_with_one_new_number_make_one_person_and_all_log_in(municipality):
    """Red team: ten admitted clients sent one new synthetic number at once; 2–9 of them got a 500
    (IntegrityError on the unique national id)."""
    number = synthetic_number(dt.date(1971, 2, 1), 311)
    clients = [Client() for _ in range(10)]

    def log_in(client: Client) -> Callable[[Callable[[], object]], object]:
        def job(wait: Callable[[], object]) -> object:
            wait()
            response = client.post(LOGIN, {"national_id": number})
            return response.status_code, client.session.get("citizen")

        return job

    results = run_together([log_in(client) for client in clients])

    person = Citizen.objects.get(national_id=number)
    assert results == [(302, person.pk)] * 10
    assert get_user_model().objects.filter(username__startswith="innbygger-").count() == 1  # no user left over
