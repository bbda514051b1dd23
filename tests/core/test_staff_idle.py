"""Issue 11, finding 5: staff and support are logged out after 30 idle minutes too, and sent to their login."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from core.limits import STAFF_IDLE_SECONDS
from tests.pages import text_of

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:index")
STAFF_LOGIN = reverse("staff_login")
MESSAGE = "Du er logget ut fordi du ikke har vært aktiv på 30 minutter. Logg inn igjen."


def idle_for(client, seconds: int) -> None:
    session = client.session
    session["last_seen"] = int(time.time()) - seconds
    session.save()


def staff_login_next(response) -> str | None:
    url = urlsplit(response.url)
    if response.status_code != 302 or url.path != STAFF_LOGIN:
        return None
    return parse_qs(url.query).get("next", [""])[0]


def test_the_staff_idle_time_is_thirty_minutes():
    assert STAFF_IDLE_SECONDS == 30 * 60


def test_staff_idle_for_over_thirty_minutes_are_logged_out_and_sent_to_the_staff_login(other_staff_client):
    client = other_staff_client
    assert client.get(ADMIN).status_code == 200
    idle_for(client, 31 * 60)

    response = client.get(ADMIN)

    assert staff_login_next(response) == ADMIN
    assert "_auth_user_id" not in client.session
    page = client.get(response.url)
    assert MESSAGE in text_of(page)
    assert staff_login_next(client.get(ADMIN)) is None  # the admin's own redirect now: no longer logged in
    assert "_auth_user_id" not in client.session


def test_support_idle_for_over_thirty_minutes_are_logged_out_with_the_way_back_kept(support_client):
    client = support_client
    wanted = reverse("addressregistry:search") + "?q=8100"
    client.get(wanted)
    idle_for(client, 31 * 60)

    response = client.get(wanted)

    assert staff_login_next(response) == wanted
    assert "_auth_user_id" not in client.session


def test_staff_active_within_thirty_minutes_stay_logged_in_and_the_activity_is_noted(other_staff_client):
    client = other_staff_client
    client.get(ADMIN)
    idle_for(client, 29 * 60)

    assert client.get(ADMIN).status_code == 200
    assert client.session["last_seen"] >= int(time.time()) - 5
    assert "_auth_user_id" in client.session


def test_a_first_request_after_logging_in_starts_the_clock(other_staff_client):
    assert "last_seen" not in other_staff_client.session

    other_staff_client.get(ADMIN)

    assert other_staff_client.session["last_seen"] >= int(time.time()) - 5
