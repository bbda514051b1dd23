"""«Kontaktinformasjon og varseloppsett» (/innstillinger/): a Norwegian mobile number is saved in E.164 form,
anything else is refused in Norwegian and changes nothing, and a channel needs its address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from booking.services import appointment_book_by_clinic
from citizens.models import Citizen, Representation
from tests.factories import NO_PASSWORD, CitizenFactory, RepresentationFactory
from tests.notifications.support import rows_for
from tests.pages import log_in, text_of
from tests.world import build_world

pytestmark = pytest.mark.django_db

URL = reverse("citizens:settings")


@pytest.fixture
def kari():
    return CitizenFactory(
        first_name="Kari",
        phone="+4791234567",
        email="kari@example.test",
        notify_sms=True,
        notify_email=False,
        notify_push=True,
        user__password=NO_PASSWORD,
    )


def form(**changes) -> dict[str, str]:
    """The form as the browser sends it: an unticked box is simply absent."""
    data = {"phone": "412 34 567", "email": "kari@example.test", "notify_sms": "on", "notify_push": "on"} | changes
    return {k: v for k, v in data.items() if v is not None}


def contact(citizen: Citizen) -> tuple:
    citizen = Citizen.objects.get(pk=citizen.pk)
    return citizen.phone, citizen.email, citizen.notify_sms, citizen.notify_email, citizen.notify_push


def test_the_page_shows_the_current_contact_information(client, kari):
    response = log_in(client, kari).get(URL)

    assert response.status_code == 200
    text = text_of(response)
    assert "Kontaktinformasjon og varseloppsett" in text
    html = response.content.decode()
    assert 'value="+4791234567"' in html
    assert 'value="kari@example.test"' in html


def test_a_norwegian_mobile_number_is_saved_in_international_form(client, kari):
    response = log_in(client, kari).post(URL, form(phone="412 34 567"), follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Kontaktinformasjon og varseloppsett er lagret." in [str(m) for m in response.context["messages"]]
    assert contact(kari) == ("+4741234567", "kari@example.test", True, False, True)


@pytest.mark.parametrize("written", ["41234567", "+47 412 34 567", "0047 41234567", " 412 34 567 "])
def test_the_ways_people_write_a_mobile_number_are_all_understood(client, kari, written):
    log_in(client, kari).post(URL, form(phone=written))

    assert contact(kari)[0] == "+4741234567"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("22 12 34 56", "Nummeret er ikke et mobilnummer. SMS kan bare sendes til mobilnummer."),
        ("abc", "Skriv et gyldig mobilnummer, for eksempel 412 34 567."),
        ("1234", "Skriv et gyldig norsk mobilnummer, for eksempel 412 34 567."),
        ("+46 70 123 45 67", "Skriv et gyldig norsk mobilnummer, for eksempel 412 34 567."),
    ],
    ids=["landline", "garbage", "too-short", "swedish-mobile"],
)
def test_a_number_that_is_not_a_norwegian_mobile_is_refused_and_changes_nothing(client, kari, written, message):
    before = contact(kari)

    response = log_in(client, kari).post(URL, form(phone=written, email="ny@example.test", notify_email="on"))

    assert response.status_code == 400
    assert message in text_of(response)
    assert 'aria-invalid="true"' in response.content.decode()
    assert contact(kari) == before


def test_choosing_sms_without_a_number_is_refused(client, kari):
    before = contact(kari)

    response = log_in(client, kari).post(URL, form(phone=""))

    assert response.status_code == 400
    assert "Du må oppgi mobilnummer for å få varsel på SMS." in text_of(response)
    assert contact(kari) == before


def test_choosing_e_mail_without_an_address_is_refused(client, kari):
    before = contact(kari)

    response = log_in(client, kari).post(URL, form(email="", notify_email="on"))

    assert response.status_code == 400
    assert "Du må oppgi e-postadresse for å få varsel på e-post." in text_of(response)
    assert contact(kari) == before


def test_removing_the_number_with_sms_turned_off_is_allowed(client, kari):
    response = log_in(client, kari).post(URL, form(phone="", notify_sms=None))

    assert response.status_code == 302
    assert contact(kari) == ("", "kari@example.test", False, False, True)


def test_the_next_notification_uses_the_new_number_and_choices(client, kari):
    log_in(client, kari).post(URL, form(phone="987 65 432", notify_push=None, notify_email="on"))
    world = build_world()
    Citizen.objects.filter(pk=kari.pk).update(municipality=world.organisation)

    appointment = appointment_book_by_clinic(
        person=Citizen.objects.get(pk=kari.pk), slot=world.future_slot(), reason="Influensavaksine"
    )

    assert {(n.channel, n.address) for n in rows_for(appointment)} == {
        ("sms", "+4798765432"),
        ("email", "kari@example.test"),
    }


def test_acting_for_a_child_changes_the_parents_own_settings_only(client, kari):
    emma = CitizenFactory(first_name="Emma", phone="", birth_date=dt.date(2018, 6, 2), notify_sms=False)
    RepresentationFactory(representative=kari, represented=emma, kind=Representation.Kind.PARENT)
    log_in(client, kari)
    client.post(reverse("citizens:switch_person"), {"person": emma.pk})
    emma_before = contact(emma)

    client.post(URL, form(phone="412 34 567"))

    assert contact(kari)[0] == "+4741234567"
    assert contact(emma) == emma_before


def test_the_page_sends_an_anonymous_visitor_to_the_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("citizens:login"))


def test_the_page_refuses_other_methods(client, kari):
    log_in(client, kari)

    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405
