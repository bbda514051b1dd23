"""Innboks (source 003 step 9): newest first, unread marked «Ny», opening a message marks it read, and
messages from the system say «Denne meldingen kan ikke besvares.»."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.services import appointment_book_by_clinic
from inbox.models import InboxMessage
from tests.factories import InboxMessageFactory
from tests.pages import html_of, log_in, text_of, unread_in_header

pytestmark = pytest.mark.django_db

INBOX = reverse("inbox:inbox")


@pytest.fixture
def mailbox(client, world):
    """Three messages to the clinic's citizen: an old read one, and two unread (one about an appointment)."""
    citizen = world.citizen
    now = timezone.now()
    old = InboxMessageFactory(
        citizen=citizen,
        kind=InboxMessage.Kind.AUTOMATIC_REPLY,
        sender="Helsenorge testlegekontor",
        subject="Gammel melding",
        body="Lest for lenge siden.",
        sent_at=now - dt.timedelta(days=3),
        read_at=now - dt.timedelta(days=2),
    )
    appointment = appointment_book_by_clinic(person=citizen, slot=world.slots[0], reason="Vaksine")
    newest = appointment.messages.get()
    middle = InboxMessageFactory(
        citizen=citizen,
        kind=InboxMessage.Kind.TIME_REQUEST,
        sender="Testkommune",
        subject="Svar på timeforespørsel",
        body="Vi ringer deg.",
        can_reply=True,
        sent_at=now - dt.timedelta(hours=1),
    )
    log_in(client, citizen)
    return {"old": old, "middle": middle, "newest": newest, "appointment": appointment}


def test_innboks_lists_the_newest_first_and_marks_the_unread_ny(client, mailbox):
    response = client.get(INBOX)
    assert response.status_code == 200
    text = text_of(response)
    assert "3 meldinger" in text
    positions = [text.index(s) for s in ("Vaksine", "Svar på timeforespørsel", "Gammel melding")]  # titled by reason
    assert positions == sorted(positions)
    items = re.findall(r'<li class="inbox__item[^"]*">(.*?)</li>', html_of(response), re.S)
    unread = ["Ny</span>" in item for item in items]
    assert unread == [True, True, False]
    assert "Meldingen(e) er knyttet til en timeavtale" in items[0]  # source 003
    assert f"Sendt: {timezone.localtime(mailbox['newest'].sent_at):%H:%M}" in text  # today: the time (source 003)


def test_the_header_counts_the_unread_messages(client, mailbox):
    assert unread_in_header(client.get(INBOX)) == 2


def test_opening_a_message_marks_it_read(client, mailbox):
    message = mailbox["newest"]
    response = client.get(message.get_absolute_url())
    assert response.status_code == 200
    message.refresh_from_db()
    first_read = message.read_at
    assert first_read is not None

    items = re.findall(r'<li class="inbox__item[^"]*">(.*?)</li>', html_of(client.get(INBOX)), re.S)
    assert ["Ny</span>" in item for item in items] == [False, True, False]
    assert unread_in_header(client.get(INBOX)) == 1

    client.get(message.get_absolute_url())
    message.refresh_from_db()
    assert message.read_at == first_read  # reading again changes nothing


def test_a_system_message_cannot_be_answered_and_links_to_its_appointment(client, mailbox):
    text = text_of(client.get(mailbox["newest"].get_absolute_url()))
    assert "Du har fått en ny timeavtale" in text
    assert "Din timereservasjon er bekreftet." in text
    assert "Denne meldingen kan ikke besvares." in text
    html = html_of(client.get(mailbox["newest"].get_absolute_url()))
    assert f'href="{mailbox["appointment"].get_absolute_url()}">Vis timeavtale</a>' in html
    assert "‹ Innboks" in html


def test_a_message_that_can_be_answered_does_not_say_it_cannot(client, mailbox):
    text = text_of(client.get(mailbox["middle"].get_absolute_url()))
    assert "Vi ringer deg." in text
    assert "Denne meldingen kan ikke besvares." not in text
    assert "Vis timeavtale" not in text


def test_an_empty_inbox_says_so(client, world):
    log_in(client, world.citizen)
    text = text_of(client.get(INBOX))
    assert "0 meldinger" in text
    assert "Du har ingen meldinger." in text


def test_innboks_and_a_message_refuse_post(client, mailbox):
    assert client.post(INBOX).status_code == 405
    assert client.post(mailbox["newest"].get_absolute_url()).status_code == 405
    mailbox["newest"].refresh_from_db()
    assert mailbox["newest"].read_at is None


def test_an_unknown_message_is_404(client, mailbox):
    assert client.get(reverse("inbox:message", args=[987654])).status_code == 404
