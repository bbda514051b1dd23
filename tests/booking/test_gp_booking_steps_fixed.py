"""The fastlege's booking steps, as issue 22 found them wanting: each booking starts clean (item 2), the limit of
active bookings is said on «Hva trenger du?» and a refused send frees its slot (item 3), the survey's «Neste» with
nothing chosen says what is missing, and the time request's «Forrige» goes back where the citizen came from
(item 6)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from booking.models import Appointment
from resourcebooks.models import Slot
from tests.pages import html_of, log_in, open_review, review_url, send_booking, text_of, time_url
from tests.world import gp_office

pytestmark = pytest.mark.django_db

SURVEY = "Sykdom\nKontroll\nSykmelding"
LIMIT = (
    "Du har allerede 1 aktiv bestilling i denne timeboken, som er det høyeste antallet som er tillatt. "
    "Avbestill en time før du bestiller en ny."
)


def practitioner_url(gp) -> str:
    return reverse("booking:practitioner", args=[gp.service.her_id])


def step_2(client, gp):
    """«Hva trenger du?» → «Konsultasjon med fastlegen»."""
    return client.post(
        reverse("booking:choose_timebook", args=[gp.office.her_id]), {"timebook": f"behandler-{gp.service.her_id}"}
    )


def test_the_next_booking_asks_hva_gjelder_timebestillingen_again_and_starts_with_an_empty_reason(client):
    gp = gp_office(survey_choices=SURVEY)
    first, second = gp.slot(hour=13), gp.slot(hour=14)
    log_in(client, gp.citizen)
    step_2(client, gp)
    client.get(practitioner_url(gp), {"gjelder": "Sykmelding"})
    client.get(practitioner_url(gp), {"behandler": gp.fastlege.pk})
    assert send_booking(client, first, "Sykmelding").status_code == 302
    client.post(reverse("booking:cancel", args=[Appointment.objects.get(slot=first).pk]))  # within the limit again

    assert step_2(client, gp).status_code == 302
    survey = text_of(client.get(practitioner_url(gp)))
    review = html_of(client.get(review_url(second)))

    assert "Hva gjelder timebestillingen?" in survey
    assert 'value="Sykmelding" checked' not in html_of(client.get(practitioner_url(gp)))
    assert ">Sykmelding</textarea>" not in review
    assert "0/50 tegn" in text_of(client.get(review_url(second)))


def test_the_fastlege_limit_is_said_on_hva_trenger_du(client):
    gp = gp_office()
    log_in(client, gp.citizen)
    send_booking(client, gp.slot(hour=13), "Test")

    page = client.get(reverse("booking:choose_timebook", args=[gp.office.her_id]))
    chosen = step_2(client, gp)

    assert LIMIT in text_of(page)
    assert chosen.status_code == 400
    assert LIMIT in text_of(chosen)


def test_the_limit_is_the_offices_setting(client):
    gp = gp_office(fastlege_max_active_bookings=2)
    log_in(client, gp.citizen)
    send_booking(client, gp.slot(hour=13), "Test")

    second = send_booking(client, gp.slot(hour=14), "Test")

    assert second.status_code == 302
    assert Appointment.objects.filter(citizen=gp.citizen).count() == 2


def test_a_send_refused_by_the_limit_frees_the_held_slot_at_once(client):
    gp = gp_office()
    refused_slot = gp.slot(hour=14)
    log_in(client, gp.citizen)
    send_booking(client, gp.slot(hour=13), "Test")
    key = open_review(client, refused_slot)
    refused_slot.refresh_from_db()
    assert refused_slot.state == Slot.State.ON_HOLD

    refused = client.post(review_url(refused_slot), {"reason": "Test", "idempotency_key": key})

    assert refused.status_code == 400
    assert LIMIT in text_of(refused)
    refused_slot.refresh_from_db()
    assert refused_slot.state == Slot.State.FREE


def test_neste_on_the_survey_with_nothing_chosen_says_what_is_missing(client):
    gp = gp_office(survey_choices=SURVEY)
    log_in(client, gp.citizen)
    form = html_of(client.get(practitioner_url(gp)))
    hidden = 'name="svar"' in form

    response = client.get(practitioner_url(gp), {"svar": "1"})

    assert hidden
    assert response.status_code == 400
    assert "Du må velge hva timebestillingen gjelder" in text_of(response)
    assert "Velg behandler" not in text_of(response)


def test_forrige_on_the_time_request_from_the_calendar_goes_back_to_the_calendar(client):
    gp = gp_office()
    gp.slot()
    log_in(client, gp.citizen)
    calendar = html_of(client.get(time_url(gp.timebook)))
    link = reverse("booking:time_request", args=[gp.service.her_id]) + f"?timebok={gp.timebook.pk}"
    assert f'href="{link}"' in calendar

    page = html_of(client.get(link))
    refused = html_of(client.post(link, {"timebok": gp.timebook.pk}))

    assert f'href="{time_url(gp.timebook)}">Forrige' in page
    assert f'href="{time_url(gp.timebook)}">Forrige' in refused


def test_forrige_on_the_time_request_from_hva_trenger_du_goes_back_there(client):
    gp = gp_office(calendar_booking=False)
    log_in(client, gp.citizen)

    page = client.get(client.get(practitioner_url(gp)).url)

    assert f'href="{reverse("booking:choose_timebook", args=[gp.office.her_id])}">Forrige' in html_of(page)
