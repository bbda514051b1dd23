"""Språk/Language: every citizen page in English on request, Norwegian (word for word the sources') by default."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citizens.models import Citizen

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_db")]

NORWEGIAN = [
    "Hvem vil du bestille time hos?",
    "Her kan du velge blant dine helsekontakter som støtter timebestilling.",
    "Avbryt",
    "Timeavtaler",
    "Innboks",
]


@pytest.fixture
def kurt_client(client):
    client.force_login(Citizen.objects.get(first_name="Kurt Håkon").user)
    return client


def test_the_booking_steps_turn_english_and_back(kurt_client):
    kurt_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = kurt_client.get(reverse("booking:choose_contact")).content.decode()
    assert '<html lang="en">' in html
    assert "Who do you want to book an appointment with?" in html
    assert "Hvem vil du bestille time hos?" not in html
    step2 = kurt_client.get(reverse("booking:choose_timebook", args=[8100011])).content.decode()
    assert "Hva trenger du?" not in step2 and "Tilbake" not in step2
    kurt_client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    html = kurt_client.get(reverse("booking:choose_contact")).content.decode()
    assert '<html lang="nb">' in html
    for text in NORWEGIAN:
        assert text in html


def test_the_calendar_speaks_english_dates(kurt_client):
    from resourcebooks.models import Timebook

    timebook = Timebook.objects.get(name="Influensavaksine")
    kurt_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    url = reverse("booking:time", args=[8100011, timebook.pk])
    html = kurt_client.get(url, {"sted": timebook.week_templates.first().location_id}).content.decode()
    assert "Today" in html and "I dag" not in html
    assert "Mon" in html and "Man<" not in html
