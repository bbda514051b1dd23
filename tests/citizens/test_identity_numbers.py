"""Issue 11, finding 6: the test login takes synthetic test numbers only, and a new test person's name gives
nothing of the number away."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from booking.demo import synthetic_number
from citizens.models import Citizen
from core.national_id import SYNTHETIC_ONLY_MESSAGE, parse_national_id
from resourcebooks.models import PatientBlock, TimebookListEntry
from tests.factories import CitizenFactory, OrganisationFactory
from tests.pages import text_of

LOGIN = reverse("citizens:login")
TODAY = dt.date(2026, 11, 22)
REAL_FORMAT = [
    pytest.param("15108695088", id="fodselsnummer"),
    pytest.param("55108695071", id="d-number"),
    pytest.param("15508695060", id="h-number"),
]
SYNTHETIC = [
    pytest.param("17858010039", id="fodselsnummer-month-plus-80"),
    pytest.param("07830551225", id="born-2000s"),
    pytest.param("47838010071", id="d-number-day-plus-40-month-plus-80"),
]


@pytest.fixture
def municipality(db):
    return OrganisationFactory()


# --- Synthetic numbers only -----------------------------------------------------------------------------


@pytest.mark.parametrize("number", REAL_FORMAT)
def test_parsing_for_synthetic_only_refuses_a_real_format_number_with_a_norwegian_message(number):
    with pytest.raises(ValidationError) as exc:
        parse_national_id(number, today=TODAY, synthetic_only=True)

    assert exc.value.messages == [SYNTHETIC_ONLY_MESSAGE]
    assert exc.value.code == "real"
    assert parse_national_id(number, today=TODAY).number == number  # still a valid number otherwise


@pytest.mark.parametrize("number", SYNTHETIC)
def test_parsing_for_synthetic_only_takes_a_synthetic_number(number):
    assert parse_national_id(number, today=TODAY, synthetic_only=True).is_synthetic


@pytest.mark.django_db
@pytest.mark.parametrize("number", REAL_FORMAT)
def test_the_test_login_refuses_a_real_format_number_and_changes_nothing(client, municipality, number):
    users_before = get_user_model().objects.count()

    response = client.post(LOGIN, {"national_id": number})

    assert response.status_code == 400
    assert "Simulatoren tar bare imot syntetiske testnumre" in text_of(response)
    assert not Citizen.objects.filter(national_id=number).exists()
    assert get_user_model().objects.count() == users_before
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("number", SYNTHETIC)
def test_the_test_login_takes_a_synthetic_number(client, municipality, number):
    response = client.post(LOGIN, {"national_id": number})

    assert response.status_code == 302
    assert client.session["citizen"] == Citizen.objects.get(national_id=number).pk


@pytest.mark.django_db
def test_a_closed_environment_may_allow_real_format_numbers(client, municipality, settings):
    settings.ALLOW_REAL_NATIONAL_IDS = True

    assert client.post(LOGIN, {"national_id": "15108695088"}).status_code == 302


# --- A name that gives nothing away ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_test_person_is_named_without_any_of_the_number(client, municipality):
    numbers = [synthetic_number(dt.date(1970 + n, 3, 14), 200 + n) for n in range(8)]

    for number in numbers:
        assert client.post(LOGIN, {"national_id": number}).status_code == 302
        client.post(reverse("logout"))

    for number in numbers:
        citizen = Citizen.objects.select_related("user").get(national_id=number)
        assert citizen.first_name == "Testperson"
        names = f"{citizen.full_name} {citizen.user.get_full_name()}"
        assert not any(character.isdigit() for character in names), names
        assert number[6:] not in citizen.user.username  # the username is random, not the number either
        # What the admin and the outbox show cannot be completed into the number.
        assert f"{citizen.full_name} ({citizen.masked_national_id})" == (
            f"Testperson {citizen.last_name} ({number[:6]} *****)"
        )


# --- The test login is audited --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_test_login_is_audited_without_the_number(client, municipality):
    number = synthetic_number(dt.date(1988, 8, 8), 123)

    client.post(LOGIN, {"national_id": number})

    citizen = Citizen.objects.get(national_id=number)
    event = AuditEvent.objects.get(action="login", object_type="citizen")
    assert event.object_id == str(citizen.pk)
    assert event.summary == "Testinnlogging (med fødselsnummer)"
    assert number not in f"{event.summary} {event.actor_label} {event.object_id}"


# --- The demo and the factories -------------------------------------------------------------------------


def test_the_demo_uses_synthetic_numbers_only(demo_db, db):
    numbers = [
        *Citizen.objects.values_list("national_id", flat=True),
        *PatientBlock.objects.values_list("national_id", flat=True),
        *TimebookListEntry.objects.values_list("national_id", flat=True),
    ]

    assert numbers
    assert all(parse_national_id(number).is_synthetic for number in numbers)
    listed = Citizen.objects.filter(listed_on_test_login=True)
    assert listed.exists() and all(parse_national_id(c.national_id).is_synthetic for c in listed)


def test_the_test_factories_make_synthetic_numbers_only():
    people = CitizenFactory.build_batch(40) + CitizenFactory.build_batch(10, birth_date=dt.date(2015, 5, 5))

    assert all(parse_national_id(person.national_id).is_synthetic for person in people)
