"""Issue 11, finding 4: a booking form is bound to the person it was shown for. Opened while acting for Emma and
sent after switching back to oneself in another tab, it is refused with a clear Norwegian message — never booked
for whoever is chosen now, with Emma's reason."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from booking.models import Appointment, TimeRequest
from citizens.models import Citizen
from resourcebooks.models import Slot, Timebook
from tests.pages import html_of, review_url, text_of

pytestmark = pytest.mark.django_db

CHANGED = "Du har byttet person etter at du åpnet denne siden, så skjemaet ble ikke sendt."


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html) or re.search(rf'value="([^"]*)"[^>]*name="{name}"', html)
    assert match, f"no {name} in the form"
    return match.group(1)


@pytest.fixture
def kurt(demo) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(Citizen.objects.get(first_name="Kurt Håkon").user)
    return client


def act_for(client: Client, person: Citizen) -> None:
    client.post(reverse("citizens:switch_person"), {"person": person.pk})


def test_a_review_opened_for_emma_and_sent_after_switching_back_is_refused(kurt):
    emma = Citizen.objects.get(first_name="Emma")
    me = Citizen.objects.get(first_name="Kurt Håkon")
    slot = Slot.objects.filter(timebook__name="Influensavaksine", state="free").order_by("start")[100]
    act_for(kurt, emma)
    page = html_of(kurt.get(review_url(slot)))
    form = {"reason": "Emmas vaksine", "idempotency_key": hidden(page, "idempotency_key")}
    form["for_person"] = hidden(page, "for_person")

    act_for(kurt, me)  # «in another tab»
    response = kurt.post(review_url(slot), form)

    assert response.status_code == 400
    assert CHANGED in text_of(response)
    assert not Appointment.objects.filter(slot=slot).exists()
    # The form shown again is for the person chosen now, and empty: Emma's reason is not carried over.
    again = html_of(response)
    assert "Emmas vaksine" not in again
    assert hidden(again, "for_person") != form["for_person"]


def test_the_same_form_sent_for_the_person_it_was_shown_for_books(kurt):
    emma = Citizen.objects.get(first_name="Emma")
    slot = Slot.objects.filter(timebook__name="Influensavaksine", state="free").order_by("start")[101]
    act_for(kurt, emma)
    page = html_of(kurt.get(review_url(slot)))
    response = kurt.post(
        review_url(slot),
        {
            "reason": "Emmas vaksine",
            "idempotency_key": hidden(page, "idempotency_key"),
            "for_person": hidden(page, "for_person"),
        },
    )
    assert response.status_code == 302
    assert Appointment.objects.get(slot=slot).citizen == emma


def test_a_forged_person_binding_is_refused(kurt):
    emma = Citizen.objects.get(first_name="Emma")
    slot = Slot.objects.filter(timebook__name="Influensavaksine", state="free").order_by("start")[102]
    page = html_of(kurt.get(review_url(slot)))
    forged = f"{emma.pk}:{hidden(page, 'for_person').split(':', 1)[1]}"
    response = kurt.post(
        review_url(slot),
        {"reason": "Vaksine", "idempotency_key": hidden(page, "idempotency_key"), "for_person": forged},
    )
    assert response.status_code == 400
    assert not Appointment.objects.filter(slot=slot).exists()


def test_a_time_request_opened_for_emma_and_sent_after_switching_back_is_refused(kurt):
    emma = Citizen.objects.get(first_name="Emma")
    me = Citizen.objects.get(first_name="Kurt Håkon")
    timebook = Timebook.objects.get(name="Influensavaksine")
    url = reverse("booking:time_request", args=[timebook.service.her_id])
    act_for(kurt, emma)
    page = html_of(kurt.get(url))
    act_for(kurt, me)
    response = kurt.post(
        url, {"subject": "Emma", "suggested_times": "Mandag", "for_person": hidden(page, "for_person")}
    )
    assert response.status_code == 400
    assert CHANGED in text_of(response)
    assert not TimeRequest.objects.exists()
