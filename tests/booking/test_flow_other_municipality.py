"""«Bestill koronatest i annen kommune» (source 002; DESIGN §3: every timebook type under Smittevern also
appears there), on the seeded demo."""

from __future__ import annotations

from django.urls import reverse

from booking.models import Appointment
from resourcebooks.models import Slot
from tests.demo import Demo
from tests.factories import SlotFactory, TimebookFactory
from tests.pages import html_of, log_in, moment, nothing_booked, open_review, review_url, send_booking, text_of

OTHER = reverse("booking:other_municipality")


def contact_url(her_id: int) -> str:
    return reverse("booking:choose_timebook", args=[her_id])


def test_per_finds_the_link_and_the_other_municipalities(client, demo):
    log_in(client, demo.per)
    assert f'href="{OTHER}">Bestill koronatest i annen kommune' in html_of(
        client.get(reverse("booking:choose_contact"))
    )
    response = client.get(OTHER)
    assert response.status_code == 200
    html = html_of(response)
    assert '<option value="8100001">Helsenorge kommune</option>' in html
    assert '<option value="8100200">Dhs kommune</option>' in html
    assert "Beste kommune" not in html  # his own
    assert "Helsenorge testlegekontor" not in html  # not a municipality


def test_choosing_helsenorge_kommune_shows_only_its_smittevern(client, demo):
    log_in(client, demo.per)
    response = client.get(OTHER, {"kommune": 8100001})
    text, html = text_of(response), html_of(response)
    assert "Hvem vil du bestille time hos?" in text
    assert "Helsenorge kommune Smittevern (Feberpoliklinikk Test)" in text
    assert f'href="{contact_url(Demo.SMITTEVERN)}"' in html
    assert "Vaksinasjon" not in text
    assert "Helsestasjon" not in text


def test_per_books_influensavaksine_in_helsenorge_kommune(client, demo, django_capture_on_commit_callbacks):
    log_in(client, demo.per)
    step2 = text_of(client.get(contact_url(Demo.SMITTEVERN)))
    assert "Hva trenger du?" in step2
    # Labelled by the type of time, the timebook's text under it (source 000 step 2).
    assert "Vaksine Dette er en tekst som kan egendefines i journalsystemet på maks 200 tegn" in step2

    slot = demo.free_slot(demo.influensavaksine)
    with django_capture_on_commit_callbacks(execute=True):
        response = send_booking(client, slot)
    assert response.status_code == 302
    appointment = Appointment.objects.get(slot=slot)
    assert appointment.citizen == demo.per
    assert appointment.status == Appointment.Status.ASSIGNED
    assert (
        f"{moment(slot.start)}: Time for vaksine hos Influensavaksine, Smittevern (Feberpoliklinikk Test), "
        "Helsenorge kommune"
    ) in text_of(client.get(appointment.get_absolute_url()))


def test_a_vaksinasjon_service_of_another_municipality_never_appears(client, demo):
    # Even with a koronatest timebook and a free slot, Vaksinasjon is not offered to other municipalities.
    vaksinasjon = demo.service(Demo.VAKSINASJON)
    timebook = TimebookFactory(service=vaksinasjon, type="koronatest", name="Koronatest på vaksinasjon")
    slot = SlotFactory(timebook=timebook, location=demo.free_slot(demo.influensavaksine).location)
    log_in(client, demo.per)
    assert "Vaksinasjon" not in text_of(client.get(OTHER, {"kommune": 8100001}))
    assert client.get(contact_url(Demo.VAKSINASJON)).status_code == 404
    assert client.get(review_url(slot)).status_code == 404
    assert nothing_booked(slot)


def test_a_legevakt_koronatest_is_shown_only_locally(client, demo):
    log_in(client, demo.kurt)
    text = text_of(client.get(OTHER, {"kommune": 8100100}))
    assert "Beste kommune Smittevern" in text
    assert "Legevakt" not in text
    assert client.get(contact_url(Demo.BESTE_LEGEVAKT)).status_code == 404

    log_in(client, demo.per)
    legevakt = demo.timebook("Koronatest legevakt")
    assert f'name="timebook" value="{legevakt.pk}"' in html_of(client.get(contact_url(Demo.BESTE_LEGEVAKT)))


def test_a_smittevern_without_timereservasjon_is_offered_but_cannot_send(client, demo):
    log_in(client, demo.per)
    text = text_of(client.get(OTHER, {"kommune": 8100200}))
    assert "Dhs kommune Smittevern (Feberpoliklinikk)" in text
    assert "Smittevern (Test COVID-19)" not in text  # the «mellomløsning» shows no timebooks
    slot = demo.free_slot(demo.timebook("Kovidtest"))
    key = open_review(client, slot)
    response = client.post(review_url(slot), {"reason": "Koronatest", "idempotency_key": key})
    assert response.status_code == 400
    assert "Timebestillingen kunne ikke sendes. Prøv igjen senere." in text_of(response)
    assert nothing_booked(slot)
    assert Slot.objects.get(pk=slot.pk).state == Slot.State.FREE


def test_the_own_or_an_unknown_municipality_is_404(client, demo):
    log_in(client, demo.per)
    for value in ("8100100", "8100300", "abc", "1"):
        assert client.get(OTHER, {"kommune": value}).status_code == 404


def test_the_page_refuses_post(client, demo):
    log_in(client, demo.per)
    assert client.post(OTHER, {"kommune": 8100001}).status_code == 405
