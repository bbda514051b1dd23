"""What a red-team pass over the dialogues found, each now held: a NUL in a search is no 500, a closed e-kontakt is
not converted, a body over the limit is refused before it is read, a double click sends one dialogue, the journal
shows a dialogue's subject only to those it was sent to, and the admin says in Norwegian what is wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.limits import REQUEST_MAX_BYTES
from dialogues.errors import DialogueError
from dialogues.models import Dialogue, JournalEntry, Kind, RoutingAbsence
from dialogues.services import dialogue_close, dialogue_convert
from inbox.models import Thread
from resourcebooks.models import StaffMembership
from tests.dialogues import test_staff_pages as staff_pages
from tests.pages import log_in, text_of

patient = staff_pages.patient  # fixture
staff, start = staff_pages.staff, staff_pages.start

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_a_nul_in_the_innboks_search_finds_nothing_and_is_no_error(client, patient):
    start(patient, subject="Attest")
    log_in(client, patient)
    response = client.get(reverse("inbox:inbox"), {"q": "a\x00b"})
    assert response.status_code == 200


def test_a_nul_or_letters_as_the_staff_lookup_number_is_no_error(patient):
    for value in ("\x00", "abc", "1234567890\x00"):
        response = staff("legekontor-ansatt").get(reverse("dialogues:staff_new"), {"fodselsnummer": value})
        assert response.status_code == 200, value


def test_a_closed_e_kontakt_is_not_converted(patient):
    dialogue = start(patient, kind=Kind.E_KONTAKT)
    lars = staff("legekontor-ansatt")
    dialogue_close(dialogue=dialogue, user=StaffMembership.objects.get(user__username="legekontor-ansatt").user)
    with pytest.raises(DialogueError):
        dialogue_convert(dialogue=dialogue, user=StaffMembership.objects.get(user__username="legekontor-ansatt").user)
    response = lars.post(reverse("dialogues:staff_convert", args=[dialogue.pk]))
    assert response.status_code == 302
    dialogue.refresh_from_db()
    assert dialogue.kind == Kind.E_KONTAKT and dialogue.journalled_at is None
    assert not JournalEntry.objects.filter(dialogue=dialogue).exists()


def test_a_body_over_the_limit_is_refused_unread_with_a_norwegian_413(client, patient):
    log_in(client, patient)
    threads = Thread.objects.count()
    response = client.generic(
        "POST",
        reverse("dialogues:new", args=["kontakt-legekontoret"]),
        data=b"x" * 16,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(REQUEST_MAX_BYTES + 1),
    )
    assert response.status_code == 413
    assert "Vedleggene kan til sammen ikke være større enn 12 MB." in text_of(response)
    assert Thread.objects.count() == threads


def test_the_same_message_sent_twice_is_one_dialogue(client, patient):
    log_in(client, patient)
    url = reverse("dialogues:new", args=["kontakt-legekontoret"])
    data = {"subject": "Attest", "body": "Jeg trenger en attest."}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Dialogue.objects.filter(thread__citizen=patient, thread__subject="Attest").count() == 1
    assert client.post(url, {**data, "body": "Og en til."}).status_code == 302
    assert Dialogue.objects.filter(thread__citizen=patient, thread__subject="Attest").count() == 2


def test_the_journal_shows_an_e_konsultasjons_subject_only_to_those_it_was_sent_to(patient):
    start(patient, subject="Et privat spørsmål")  # routed to the fastlege alone
    url = reverse("dialogues:staff_journal", args=[patient.pk])
    assert "Et privat spørsmål" in text_of(staff("august-september").get(url))
    secretary = text_of(staff("legekontor-ansatt").get(url))
    assert "Et privat spørsmål" not in secretary
    assert "E-konsultasjon (helsenorge.no)" in secretary


def test_an_absence_ending_before_it_begins_is_refused_in_norwegian(patient):
    august = StaffMembership.objects.get(user__username="august-september")
    lars = StaffMembership.objects.get(user__username="legekontor-ansatt")
    today = timezone.localdate()
    response = staff("legekontor-ansatt").post(
        reverse("admin:dialogues_routingabsence_add"),
        {
            "fastlege": august.practitioner_id,
            "substitute": lars.pk,
            "valid_from": (today + dt.timedelta(days=5)).isoformat(),
            "valid_to": today.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "«Til og med» kan ikke være før «Fra og med»." in text_of(response)
    assert not RoutingAbsence.objects.exists()
