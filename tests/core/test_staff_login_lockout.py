"""The staff and support logins' lockout holds against lookalike usernames and through a Redis outage.

Django logs in the NFKC form of the typed name (``ａugust-september`` is ``august-september``), so the
tries are counted on that name, case-folded. The counts live in the database, so a stopped Redis opens
nothing.
"""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from core.ratelimit import STAFF_LOGIN_USERNAME
from helsenorge_sim import staff_login
from tests.pages import text_of
from tests.redis_support import own_redis_cache

RIGHT = "riktig-passord-123"
WRONG = "feil-passord-123"
NAME = "august-september"
USERNAME_WAIT = "For mange mislykkede innlogginger for dette brukernavnet. Vent litt og prøv igjen."
LOGINS = [pytest.param("staff_login", id="ansatt"), pytest.param("admin:login", id="admin")]
# Each of these is a name Django would log in as august-september (or, for the capitals, one that only differs
# in case): the red team's 24 guesses went over six such variants.
LOOKALIKES = [
    "ａugust-september",  # fullwidth a
    "august－september",  # fullwidth hyphen-minus
    "𝐚ugust-september",  # mathematical bold a
    "ªugust-september",  # feminine ordinal indicator
    "AUGUST-September",
    "august-ｓeptember",
]


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def august(django_user_model):
    return django_user_model.objects.create_user(username=NAME, password=RIGHT, is_staff=True)


@pytest.fixture
def short_waits(monkeypatch):
    """The username's first wait is one second (doubling as usual), so a test can wait it out."""
    monkeypatch.setattr(staff_login, "STAFF_LOGIN_USERNAME", dataclasses.replace(STAFF_LOGIN_USERNAME, first_wait=1))


def attempt(client: Client, login: str = "staff_login", username: str = NAME, password: str = WRONG):
    return client.post(reverse(login), {"username": username, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def checked_passwords() -> int:
    return AuditEvent.objects.filter(action=staff_login.LOGIN_FAILED, object_type="staff_login").count()


# --- Lookalike names ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("login", LOGINS)
def test_after_five_wrong_passwords_a_lookalike_name_with_the_right_password_does_not_log_in(client, august, login):
    for _ in range(5):
        assert attempt(client, login).status_code == 200

    response = attempt(client, login, username="ａugust-september", password=RIGHT)

    assert response.status_code == 429
    assert USERNAME_WAIT in text_of(response)
    assert not logged_in(client)


@pytest.mark.django_db
def test_twenty_four_guesses_over_six_lookalike_names_check_only_five_passwords(client, august):
    statuses = [
        attempt(client, username=name, password=f"gjett-{n}").status_code for n in range(4) for name in LOOKALIKES
    ]

    assert statuses[:5] == [200] * 5
    assert set(statuses[5:]) == {429}
    assert checked_passwords() == 5


@pytest.mark.django_db
def test_a_lookalike_name_after_the_wait_logs_in_and_forgets_the_failures(client, august, short_waits):
    for _ in range(5):
        attempt(client)
    time.sleep(1.1)

    assert attempt(client, username="ａugust-september", password=RIGHT).status_code == 302
    assert logged_in(client)
    client.post(reverse("logout"))
    assert [attempt(client).status_code for _ in range(5)] == [200] * 5


# --- Redis down ---------------------------------------------------------------------------------------


@pytest.mark.redis
@pytest.mark.django_db
@pytest.mark.parametrize("login", LOGINS)
def test_with_redis_stopped_the_sixth_guess_is_refused_and_the_right_password_waits_too(august, short_waits, login):
    with own_redis_cache(timeout=0.2) as redis:
        redis.stop()
        client = Client()
        assert [attempt(client, login).status_code for _ in range(5)] == [200] * 5

        sixth = attempt(client, login)
        right_during_the_wait = attempt(client, login, password=RIGHT)

        assert sixth.status_code == 429
        assert USERNAME_WAIT in text_of(sixth)
        assert right_during_the_wait.status_code == 429
        assert not logged_in(client)
        assert checked_passwords() == 5

        time.sleep(1.1)
        assert attempt(client, login, password=RIGHT).status_code == 302
        assert logged_in(client)


@pytest.mark.redis
@pytest.mark.django_db
def test_with_redis_stopped_a_hundred_guesses_check_only_five_passwords(august):
    with own_redis_cache(timeout=0.2) as redis:
        redis.stop()
        client = Client()
        statuses = [attempt(client, password=f"gjett-{n}").status_code for n in range(100)]

    assert statuses[:5] == [200] * 5
    assert set(statuses[5:]) == {429}
    assert checked_passwords() == 5


@pytest.mark.redis
@pytest.mark.django_db
def test_a_lockout_made_while_redis_was_down_still_holds_when_it_is_back(august):
    with own_redis_cache(timeout=0.2) as redis:
        redis.stop()
        client = Client()
        for _ in range(5):
            attempt(client)
        redis.start()

        response = attempt(client, password=RIGHT)

    assert response.status_code == 429
    assert not logged_in(client)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_thirty_parallel_guesses_check_only_five_passwords(august):
    start = threading.Barrier(30)
    statuses: list[int] = []

    def guess(n: int) -> None:
        client = Client()
        start.wait()
        try:
            statuses.append(attempt(client, password=f"gjett-{n}").status_code)
        finally:
            connection.close()  # each thread had a database connection of its own

    with own_redis_cache(timeout=0.2) as redis:
        redis.stop()
        threads = [threading.Thread(target=guess, args=(n,)) for n in range(30)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sorted(statuses) == [200] * 5 + [429] * 25
    assert checked_passwords() == 5
