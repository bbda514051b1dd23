"""Issue 11, findings 5 and 8: staff and support passwords cannot be guessed without limit, the limits key on
the real client address, and parallel requests cannot race past a limit."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from audit.models import AuditEvent
from core import ratelimit
from core.ratelimit import STAFF_LOGIN_USERNAME, backoff_try, booking_limited, client_address, network_of_address
from helsenorge_sim import staff_login
from tests.pages import text_of
from tests.redis_support import own_redis_cache

RIGHT = "riktig-passord-123"
WRONG = "feil-passord-123"
LOGINS = [pytest.param("staff_login", id="ansatt"), pytest.param("admin:login", id="admin")]
USERNAME_WAIT = "For mange mislykkede innlogginger for dette brukernavnet. Vent litt og prøv igjen."
ADDRESS_WAIT = "For mange mislykkede innlogginger fra denne adressen. Vent litt og prøv igjen."


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def kari(django_user_model):
    return django_user_model.objects.create_user(
        username="kari", password=RIGHT, is_staff=True, first_name="Kari", last_name="Kommune"
    )


@pytest.fixture
def short_waits(monkeypatch):
    """The username's first wait is one second (doubling as usual), so a test can wait it out."""
    monkeypatch.setattr(staff_login, "STAFF_LOGIN_USERNAME", dataclasses.replace(STAFF_LOGIN_USERNAME, first_wait=1))


def attempt(client: Client, login: str, username: str = "kari", password: str = WRONG, **extra: str):
    return client.post(reverse(login), {"username": username, "password": password}, **extra)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- Per username -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("login", LOGINS)
def test_after_five_wrong_passwords_the_next_try_waits_with_a_norwegian_429(client, kari, login):
    for _ in range(5):
        assert attempt(client, login).status_code == 200

    response = attempt(client, login)

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert USERNAME_WAIT in text_of(response)
    assert "Du kan prøve igjen om 60 sekunder." in text_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize("login", LOGINS)
def test_the_right_password_during_the_wait_does_not_log_in(client, kari, login):
    for _ in range(5):
        attempt(client, login)

    response = attempt(client, login, password=RIGHT)

    assert response.status_code == 429
    assert not logged_in(client)


@pytest.mark.django_db
@pytest.mark.parametrize("login", LOGINS)
def test_a_hundred_guesses_check_only_five_passwords_and_each_checked_one_is_audited(client, kari, login):
    statuses = [attempt(client, login, password=f"gjett-{n}").status_code for n in range(100)]

    assert statuses[:5] == [200] * 5
    assert set(statuses[5:]) == {429}
    failed = AuditEvent.objects.filter(action=staff_login.LOGIN_FAILED, object_type="staff_login", object_id="kari")
    assert failed.count() == 5


@pytest.mark.django_db
def test_the_case_of_the_username_gives_no_more_tries(client, kari):
    for username in ("kari", "Kari", "KARI", " kari", "kaRi"):
        attempt(client, "staff_login", username=username)

    assert attempt(client, "staff_login", username="kArI").status_code == 429


@pytest.mark.django_db
def test_another_username_is_not_held_up(client, kari, django_user_model):
    django_user_model.objects.create_user(username="per", password=RIGHT, is_staff=True)
    for _ in range(6):
        attempt(client, "staff_login")

    response = attempt(client, "staff_login", username="per", password=RIGHT)

    assert response.status_code == 302
    assert logged_in(client)


@pytest.mark.django_db
def test_after_the_wait_one_more_password_is_checked_and_the_wait_doubles(client, kari, short_waits):
    for _ in range(5):
        attempt(client, "staff_login")
    assert attempt(client, "staff_login")["Retry-After"] == "1"

    time.sleep(1.1)
    assert attempt(client, "staff_login").status_code == 200  # checked, and wrong
    response = attempt(client, "staff_login")

    assert response.status_code == 429
    assert response["Retry-After"] == "2"


@pytest.mark.django_db
def test_after_the_wait_the_right_password_logs_in_and_the_failures_are_forgotten(client, kari, short_waits):
    for _ in range(5):
        attempt(client, "staff_login")
    time.sleep(1.1)

    assert attempt(client, "staff_login", password=RIGHT).status_code == 302
    assert logged_in(client)
    client.post(reverse("logout"))
    assert [attempt(client, "staff_login").status_code for _ in range(5)] == [200] * 5


# --- Per address --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_address_trying_many_usernames_waits_after_thirty_and_other_addresses_do_not(client):
    statuses = [attempt(client, "staff_login", username=f"bruker{n}").status_code for n in range(30)]
    assert statuses == [200] * 30

    response = attempt(client, "staff_login", username="bruker-nr-31")

    assert response.status_code == 429
    assert ADDRESS_WAIT in text_of(response)
    assert attempt(Client(REMOTE_ADDR="192.0.2.9"), "staff_login", username="bruker-nr-31").status_code == 200


@pytest.mark.django_db
def test_a_forged_x_forwarded_for_does_not_escape_the_address_limit(client):
    for n in range(30):
        attempt(client, "staff_login", username=f"bruker{n}", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    response = attempt(client, "staff_login", username="bruker-nr-31", HTTP_X_FORWARDED_FOR="198.51.100.200")

    assert response.status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize("login", LOGINS)
def test_an_ipv6_client_cannot_escape_the_address_limit_by_changing_address_within_its_network(settings, login):
    """Red team: from 2001:db8:77:3::1 … ::3c, 60 usernames were tried with one password and none waited (each
    IPv6 address was counted alone, while one client may use any of its network's). A /56 counts as one."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    def from_(address: str) -> Client:
        return Client(HTTP_X_FORWARDED_FOR=address, **proxy)

    statuses = [
        attempt(from_(f"2001:db8:77:{n % 200:x}::{n + 1:x}"), login, username=f"bruker{n}").status_code
        for n in range(30)
    ]
    assert statuses == [200] * 30
    assert attempt(from_("2001:db8:77:ff::abc"), login, username="bruker-nr-31").status_code == 429
    assert attempt(from_("2001:db8:78::1"), login, username="bruker-nr-31").status_code == 200  # another /56


@pytest.mark.django_db
def test_an_ipv6_client_cannot_escape_the_citizens_failed_login_limit_within_its_network(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(30):
        client = Client(HTTP_X_FORWARDED_FOR=f"2001:db8:5:{n:x}::1", **proxy)
        assert client.post(reverse("citizens:login"), {"national_id": "12345678901"}).status_code == 400
    client = Client(HTTP_X_FORWARDED_FOR="2001:db8:5:ee::7", **proxy)
    assert client.post(reverse("citizens:login"), {"national_id": "12345678901"}).status_code == 429


@pytest.mark.parametrize(
    ("address", "network"),
    [
        pytest.param("192.0.2.7", "192.0.2.7", id="ipv4"),
        pytest.param("::ffff:192.0.2.7", "192.0.2.7", id="ipv4-mapped"),
        pytest.param("2001:db8:1:2ff:1::9", "2001:db8:1:200::/56", id="ipv6-56"),
        pytest.param("ikke-en-adresse", "ikke-en-adresse", id="not-an-address"),
    ],
)
def test_the_limits_count_an_ipv6_client_by_its_56(address, network):
    assert network_of_address(address) == network


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_citizen_login_limit_keys_on_the_forwarded_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    a = Client(HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    for _ in range(30):
        assert a.post(reverse("citizens:login"), {"national_id": "12345678901"}).status_code == 400

    assert a.post(reverse("citizens:login"), {"national_id": "12345678901"}).status_code == 429
    # Writing another address in front of the proxy's entry changes nothing: only the proxy's is believed.
    forged = Client(HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5", **proxy)
    assert forged.post(reverse("citizens:login"), {"national_id": "12345678901"}).status_code == 429
    b = Client(HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert b.post(reverse("citizens:login"), {"national_id": "12345678901"}).status_code == 400


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        pytest.param(0, "192.0.2.1", "203.0.113.5", "192.0.2.1", id="no-proxy-ignores-the-header"),
        pytest.param(1, "10.0.0.1", "203.0.113.5", "203.0.113.5", id="one-proxy"),
        pytest.param(1, "10.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5", id="one-proxy-forged-entry"),
        pytest.param(2, "10.0.0.2", "6.6.6.6, 203.0.113.5, 10.0.0.1", "203.0.113.5", id="two-proxies"),
        pytest.param(1, "10.0.0.1", "2001:db8::1", "2001:db8::1", id="ipv6"),
        pytest.param(1, "10.0.0.1", "", "10.0.0.1", id="not-through-the-proxy"),
        pytest.param(2, "10.0.0.1", "203.0.113.5", "10.0.0.1", id="fewer-entries-than-proxies"),
        pytest.param(1, "10.0.0.1", "ikke-en-adresse", "10.0.0.1", id="not-an-address"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == expected


# --- Audit --------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("login", LOGINS)
def test_failed_and_successful_logins_are_audited_and_the_password_never(client, kari, login):
    attempt(client, login, password=WRONG)
    attempt(client, login, password=RIGHT)

    events = list(AuditEvent.objects.filter(object_type="staff_login").order_by("id"))
    expected = [(staff_login.LOGIN_FAILED, "kari"), (staff_login.LOGIN, "kari")]
    assert [(e.action, e.object_id) for e in events] == expected
    assert "127.0.0.1" in events[0].summary
    for event in events:
        assert WRONG not in event.summary and RIGHT not in event.summary


# --- Races, against the real Redis --------------------------------------------------------------------


def in_parallel(count: int, work) -> list:  # type: ignore[no-untyped-def]
    """``work()`` in ``count`` threads released at once; their results."""
    start = threading.Barrier(count)
    results: list = [None] * count

    def run(n: int) -> None:
        start.wait()
        results[n] = work()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.redis
def test_sixty_parallel_bookings_cannot_pass_a_limit_of_twenty():
    def slow_booking(request):  # type: ignore[no-untyped-def]
        time.sleep(0.05)  # every request is inside the view before any has finished
        return HttpResponse(status=302)

    view = booking_limited(slow_booking)

    def send() -> int:
        request = RequestFactory().post("/bestill/", REMOTE_ADDR="192.0.2.42")
        request.citizen = None  # type: ignore[attr-defined]  # counted by address then, as for anyone
        return view(request).status_code

    statuses = in_parallel(60, send)

    assert statuses.count(302) == ratelimit.SEND_BOOKING.count == 20
    assert statuses.count(429) == 40


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_for_one_username_check_only_five_passwords():
    def guess() -> int:
        try:
            return backoff_try(STAFF_LOGIN_USERNAME, "kari")
        finally:
            connection.close()  # each thread had a database connection of its own

    results = in_parallel(30, guess)

    assert results.count(0) == STAFF_LOGIN_USERNAME.free == 5
    assert all(wait > 0 for wait in results if wait)


@pytest.mark.redis
@pytest.mark.django_db
def test_with_the_cache_down_staff_still_log_in(kari):
    with own_redis_cache(timeout=0.2) as redis:
        redis.stop()
        client = Client()
        assert [attempt(client, "staff_login").status_code for _ in range(4)] == [200] * 4
        assert attempt(client, "staff_login", password=RIGHT).status_code == 302
