"""«Se gjennom før du sender» → «Send bestilling»: every kind of bad input gets a clear Norwegian message and
changes nothing (DESIGN §5); a double submit is one request; a taken slot answers 409 with the nearest
free times."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from booking.models import Appointment, SlotHold
from resourcebooks.models import Slot, Timebook
from tests.factories import PatientBlockFactory, ServiceFactory, SlotFactory, TimebookFactory
from tests.pages import html_of, log_in, nothing_booked, open_review, review_url, send_booking, text_of
from tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen_client(client, world):
    return log_in(client, world.citizen)


def post(client: Client, slot: Slot, reason: str, key: str | None = None):
    return client.post(review_url(slot), {"reason": reason, "idempotency_key": key or open_review(client, slot)})


def test_a_refused_form_still_says_until_when_the_slot_is_held_and_does_not_renew_it(citizen_client, world):
    slot = world.slots[0]
    key = open_review(citizen_client, slot)
    hold = SlotHold.objects.get(slot=slot)
    until = timezone.localtime(hold.until)
    response = citizen_client.post(review_url(slot), {"reason": "", "idempotency_key": key})
    assert response.status_code == 400
    text = text_of(response)
    assert "Du må skrive hva timen gjelder" in text
    assert f"Timen er holdt av til deg til kl. {until:%H:%M}." in text
    assert SlotHold.objects.get(slot=slot).until == hold.until


# --- The reason: «Hva gjelder det?» ---------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_an_empty_reason_is_refused_and_books_nothing(citizen_client, world, reason):
    slot = world.slots[0]
    response = post(citizen_client, slot, reason)
    assert response.status_code == 400
    text = text_of(response)
    assert "Du må skrive hva timen gjelder" in text
    assert "Sjekk at følgende er riktig valgt/utfyllt:" in text
    assert 'aria-invalid="true"' in html_of(response)
    assert nothing_booked(*world.slots)


def test_a_reason_of_51_characters_is_refused_with_a_clear_message(citizen_client, world):
    slot = world.slots[0]
    reason = "x" * 51
    response = post(citizen_client, slot, reason)
    assert response.status_code == 400
    text = text_of(response)
    assert "Du kan skrive maks 50 tegn. Teksten din har 51 tegn." in text
    assert f">{reason}</textarea>" in html_of(response)  # what was typed is kept
    assert "51/50 tegn" in text
    assert nothing_booked(*world.slots)


def test_a_reason_of_exactly_50_characters_is_accepted(citizen_client, world):
    response = post(citizen_client, world.slots[0], "y" * 50)
    assert response.status_code == 302
    assert Appointment.objects.get(slot=world.slots[0]).reason == "y" * 50


def test_white_space_in_the_reason_is_tidied(citizen_client, world):
    post(citizen_client, world.slots[0], "  Vondt \n i   halsen ")
    assert Appointment.objects.get(slot=world.slots[0]).reason == "Vondt i halsen"


def test_markup_in_the_reason_is_stored_as_text_and_shown_escaped(citizen_client, world):
    reason = "<script>alert(1)</script>"
    response = post(citizen_client, world.slots[0], reason)
    appointment = Appointment.objects.get(slot=world.slots[0])
    assert response.status_code == 302
    assert appointment.reason == reason
    html = html_of(citizen_client.get(appointment.get_absolute_url()))
    assert "Timen gjelder: &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html


# --- The slot ----------------------------------------------------------------------------------------


def test_a_slot_of_another_timebook_is_refused_and_books_nothing(citizen_client, world):
    other = TimebookFactory(service=world.service, name="Koronatest")
    foreign = SlotFactory(timebook=other, location=world.location, start=world.slots[0].start)
    url = reverse("booking:review", args=[world.service.her_id, world.timebook.pk, foreign.pk])
    for response in (
        citizen_client.get(url),
        citizen_client.post(url, {"reason": "Test", "idempotency_key": uuid.uuid4()}),
    ):
        assert response.status_code == 400
        assert "Timen finnes ikke i denne timeboken. Velg en time i kalenderen." in text_of(response)
    assert nothing_booked(foreign, *world.slots)


def test_an_unknown_slot_id_is_refused(citizen_client, world):
    url = reverse("booking:review", args=[world.service.her_id, world.timebook.pk, 987654])
    response = citizen_client.post(url, {"reason": "Test", "idempotency_key": uuid.uuid4()})
    assert response.status_code == 400
    assert "Timen finnes ikke i denne timeboken" in text_of(response)
    assert not Appointment.objects.exists()


def test_a_past_slot_is_refused_and_books_nothing(citizen_client, world):
    past = SlotFactory(timebook=world.timebook, location=world.location, start=timezone.now() - dt.timedelta(hours=1))
    assert citizen_client.get(review_url(past)).status_code == 409
    response = citizen_client.post(review_url(past), {"reason": "Test", "idempotency_key": uuid.uuid4()})
    assert response.status_code == 400
    assert "Tidspunktet har passert. Velg en annen time." in text_of(response)
    assert nothing_booked(past, *world.slots)


@pytest.mark.parametrize("state", [Slot.State.WITHDRAWN, Slot.State.HELD, Slot.State.BOOKED])
def test_a_slot_that_is_not_free_is_refused_and_stays_as_it_was(citizen_client, world, state):
    slot = world.slots[2]
    key = open_review(citizen_client, slot)
    Slot.objects.filter(pk=slot.pk).update(state=state)
    response = citizen_client.post(review_url(slot), {"reason": "Test", "idempotency_key": key})
    assert response.status_code == 409
    assert "Timen er ikke lenger ledig" in text_of(response)
    assert Slot.objects.get(pk=slot.pk).state == state
    assert not Appointment.objects.exists()
    assert citizen_client.get(review_url(slot)).status_code == 409


def test_a_slot_held_by_someone_else_gives_409_with_the_nearest_free_slot_held_and_the_others_offered(client, world):
    first, second = world.citizen, world.resident()
    slots = world.slots
    log_in(client, first)
    key = open_review(client, slots[2])  # first holds it
    assert "Timen er holdt av til deg til kl." in text_of(client.get(review_url(slots[2])))

    other = log_in(Client(), second)
    response = other.get(review_url(slots[2]))
    assert response.status_code == 409
    text, html = text_of(response), html_of(response)
    assert "Timen er ikke lenger ledig" in text
    assert "Vi har holdt av den nærmeste ledige timen til deg" in text
    assert f'href="{review_url(slots[3])}"' in html  # the next free slot, held for the second citizen
    assert SlotHold.objects.get(slot=slots[3]).citizen == second
    assert "Andre ledige timer" in text
    for nearest in (slots[0], slots[1], slots[4]):
        assert f'href="{review_url(nearest)}"' in html
    assert "Tilbake til kalenderen" in text

    # «Send bestilling» on one's own hold cannot lose.
    response = client.post(review_url(slots[2]), {"reason": "Test", "idempotency_key": key})
    assert response.status_code == 302
    assert Appointment.objects.get(slot=slots[2]).citizen == first


def test_a_slot_taken_in_between_after_the_hold_ran_out_gives_409_and_the_nearest_held(client, world):
    first, second = world.citizen, world.resident()
    slots = world.slots
    log_in(client, first)
    key = open_review(client, slots[2])
    past = timezone.now() - dt.timedelta(minutes=10)
    SlotHold.objects.filter(slot=slots[2]).update(created_at=past, until=past + dt.timedelta(minutes=5))  # ran out

    other = log_in(Client(), second)
    assert send_booking(other, slots[2]).status_code == 302

    response = client.post(review_url(slots[2]), {"reason": "Test", "idempotency_key": key})
    assert response.status_code == 409
    text, html = text_of(response), html_of(response)
    assert "Timen er ikke lenger ledig" in text
    held = SlotHold.objects.get(citizen=first)
    assert held.slot_id in (slots[1].pk, slots[3].pk)
    assert f'href="{review_url(held.slot)}"' in html
    assert Appointment.objects.get(slot=slots[2]).citizen == second
    assert not Appointment.objects.filter(citizen=first).exists()


def test_a_slot_of_a_timebook_the_person_may_not_book_is_404(citizen_client, world):
    Timebook.objects.filter(pk=world.timebook.pk).update(who_may_book=Timebook.WhoMayBook.NAMED_LIST)
    response = citizen_client.post(review_url(world.slots[0]), {"reason": "Test", "idempotency_key": uuid.uuid4()})
    assert response.status_code == 404
    assert nothing_booked(*world.slots)


def test_a_slot_of_an_offline_timebook_is_404(citizen_client, world):
    Timebook.objects.filter(pk=world.timebook.pk).update(online=False)
    assert citizen_client.get(review_url(world.slots[0])).status_code == 404


# --- The form -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["ikke-en-nøkkel", "", "1234", None])
def test_a_tampered_idempotency_key_is_refused_and_books_nothing(citizen_client, world, key):
    data = {"reason": "Testmelding"} | ({} if key is None else {"idempotency_key": key})
    response = citizen_client.post(review_url(world.slots[0]), data)
    assert response.status_code == 400
    assert "Skjemaet er ugyldig eller utløpt" in text_of(response)
    assert 'name="idempotency_key" value="' in html_of(response)  # a fresh, valid form
    assert nothing_booked(*world.slots)


def test_a_missing_csrf_token_gets_the_norwegian_page_and_books_nothing(world):
    browser = log_in(Client(enforce_csrf_checks=True), world.citizen)
    slot = world.slots[0]
    key = open_review(browser, slot)
    response = browser.post(review_url(slot), {"reason": "Testmelding", "idempotency_key": key})
    assert response.status_code == 403
    text = text_of(response)
    assert "Skjemaet er utløpt" in text
    assert "Skjemaet manglet en gyldig sikkerhetsnøkkel, så ingenting ble endret." in text
    assert "HELSE NORGE" in text  # in the portal's layout
    assert nothing_booked(*world.slots)

    token = browser.cookies["csrftoken"].value
    response = browser.post(
        review_url(slot), {"reason": "Testmelding", "idempotency_key": key, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_submitting_the_same_form_twice_makes_one_appointment(citizen_client, world):
    slot = world.slots[0]
    key = open_review(citizen_client, slot)
    first = citizen_client.post(review_url(slot), {"reason": "Testmelding", "idempotency_key": key})
    second = citizen_client.post(review_url(slot), {"reason": "Noe annet", "idempotency_key": key})
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    appointment = Appointment.objects.get()
    assert appointment.reason == "Testmelding"
    assert first.url == reverse("booking:sent", args=[appointment.pk])


def test_a_replayed_key_cannot_book_a_second_slot(citizen_client, world):
    Timebook.objects.filter(pk=world.timebook.pk).update(max_active_bookings=5)
    key = open_review(citizen_client, world.slots[0])
    citizen_client.post(review_url(world.slots[0]), {"reason": "Testmelding", "idempotency_key": key})
    response = citizen_client.post(review_url(world.slots[1]), {"reason": "Testmelding", "idempotency_key": key})
    assert response.status_code == 302
    assert Appointment.objects.count() == 1
    assert nothing_booked(*world.slots[1:])


def test_another_citizens_key_is_refused_with_a_message_and_books_nothing(client, world):
    """The key of someone else's form (a tampered or copied form) must not end in a server error."""
    other = log_in(Client(), world.resident())
    key = open_review(other, world.slots[0])
    assert other.post(review_url(world.slots[0]), {"reason": "Test", "idempotency_key": key}).status_code == 302

    log_in(client, world.citizen)
    client.raise_request_exception = False
    response = client.post(review_url(world.slots[1]), {"reason": "Test", "idempotency_key": key})
    assert response.status_code == 400
    assert "Skjemaet er ugyldig eller utløpt" in text_of(response)
    assert nothing_booked(*world.slots[1:])
    assert Appointment.objects.count() == 1


# --- Limits and refusals --------------------------------------------------------------------------------


def test_more_active_bookings_than_the_timebook_allows_is_refused(citizen_client, world):
    assert send_booking(citizen_client, world.slots[0]).status_code == 302
    response = send_booking(citizen_client, world.slots[1])
    assert response.status_code == 400
    assert (
        "Du har allerede 1 aktiv bestilling i denne timeboken, som er det høyeste antallet som er tillatt. "
        "Avbestill en time før du bestiller en ny."
    ) in text_of(response)
    assert nothing_booked(*world.slots[1:])


def test_a_higher_limit_allows_that_many_active_bookings(citizen_client, world):
    Timebook.objects.filter(pk=world.timebook.pk).update(max_active_bookings=2)
    assert send_booking(citizen_client, world.slots[0]).status_code == 302
    assert send_booking(citizen_client, world.slots[1]).status_code == 302
    response = send_booking(citizen_client, world.slots[2])
    assert response.status_code == 400
    assert "Du har allerede 2 aktive bestillinger i denne timeboken" in text_of(response)
    assert nothing_booked(world.slots[2])


def test_a_cancelled_booking_no_longer_counts_against_the_limit(citizen_client, world):
    send_booking(citizen_client, world.slots[0])
    appointment = Appointment.objects.get()
    citizen_client.post(reverse("booking:cancel", args=[appointment.pk]))
    assert send_booking(citizen_client, world.slots[1]).status_code == 302


def test_the_blocked_person_cannot_send_a_booking(citizen_client, world):
    PatientBlockFactory(organisation=world.municipality, national_id=world.citizen.national_id, reason="Misbruk")
    response = citizen_client.post(
        review_url(world.slots[0]), {"reason": "Testmelding", "idempotency_key": uuid.uuid4()}
    )
    assert response.status_code == 400
    assert "Tjenesten kunne ikke hente ledige timer. Prøv igjen senere." in text_of(response)
    assert nothing_booked(*world.slots)


def test_the_blocked_person_is_not_shown_the_review_of_a_free_slot(citizen_client, world):
    """A blocked person «sees no free slots» (source 001), also not by opening a slot's review URL."""
    PatientBlockFactory(organisation=world.municipality, national_id=world.citizen.national_id, reason="Misbruk")
    response = citizen_client.get(review_url(world.slots[0]))
    text = text_of(response)
    assert "Tjenesten kunne ikke hente ledige timer. Prøv igjen senere." in text
    assert "Send bestilling" not in text


def test_a_service_without_timereservasjon_cannot_send(db, client):
    world = build_world(service=ServiceFactory(processes=("timebestilling", "ressursoversikt")))
    log_in(client, world.citizen)
    response = send_booking(client, world.slots[0])
    assert response.status_code == 400
    assert "Timebestillingen kunne ikke sendes. Prøv igjen senere." in text_of(response)
    assert nothing_booked(*world.slots)


def test_the_review_page_refuses_put_and_delete(citizen_client, world):
    assert citizen_client.put(review_url(world.slots[0])).status_code == 405
    assert citizen_client.delete(review_url(world.slots[0])).status_code == 405
    assert nothing_booked(*world.slots)


def test_the_sent_page_refuses_post(citizen_client, world):
    send_booking(citizen_client, world.slots[0])
    appointment = Appointment.objects.get()
    assert citizen_client.post(reverse("booking:sent", args=[appointment.pk])).status_code == 405
