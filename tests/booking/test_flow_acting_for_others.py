"""Acting for others (source 003: «på vegne av personer hen har fullmakt for … eller har foreldreansvar
for»; source 004: hidden appointments of 12–16-year-olds), on the seeded demo."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from booking.models import Appointment
from citizens.models import Representation
from inbox.models import InboxMessage
from tests.factories import RepresentationFactory
from tests.pages import html_of, log_in, moment, send_booking, text_of, unread_in_header
from tests.world import new_citizen

SWITCH = reverse("citizens:switch_person")
APPOINTMENTS = reverse("booking:appointments")
INBOX = reverse("inbox:inbox")


def switch(client: Client, person_id) -> object:
    return client.post(SWITCH, {"person": person_id})


def book(client, slot, capture) -> Appointment:
    with capture(execute=True):
        assert send_booking(client, slot).status_code == 302
    return Appointment.objects.get(slot=slot, status__in=Appointment.ACTIVE)


def test_kurt_switches_to_emma_and_books_for_her(client, demo, django_capture_on_commit_callbacks):
    kurt, emma = demo.kurt, demo.emma
    log_in(client, kurt)
    html = html_of(client.get(APPOINTMENTS))
    assert f'<option value="{emma.pk}">Emma Grytten (foreldreansvar)</option>' in html

    response = switch(client, emma.pk)
    assert response.status_code == 302 and response.url == APPOINTMENTS
    page = client.get(APPOINTMENTS)
    assert "Timeavtaler for Emma Grytten" in text_of(page)
    assert "Du bruker nå Helsenorge på vegne av Emma Grytten." in text_of(page)

    slot = demo.free_slot(demo.influensavaksine)
    appointment = book(client, slot, django_capture_on_commit_callbacks)
    assert appointment.citizen == emma
    assert appointment.booked_by == kurt
    assert appointment.status == Appointment.Status.ASSIGNED

    listing = text_of(client.get(APPOINTMENTS))
    assert f"{moment(slot.start)}: Time for vaksine hos Influensavaksine" in listing  # issue 22: the title
    assert "Bestilt av Kurt Håkon Grytten" in listing
    detail = text_of(client.get(appointment.get_absolute_url()))
    assert "Bestilt av: Kurt Håkon Grytten på vegne av Emma Grytten" in detail
    inbox = text_of(client.get(INBOX))
    assert "Innboks for Emma Grytten" in inbox
    assert "Testmelding" in inbox  # issue 22: a new appointment's line is titled by its reason (source 003)
    assert InboxMessage.objects.get(appointment=appointment).citizen == emma

    # Back to himself: Emma's appointment is not in Kurt's own list.
    response = switch(client, kurt.pk)
    assert "Du bruker nå Helsenorge for deg selv." in text_of(client.get(APPOINTMENTS))
    assert appointment.get_absolute_url() not in html_of(client.get(APPOINTMENTS))


def test_the_limit_of_active_bookings_is_per_person(client, demo, django_capture_on_commit_callbacks):
    log_in(client, demo.kurt)
    book(client, demo.free_slot(demo.influensavaksine, 0), django_capture_on_commit_callbacks)
    switch(client, demo.emma.pk)
    assert book(client, demo.free_slot(demo.influensavaksine, 1), django_capture_on_commit_callbacks).citizen == (
        demo.emma
    )


def test_cancelling_for_a_child_says_who_cancelled(client, demo, django_capture_on_commit_callbacks):
    log_in(client, demo.kurt)
    switch(client, demo.emma.pk)
    appointment = book(client, demo.free_slot(demo.influensavaksine), django_capture_on_commit_callbacks)
    client.post(reverse("booking:cancel", args=[appointment.pk]))
    receipt = InboxMessage.objects.get(appointment=appointment, kind=InboxMessage.Kind.CANCELLATION_RECEIPT)
    assert receipt.citizen == demo.emma
    assert "Avbestilt av Kurt Håkon Grytten på vegne av Emma Grytten." in receipt.body


def test_viktig_person_books_for_astrid_with_her_power_of_attorney(client, demo, django_capture_on_commit_callbacks):
    log_in(client, demo.viktig)
    assert "Astrid Fullmaktsgiver (fullmakt)" in text_of(client.get(APPOINTMENTS))
    switch(client, demo.astrid.pk)
    appointment = book(client, demo.free_slot(demo.influensa), django_capture_on_commit_callbacks)
    assert (appointment.citizen, appointment.booked_by) == (demo.astrid, demo.viktig)
    assert "Bestilt av: Viktig Person på vegne av Astrid Fullmaktsgiver" in text_of(
        client.get(appointment.get_absolute_url())
    )


# --- Ola's hidden appointment ----------------------------------------------------------------------------


def test_olas_hidden_appointment_is_not_shown_to_kurt(client, demo):
    hidden, message = demo.hidden_appointment(), demo.hidden_message()
    log_in(client, demo.kurt)
    switch(client, demo.ola.pk)

    listing = client.get(APPOINTMENTS)
    assert "Timeavtaler for Ola Grytten" in text_of(listing)
    assert hidden.get_absolute_url() not in html_of(listing)
    assert "Ta prøve på laboratoriet" not in text_of(listing)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("booking:ics", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("booking:cancel", args=[hidden.pk])).status_code == 404
    assert client.post(reverse("booking:cancel", args=[hidden.pk])).status_code == 404

    inbox = client.get(INBOX)
    assert "0 meldinger" in text_of(inbox)
    assert message.get_absolute_url() not in html_of(inbox)
    assert client.get(message.get_absolute_url()).status_code == 404

    hidden.refresh_from_db()
    message.refresh_from_db()
    assert hidden.status == Appointment.Status.ASSIGNED
    assert message.read_at is None


def test_the_header_does_not_count_olas_hidden_message_for_kurt(client, demo):
    """The unread count must not reveal what the inbox hides: Kurt acting for Ola sees no unread message."""
    log_in(client, demo.kurt)
    switch(client, demo.ola.pk)
    inbox = client.get(INBOX)
    assert "0 meldinger" in text_of(inbox)
    assert unread_in_header(inbox) == 0
    assert not re.search(r"\d+ uleste meldinger", text_of(client.get(reverse("booking:home"))))


def test_ola_sees_his_hidden_appointment(client, demo):
    hidden, message = demo.hidden_appointment(), demo.hidden_message()
    log_in(client, demo.ola)
    assert hidden.get_absolute_url() in html_of(client.get(APPOINTMENTS))
    page = client.get(hidden.get_absolute_url())
    assert page.status_code == 200
    assert "Time til laboratoriet hos Helsenorge testlegekontor" in text_of(page)  # source 001's GP-office title
    assert "Timen gjelder: Blodprøve" in text_of(page)
    assert message.get_absolute_url() in html_of(client.get(INBOX))
    assert client.get(message.get_absolute_url()).status_code == 200


# --- Whom one may act for --------------------------------------------------------------------------------


def test_switching_to_someone_one_does_not_represent_is_404(client, demo):
    log_in(client, demo.kurt)
    for person in (demo.viktig.pk, demo.astrid.pk, "abc", "", 987654):
        assert switch(client, person).status_code == 404
    assert "acting_for" not in client.session
    assert "Timeavtaler for" not in text_of(client.get(APPOINTMENTS))


def test_switching_refuses_get(client, demo):
    log_in(client, demo.kurt)
    assert client.get(SWITCH, {"person": demo.emma.pk}).status_code == 405
    assert "acting_for" not in client.session


def test_a_child_of_16_is_no_longer_offered(client, demo):
    today = timezone.localdate()
    sixteen = new_citizen(
        first_name="Sara", municipality=demo.kurt.municipality, birth_date=today.replace(year=today.year - 16)
    )
    fifteen = new_citizen(
        first_name="Jon",
        municipality=demo.kurt.municipality,
        birth_date=today.replace(year=today.year - 16) + dt.timedelta(days=1),
    )
    for child in (sixteen, fifteen):
        RepresentationFactory(representative=demo.kurt, represented=child, kind=Representation.Kind.PARENT)
    log_in(client, demo.kurt)
    html = html_of(client.get(APPOINTMENTS))
    assert f'value="{fifteen.pk}"' in html
    assert f'value="{sixteen.pk}"' not in html
    assert switch(client, sixteen.pk).status_code == 404
    assert switch(client, fifteen.pk).status_code == 302


def test_acting_for_someone_no_longer_represented_falls_back_to_oneself(client, demo):
    log_in(client, demo.kurt)
    switch(client, demo.emma.pk)
    Representation.objects.filter(represented=demo.emma).delete()
    text = text_of(client.get(APPOINTMENTS))
    assert "Timeavtaler for Emma Grytten" not in text
    assert "acting_for" not in client.session
