"""Issue 12, «What a new user found»: the citizen-side defects 9, 10 and 12 (2 is drawn, so it is tested in
Chromium: tests/browser/test_citizen_layout.py)."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from booking.models import Appointment
from booking.services import (
    appointment_book_by_clinic,
    appointment_cancel,
    appointment_cancel_by_clinic,
    appointment_reject,
)
from inbox.models import InboxMessage
from resourcebooks.models import Slot, Timebook
from tests.pages import html_of, log_in, oslo, review_url, send_booking, text_of

APPOINTMENTS = reverse("booking:appointments")
ALERTS = reverse("booking:alerts")
SMITTEVERN = 8100011
LIMIT_REACHED = (
    "Du har allerede 1 aktiv bestilling i denne timeboken, som er det høyeste antallet som er tillatt. "
    "Avbestill en time før du bestiller en ny."
)


def section(text: str, heading: str, next_heading: str) -> str:
    """The page text between two headings."""
    start = text.index(heading)
    return text[start : text.index(next_heading, start)]


# --- 9: cancelled and clinic-cancelled appointments are not «Kommende timer» --------------------------------


def test_avbestilt_and_avlyst_appointments_are_listed_apart_with_their_status(client, world):
    person = world.citizen
    active, by_citizen, by_clinic = (
        appointment_book_by_clinic(person=person, slot=slot, reason="Vaksine") for slot in world.slots[:3]
    )
    appointment_cancel(appointment=by_citizen, by=person)
    assert appointment_cancel_by_clinic(appointment=by_clinic)
    log_in(client, person)

    response = client.get(APPOINTMENTS)
    text, html = text_of(response), html_of(response)
    upcoming = section(text, "Kommende timer", "Avlyste og avbestilte timer")
    cancelled = section(text, "Avlyste og avbestilte timer", "Tidligere timer")
    assert "Tildelt" in upcoming
    assert not re.search(r"Avbestilt|Avlyst", upcoming)
    for status in ("Avbestilt", "Avlyst"):
        assert status in cancelled
    assert "Tildelt" not in cancelled
    rows = re.findall(r'<li class="appointment-item">.*?</li>', html, re.S)
    assert len(rows) == 3
    assert html.index(active.get_absolute_url()) < html.index("Avlyste og avbestilte timer")
    for appointment in (by_citizen, by_clinic):
        assert html.index(appointment.get_absolute_url()) > html.index("Avlyste og avbestilte timer")


def test_a_rejected_request_is_with_the_cancelled_ones(client, world):
    Timebook.objects.filter(pk=world.timebook.pk).update(confirmation=Timebook.Confirmation.MANUAL)
    log_in(client, world.citizen)
    send_booking(client, world.slots[0])
    appointment = Appointment.objects.get(citizen=world.citizen)
    assert appointment_reject(appointment=appointment)
    text = text_of(client.get(APPOINTMENTS))
    assert "Avvist" in section(text, "Avlyste og avbestilte timer", "Tidligere timer")
    assert "Du har ingen kommende timer." in text


def test_without_cancelled_appointments_there_is_no_such_section(client, world):
    appointment_book_by_clinic(person=world.citizen, slot=world.slots[0], reason="Vaksine")
    log_in(client, world.citizen)
    assert "Avlyste og avbestilte timer" not in text_of(client.get(APPOINTMENTS))


# --- 10: Varsler tells of the unread messages in Innboks ------------------------------------------------------


def test_varsler_tells_of_unread_messages_with_a_link_to_innboks(client, world):
    for slot in world.slots[:2]:
        appointment_book_by_clinic(person=world.citizen, slot=slot, reason="Vaksine")
    log_in(client, world.citizen)
    response = client.get(ALERTS)
    text = text_of(response)
    assert "Du har 2 uleste meldinger i innboksen." in text
    assert "Du har ingen nye varsler" not in text
    assert f'href="{reverse("inbox:inbox")}">Gå til innboksen</a>' in html_of(response)

    InboxMessage.objects.filter(citizen=world.citizen).order_by("pk").first().delete()  # type: ignore[union-attr]
    assert "Du har 1 ulest melding i innboksen." in text_of(client.get(ALERTS))
    assert "1 ulest melding" in text_of(client.get(reverse("booking:home")))

    InboxMessage.objects.filter(citizen=world.citizen).update(read_at=timezone.now())
    assert "Du har ingen nye varsler." in text_of(client.get(ALERTS))


def test_varsler_counts_the_person_acted_for_and_never_a_hidden_appointments_message(client, demo):
    log_in(client, demo.kurt)
    client.post(reverse("citizens:switch_person"), {"person": demo.ola.pk})
    text = text_of(client.get(ALERTS))
    assert "Du har ingen nye varsler." in text  # Ola's only unread message is about his hidden appointment
    assert "ulest" not in text


def test_varsler_without_login_has_no_alerts(client):
    assert "Du har ingen nye varsler." in text_of(client.get(ALERTS))


# --- 12: the limit on «Hva trenger du?», the deadline and the person on the review page -------------------


def test_a_timebook_the_person_cannot_book_more_in_is_marked_on_hva_trenger_du_and_refused(client, demo):
    timebook = demo.influensavaksine
    log_in(client, demo.kurt)
    assert send_booking(client, demo.free_slot(timebook)).status_code == 302

    response = client.get(reverse("booking:choose_timebook", args=[SMITTEVERN]))
    html, text = html_of(response), text_of(response)
    assert re.search(rf'<input type="radio" id="tb-{timebook.pk}" name="timebook" value="{timebook.pk}" disabled', html)
    assert f"Vaksine {timebook.description} {LIMIT_REACHED}" in text

    response = client.post(reverse("booking:choose_timebook", args=[SMITTEVERN]), {"timebook": timebook.pk})
    assert response.status_code == 400
    assert LIMIT_REACHED in text_of(response)


def test_the_limit_is_the_person_acted_for_and_names_them(client, demo):
    timebook = demo.influensavaksine
    log_in(client, demo.kurt)
    client.post(reverse("citizens:switch_person"), {"person": demo.emma.pk})
    assert "disabled aria-describedby" not in html_of(client.get(reverse("booking:choose_timebook", args=[SMITTEVERN])))
    assert send_booking(client, demo.free_slot(timebook)).status_code == 302
    text = text_of(client.get(reverse("booking:choose_timebook", args=[SMITTEVERN])))
    assert LIMIT_REACHED.replace("Du har", "Emma Grytten har") in text
    client.post(reverse("citizens:switch_person"), {"person": demo.kurt.pk})
    assert LIMIT_REACHED not in text_of(client.get(reverse("booking:choose_timebook", args=[SMITTEVERN])))


def test_a_higher_limit_leaves_the_timebook_free_to_choose(client, world):
    Timebook.objects.filter(pk=world.timebook.pk).update(max_active_bookings=2)
    log_in(client, world.citizen)
    send_booking(client, world.slots[0])
    url = reverse("booking:choose_timebook", args=[world.service.her_id])
    assert "disabled" not in html_of(client.get(url))
    response = client.post(url, {"timebook": world.timebook.pk})
    assert response.status_code == 302


def test_the_review_page_tells_the_cancellation_deadline_before_send_bestilling(client, world):
    slot = world.slots[0]
    log_in(client, world.citizen)
    text = text_of(client.get(review_url(slot)))
    deadline = oslo(slot.start - dt.timedelta(hours=world.timebook.cancellation_deadline_hours))
    line = f"Du kan avbestille på nett fram til {deadline.day}.{deadline.month}.{deadline.year} kl. {deadline:%H:%M}."
    assert line in text
    assert text.index(line) < text.index("Send bestilling")


def test_the_review_page_says_when_the_deadline_has_already_passed(client, world):
    Timebook.objects.filter(pk=world.timebook.pk).update(cancellation_deadline_hours=72)
    log_in(client, world.citizen)
    text = text_of(client.get(review_url(world.slots[0])))
    assert "Timen kan ikke avbestilles på nett, fordi fristen er 72 timer før timen." in text
    assert "Du kan avbestille på nett fram til" not in text


def test_the_review_page_names_the_person_when_acting_for_someone(client, demo):
    slot = demo.free_slot(demo.influensavaksine)
    log_in(client, demo.kurt)
    assert "Du bestiller time på vegne av" not in text_of(client.get(review_url(slot)))
    client.post(reverse("citizens:switch_person"), {"person": demo.emma.pk})
    text = text_of(client.get(review_url(slot)))
    assert "Du bestiller time på vegne av Emma Grytten." in text
    assert text.index("Emma Grytten.") < text.index("Send bestilling")
    # Looking books nothing; the slot Kurt was looking at is now held for Emma, whom he acts for.
    assert Slot.objects.get(pk=slot.pk).state == Slot.State.ON_HOLD
    assert slot.hold.citizen == demo.emma and not slot.appointments.exists()


def test_another_citizen_sees_no_limit_of_someone_elses(client, demo):
    log_in(client, demo.kurt)
    send_booking(client, demo.free_slot(demo.influensavaksine))
    other = log_in(Client(), demo.viktig)
    assert LIMIT_REACHED not in text_of(other.get(reverse("booking:choose_timebook", args=[SMITTEVERN])))
