"""Every read of a dialogue leaves a row in the audit trail (Normen), as booking's pages do: who read, what, which
one, for which office. The clinic's inbox, a thread, its files and the patient's journal; the admin's journal notes,
prescriptions and Innboks messages, as a list and one by one; and a citizen's download of a file, their own or, as
a parent, a child's. A page that answers 404 records nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from citizens.models import Citizen
from dialogues.models import Dialogue, JournalEntry, Kind
from dialogues.services import dialogue_start
from inbox.models import Attachment, InboxMessage
from resourcebooks.gp_demo import GP_OFFICE_HER_ID
from tests.dialogues import test_staff_pages as staff_pages
from tests.factories import PrescriptionFactory, UserFactory
from tests.pages import log_in

patient = staff_pages.patient  # fixture
staff = staff_pages.staff

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def send(person: Citizen, written_by: Citizen, kind: str = Kind.E_KONSULTASJON) -> Dialogue:
    upload = SimpleUploadedFile("blodprove.pdf", PDF, content_type="application/pdf")
    return dialogue_start(
        person=person, written_by=written_by, kind=kind, subject="Vondt i halsen", body="Hjelp.", uploads=[upload]
    )


def attachment_of(dialogue: Dialogue) -> Attachment:
    return Attachment.objects.get(message__thread=dialogue.thread_id)


@pytest.fixture
def dialogue(patient) -> Dialogue:
    dialogue = send(patient, patient)
    AuditEvent.objects.all().delete()  # the seed's rows and the send's own
    return dialogue


def reads(object_type: str) -> list[tuple]:
    events = AuditEvent.objects.filter(action="read", object_type=object_type).order_by("id")
    return [(e.actor_kind, e.actor_user_id, e.acting_for, e.object_id, e.organisation_her_id) for e in events]


def august():  # type: ignore[no-untyped-def]
    return get_user_model().objects.get(username="august-september")


# --- The clinic's own pages --------------------------------------------------------------------------------------


def test_the_fastlege_reading_the_inbox_a_thread_and_its_file_is_recorded(dialogue):
    client, who = staff("august-september"), august().pk
    assert client.get(reverse("dialogues:staff_inbox")).status_code == 200
    assert client.get(reverse("dialogues:staff_thread", args=[dialogue.pk])).status_code == 200
    file = attachment_of(dialogue)
    assert client.get(reverse("dialogues:staff_attachment", args=[file.pk])).status_code == 200
    assert reads("dialogue") == [
        ("staff", who, "", "liste", GP_OFFICE_HER_ID),
        ("staff", who, "", str(dialogue.pk), GP_OFFICE_HER_ID),
    ]
    assert reads("attachment") == [("staff", who, "", str(file.pk), GP_OFFICE_HER_ID)]


def test_reading_the_patients_journal_is_recorded(dialogue, patient):
    client = staff("august-september")
    assert client.get(reverse("dialogues:staff_journal", args=[patient.pk])).status_code == 200
    assert reads("journal") == [("staff", august().pk, "", str(patient.pk), GP_OFFICE_HER_ID)]


def test_a_thread_file_or_journal_answered_with_404_records_nothing(dialogue, patient):
    kari = staff("kommune-ansatt")
    file = attachment_of(dialogue)
    assert kari.get(reverse("dialogues:staff_thread", args=[dialogue.pk])).status_code == 404
    assert kari.get(reverse("dialogues:staff_attachment", args=[file.pk])).status_code == 404
    assert kari.get(reverse("dialogues:staff_journal", args=[patient.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="read").exists()


# --- The admin ---------------------------------------------------------------------------------------------------


def test_the_admins_journal_notes_and_prescriptions_read_as_a_list_and_one_by_one_are_recorded(dialogue, patient):
    client, who = staff("august-september"), august().pk
    entry = JournalEntry.objects.get(dialogue=dialogue)
    prescription = PrescriptionFactory(citizen=patient, medication="Levaxin", strength="", prescribed_on="2026-01-05")
    for model, pk in (("journalentry", entry.pk), ("prescription", prescription.pk)):
        assert client.get(reverse(f"admin:dialogues_{model}_changelist"), {"q": "Levaxin"}).status_code == 200
        assert client.get(reverse(f"admin:dialogues_{model}_change", args=[pk])).status_code == 200
    assert reads("journal_entry") == [
        ("staff", who, "", "liste", GP_OFFICE_HER_ID),
        ("staff", who, "", str(entry.pk), GP_OFFICE_HER_ID),
    ]
    assert reads("prescription") == [
        ("staff", who, "", "liste", GP_OFFICE_HER_ID),
        ("staff", who, "", str(prescription.pk), GP_OFFICE_HER_ID),
    ]
    listed = AuditEvent.objects.get(object_type="prescription", object_id="liste")
    assert "q=Levaxin" in listed.summary  # what was searched for, as booking's lists record it


def test_a_superuser_reading_innboks_messages_in_the_admin_is_recorded(dialogue):
    root = UserFactory(username="rot", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    message = InboxMessage.objects.get(thread=dialogue.thread_id)
    assert client.get(reverse("admin:inbox_inboxmessage_changelist")).status_code == 200
    assert client.get(reverse("admin:inbox_inboxmessage_change", args=[message.pk])).status_code == 200
    assert [(kind, who, oid) for kind, who, _, oid, _ in reads("inbox_message")] == [
        ("support", root.pk, "liste"),  # a superuser counts as support
        ("support", root.pk, str(message.pk)),
    ]


# --- The citizen's download ----------------------------------------------------------------------------------------


def test_a_citizen_downloading_their_own_file_is_recorded(client, dialogue, patient):
    file = attachment_of(dialogue)
    log_in(client, patient)
    assert client.get(reverse("dialogues:attachment", args=[file.pk])).status_code == 200
    assert reads("attachment") == [("citizen", patient.user_id, "", str(file.pk), GP_OFFICE_HER_ID)]
    assert client.get(reverse("inbox:message", args=[file.message_id])).status_code == 200
    assert reads("inbox_message") == [("citizen", patient.user_id, "", str(file.message_id), GP_OFFICE_HER_ID)]


def test_a_parent_downloading_a_childs_file_is_recorded_as_acting_for_the_child(client, patient):
    kurt, emma = Citizen.objects.get(first_name="Kurt Håkon"), Citizen.objects.get(first_name="Emma")
    Citizen.objects.filter(pk=emma.pk).update(digital_contact_consent=True)
    emma.refresh_from_db()
    file = attachment_of(send(emma, kurt, Kind.E_KONTAKT))
    AuditEvent.objects.all().delete()
    log_in(client, kurt)  # not switched to Emma: the link alone
    assert client.get(reverse("dialogues:attachment", args=[file.pk])).status_code == 200
    assert reads("attachment") == [("representative", kurt.user_id, emma.full_name, str(file.pk), GP_OFFICE_HER_ID)]
