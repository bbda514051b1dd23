"""A 12–16-year-old's own dialogues are not the parents' to read (source 004: parents represent children under 16,
and what the child does on its own can be hidden from them, as «Skjult time» hides an appointment): a parent acting
for Ola (13) does not see the dialogues Ola sent himself, in Innboks, its count, the conversation's address, its
files or its reply, and is not told of the answer. What the parent sent for the child stays the parent's to read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from citizens.models import Citizen
from dialogues.models import Dialogue, Kind
from dialogues.services import dialogue_answer, dialogue_start
from inbox.models import InboxMessage
from inbox.selectors import inbox_items
from notifications.models import Notification
from tests.factories import CitizenFactory, RepresentationFactory
from tests.pages import log_in, text_of
from tests.world import GpClinic

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

INBOX = reverse("inbox:inbox")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def send(person: Citizen, written_by: Citizen, subject: str, kind: str = Kind.E_KONSULTASJON) -> Dialogue:
    upload = SimpleUploadedFile("blodprove.pdf", PDF, content_type="application/pdf")
    return dialogue_start(
        person=person, written_by=written_by, kind=kind, subject=subject, body="Hei.", uploads=[upload]
    )


def first_message(dialogue: Dialogue) -> InboxMessage:
    return InboxMessage.objects.filter(thread=dialogue.thread_id).order_by("sent_at", "pk")[0]


def as_parent_of(client: Client, parent: Citizen, child: Citizen) -> Client:
    log_in(client, parent)
    assert client.post(reverse("citizens:switch_person"), {"person": child.pk}).status_code == 302
    return client


def unread_badge(client: Client) -> int:
    """The number Innboks shows as unread (the context's count on any portal page)."""
    return client.get(INBOX).context["unread"]()


@pytest.fixture
def ola(demo) -> Citizen:
    ola = demo.ola
    assert ola.age_on(timezone.localdate()) == 13
    Citizen.objects.filter(pk=ola.pk).update(active_on_portal=True, digital_contact_consent=True)
    ola.refresh_from_db()
    return ola


def test_a_parent_does_not_see_a_13_year_olds_own_e_konsultasjon_anywhere(client, demo, ola):
    own = send(ola, ola, "Et privat spørsmål")
    message = first_message(own)
    attachment = message.attachments.get()
    before = unread_badge(as_parent_of(Client(), demo.kurt, ola))
    dialogue_answer(dialogue=own, user=_fastlege_user(own), body="Kom innom.")  # unread for Ola

    parent = as_parent_of(client, demo.kurt, ola)
    assert "Et privat spørsmål" not in text_of(parent.get(INBOX))
    assert "Et privat spørsmål" not in text_of(parent.get(INBOX, {"q": "privat"}))
    assert unread_badge(parent) == before
    assert parent.get(reverse("inbox:message", args=[message.pk])).status_code == 404
    assert parent.get(reverse("dialogues:attachment", args=[attachment.pk])).status_code == 404
    reply = parent.post(reverse("dialogues:reply", args=[own.thread_id]), {"body": "Hva gjelder dette?"})
    assert reply.status_code == 404
    assert not InboxMessage.objects.filter(thread=own.thread_id, written_by=demo.kurt).exists()

    himself = log_in(Client(), ola)
    assert "Et privat spørsmål" in text_of(himself.get(INBOX))
    assert himself.get(reverse("inbox:message", args=[message.pk])).status_code == 200
    assert himself.get(reverse("dialogues:attachment", args=[attachment.pk])).status_code == 200


def test_what_the_parent_sent_for_the_13_year_old_the_parent_still_reads(client, demo, ola):
    for_him = send(ola, demo.kurt, "Om Ola", kind=Kind.E_KONTAKT)
    message = first_message(for_him)
    parent = as_parent_of(client, demo.kurt, ola)
    assert "Om Ola" in text_of(parent.get(INBOX))
    assert parent.get(reverse("inbox:message", args=[message.pk])).status_code == 200
    attachment = message.attachments.get()
    assert parent.get(reverse("dialogues:attachment", args=[attachment.pk])).status_code == 200
    assert "Om Ola" in text_of(log_in(Client(), ola).get(INBOX))  # and the child, whose it is


def _fastlege_user(dialogue: Dialogue):  # type: ignore[no-untyped-def]
    return get_user_model().objects.get(username="august-september")


# --- Who is told of the answer ---------------------------------------------------------------------------------


def _told() -> set[str]:
    keys = Notification.objects.filter(dedupe_key__startswith="inbox-message:")
    return set(keys.values_list("recipient_key", flat=True))


def _child(c: GpClinic, age: int) -> tuple[Citizen, Citizen]:
    """A child of ``age`` (all this year) on the clinic's list, and a parent; both told by SMS."""
    today = timezone.localdate()
    child = CitizenFactory(
        first_name="Ola",
        birth_date=dt.date(today.year - age, 1, 1),
        gp_office=c.gp.office,
        fastlege=c.gp.fastlege,
        phone="+4741111111",
        notify_sms=True,
    )
    parent = RepresentationFactory(
        represented=child, representative__phone="+4742222222", representative__notify_sms=True
    ).representative
    return child, parent


def test_the_answer_to_a_13_year_olds_own_dialogue_is_told_to_the_child_not_the_parents(c):
    child, _parent = _child(c, 13)
    own = c.send(Kind.E_KONTAKT, person=child, written_by=child)
    dialogue_answer(dialogue=own, user=c.secretary, body="Velkommen innom.")
    assert _told() == {f"citizen:{child.pk}"}


def test_an_11_year_olds_own_dialogue_is_the_parents_to_read_and_be_told_of(c):
    child, parent = _child(c, 11)
    own = c.send(Kind.E_KONTAKT, person=child, written_by=child)
    assert [item.thread_id for item in inbox_items(child, parent)] == [own.thread_id]
    dialogue_answer(dialogue=own, user=c.secretary, body="Velkommen innom.")
    assert _told() == {f"citizen:{parent.pk}"}
