"""The test login (a stand-in for ID-porten), the way back after it, and the 30-minute idle end."""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from booking.demo import synthetic_number
from citizens.models import Citizen
from tests.pages import html_of, text_of
from tests.world import build_world, new_citizen

pytestmark = pytest.mark.django_db

LOGIN = reverse("citizens:login")
APPOINTMENTS = reverse("booking:appointments")


@pytest.fixture
def listed(world) -> Citizen:
    citizen = world.citizen
    Citizen.objects.filter(pk=citizen.pk).update(listed_on_test_login=True)
    citizen.refresh_from_db()
    return citizen


def login_next(response) -> str | None:
    """The ``next`` of a redirect to the test login (None when it is not one)."""
    url = urlsplit(response.url)
    if response.status_code != 302 or url.path != LOGIN:
        return None
    return parse_qs(url.query).get("next", [""])[0]


def logged_in_citizen_id(client) -> int | None:
    return client.session.get("citizen")


def test_the_login_page_lists_the_test_identities_with_masked_numbers(client, listed):
    unlisted = new_citizen(municipality=listed.municipality, first_name="Skjult")
    response = client.get(LOGIN)
    assert response.status_code == 200
    text, html = text_of(response), html_of(response)
    assert "Logg inn på Helsenorge" in text
    assert "Dette er en testinnlogging, ikke ID-porten." in text
    assert f'name="person" value="{listed.pk}"' in html
    assert f"{listed.full_name} {listed.national_id[:6]} *****" in text
    assert listed.national_id not in html
    assert unlisted.first_name not in text


def test_a_listed_identity_logs_in_and_lands_on_timeavtaler(client, listed):
    response = client.post(LOGIN, {"person": listed.pk})
    assert response.status_code == 302
    assert response.url == APPOINTMENTS
    assert logged_in_citizen_id(client) == listed.pk
    page = client.get(APPOINTMENTS)
    assert page.status_code == 200
    assert listed.full_name in text_of(page)


def test_an_identity_not_on_the_list_cannot_be_chosen(client, world):
    response = client.post(LOGIN, {"person": world.citizen.pk})
    assert response.status_code == 400
    assert "Fant ikke testpersonen. Velg en person i listen." in text_of(response)
    assert logged_in_citizen_id(client) is None


def test_a_known_synthetic_number_logs_in_as_that_person(client, listed):
    number = f"{listed.national_id[:6]} {listed.national_id[6:]}"  # spaces are allowed
    response = client.post(LOGIN, {"national_id": number})
    assert response.status_code == 302
    assert logged_in_citizen_id(client) == listed.pk


def test_an_unknown_valid_number_creates_a_test_person(client, world):
    number = synthetic_number(dt.date(1992, 7, 1), 321)
    assert not Citizen.objects.filter(national_id=number).exists()
    response = client.post(LOGIN, {"national_id": number})
    assert response.status_code == 302
    citizen = Citizen.objects.get(national_id=number)
    assert logged_in_citizen_id(client) == citizen.pk
    assert citizen.first_name == "Testperson"
    assert citizen.municipality.kind == "municipality"
    # Logging in again with the number finds the same person.
    client.post(reverse("logout"))
    client.post(LOGIN, {"national_id": number})
    assert Citizen.objects.filter(national_id=number).count() == 1


def test_a_wrong_check_digit_is_refused_and_nobody_logs_in(client, listed):
    good = listed.national_id
    bad = good[:10] + str((int(good[10]) + 1) % 10)
    users_before = get_user_model().objects.count()
    response = client.post(LOGIN, {"national_id": bad})
    assert response.status_code == 400
    text = text_of(response)
    assert "kontrollsifrene stemmer ikke" in text
    assert f'value="{bad}"' in html_of(response)  # what was typed is kept
    assert 'aria-invalid="true"' in html_of(response)
    assert logged_in_citizen_id(client) is None
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.count() == users_before


@pytest.mark.parametrize(
    ("number", "message"),
    [("", "Skriv inn et fødselsnummer på 11 siffer"), ("1234", "Fødselsnummeret må bestå av 11 siffer.")],
)
def test_a_missing_or_short_number_is_refused(client, world, number, message):
    response = client.post(LOGIN, {"national_id": number})
    assert response.status_code == 400
    assert message in text_of(response)
    assert logged_in_citizen_id(client) is None


def test_the_login_refuses_put(client, world):
    assert client.put(LOGIN).status_code == 405


def test_not_logged_in_goes_to_the_login_and_back_afterwards(client, listed):
    response = client.get(reverse("inbox:inbox"))
    assert login_next(response) == "/innboks/"
    page = client.get(response.url)
    assert 'name="next" value="/innboks/"' in html_of(page)
    response = client.post(LOGIN, {"person": listed.pk, "next": "/innboks/"})
    assert response.status_code == 302 and response.url == "/innboks/"


def test_the_way_back_keeps_the_whole_address_with_its_query(client, listed):
    """A link to a day in the calendar has two parameters; both must survive the login."""
    world = build_world()
    timebook = world.timebook
    wanted = reverse("booking:time", args=[timebook.service.her_id, timebook.pk]) + "?sted=1&dag=2026-12-01"
    response = client.get(wanted)
    assert login_next(response) == wanted
    page = client.get(response.url)
    assert f'name="next" value="{wanted.replace("&", "&amp;")}"' in html_of(page)
    response = client.post(LOGIN, {"person": listed.pk, "next": wanted})
    assert response.url == wanted


def test_a_next_to_another_site_is_ignored(client, listed):
    response = client.post(LOGIN, {"person": listed.pk, "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.url == APPOINTMENTS


def test_a_staff_user_is_sent_to_the_citizen_login(client, other_staff_client):
    assert login_next(other_staff_client.get(APPOINTMENTS)) == APPOINTMENTS
    assert login_next(other_staff_client.get(reverse("booking:choose_contact"))) == reverse("booking:choose_contact")


def test_thirty_minutes_without_activity_ends_the_session(client, listed):
    client.post(LOGIN, {"person": listed.pk})
    session = client.session
    session["last_seen"] = int(time.time()) - 31 * 60
    session.save()

    response = client.get(APPOINTMENTS)
    assert login_next(response) == APPOINTMENTS
    page = client.get(response.url)
    assert "Du er logget ut fordi du ikke har vært aktiv på 30 minutter." in text_of(page)
    assert "_auth_user_id" not in client.session
    assert login_next(client.get(APPOINTMENTS)) == APPOINTMENTS


def test_activity_within_thirty_minutes_keeps_the_session(client, listed):
    client.post(LOGIN, {"person": listed.pk})
    session = client.session
    session["last_seen"] = int(time.time()) - 29 * 60
    session.save()
    assert client.get(APPOINTMENTS).status_code == 200
    assert client.session["last_seen"] >= int(time.time()) - 5  # the activity was noted
    assert client.get(APPOINTMENTS).status_code == 200


def test_logging_in_gives_a_new_session_key(client, listed):
    session = client.session
    session["seen_before_login"] = True
    session.save()
    before = session.session_key
    client.post(LOGIN, {"person": listed.pk})
    assert client.session.session_key != before


def test_the_idle_end_also_keeps_the_whole_address(client, listed):
    world = build_world()
    wanted = reverse("booking:time", args=[world.service.her_id, world.timebook.pk]) + "?sted=1&dag=2026-12-01"
    client.post(LOGIN, {"person": listed.pk})
    session = client.session
    session["last_seen"] = int(time.time()) - 31 * 60
    session.save()
    assert login_next(client.get(wanted)) == wanted
