"""The GP office's side of the dialogues (source 004 «Dialoger», «Motta dialog», «Reseptforespørsler», «Ved ferie
og fravær»), on the seeded demo: the inbox routes each dialogue to the right staff, answers reach the patient,
and another organisation's staff see nothing of it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from addressregistry.models import Organisation, Service
from booking.models import Appointment
from booking.services import time_request_send
from citizens.models import Citizen
from dialogues import texts
from dialogues.errors import DialogueError
from dialogues.forms_staff import office_slots
from dialogues.models import Dialogue, JournalEntry, Kind, Prescription, RoutingSetting
from dialogues.services import dialogue_reply, dialogue_start
from inbox.models import InboxMessage
from notifications.models import Notification
from resourcebooks.gp_demo import FASTLEGE_HER_ID, FASTLEGE_SERVICE_HER_ID, GP_OFFICE_HER_ID
from resourcebooks.models import VikarAssignment
from tests.factories import RoutingSettingFactory, StaffGroupFactory
from tests.pages import html_of

pytestmark = pytest.mark.postgres
# A 1×1 PNG: an image by its content, as the attachment check requires.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d"
    "0000000049454e44ae426082"
)


@pytest.fixture
def patient(demo_db, db) -> Citizen:
    patient = Citizen.objects.filter(gp_office__her_id=GP_OFFICE_HER_ID, fastlege__her_id=FASTLEGE_HER_ID).first()
    assert patient is not None
    patient.phone, patient.email = "+4791234567", "pasient@example.no"
    patient.notify_sms = patient.notify_email = patient.notify_push = True
    patient.active_on_portal = patient.digital_contact_consent = True
    patient.save()
    return patient


def staff(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def start(patient: Citizen, kind: str = Kind.E_KONSULTASJON, subject: str = "Vondt i halsen", **kw) -> Dialogue:
    return dialogue_start(person=patient, written_by=patient, kind=kind, subject=subject, body="Hjelp.", **kw)


def thread_url(dialogue: Dialogue, name: str = "staff_thread") -> str:
    return reverse(f"dialogues:{name}", args=[dialogue.pk])


def answers(dialogue: Dialogue) -> int:
    return InboxMessage.objects.filter(thread=dialogue.thread_id, kind=InboxMessage.Kind.ANSWER).count()


def test_anonymous_goes_to_the_staff_login(client, demo_db, db):
    response = client.get(reverse("dialogues:staff_inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff_login") + "?next=")


def test_the_fastlege_sees_the_consultation_and_a_colleague_not_routed_does_not(patient):
    dialogue = start(patient)
    august, lars = staff("august-september"), staff("legekontor-ansatt")
    inbox = html_of(august.get(reverse("dialogues:staff_inbox")))
    assert "Vondt i halsen" in inbox and "helsenorge.no" in inbox and patient.masked_national_id in inbox
    page = august.get(thread_url(dialogue))
    assert page.status_code == 200 and "Journalført" in html_of(page)
    assert "Vondt i halsen" not in html_of(lars.get(reverse("dialogues:staff_inbox")))
    assert lars.get(thread_url(dialogue)).status_code == 404


def test_the_vikar_sees_the_fastleges_while_set_and_keeps_only_those_taken_part_in(patient):
    untouched, answered = start(patient, subject="Utslett"), start(patient, subject="Hoste")
    astrid = staff("astrid-info")
    assert astrid.get(thread_url(untouched)).status_code == 200
    response = astrid.post(thread_url(answered, "staff_answer"), {"body": "Kom innom."})
    assert response.status_code == 302
    assert "Astrid" in InboxMessage.objects.filter(thread=answered.thread_id).latest("sent_at").sender
    VikarAssignment.objects.filter(vikar__membership__user__username="astrid-info").update(removed_at=timezone.now())
    assert astrid.get(thread_url(untouched)).status_code == 404
    assert astrid.get(thread_url(answered)).status_code == 200


def test_an_answer_with_an_attachment_reaches_the_patient_on_each_channel(patient, django_capture_on_commit_callbacks):
    dialogue = start(patient)
    august = staff("august-september")
    upload = SimpleUploadedFile("rontgen.png", PNG, content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = august.post(thread_url(dialogue, "staff_answer"), {"body": "Se vedlegg.", "attachments": [upload]})
    assert response.status_code == 302
    message = InboxMessage.objects.get(thread=dialogue.thread_id, kind=InboxMessage.Kind.ANSWER)
    assert "August" in message.sender
    channels = Notification.objects.filter(recipient_key=f"citizen:{patient.pk}", event=Notification.Event.MESSAGE)
    assert sorted(channels.values_list("channel", flat=True)) == sorted(["sms", "email", "push"])
    attachment = message.attachments.get()
    assert 'href="{}"'.format(reverse("dialogues:staff_attachment", args=[attachment.pk])) in html_of(
        august.get(thread_url(dialogue))
    )
    download = august.get(reverse("dialogues:staff_attachment", args=[attachment.pk]))
    assert download.status_code == 200 and download.content == PNG
    assert download["Content-Disposition"].startswith("attachment") and download["X-Content-Type-Options"] == "nosniff"
    assert (
        staff("legekontor-ansatt").get(reverse("dialogues:staff_attachment", args=[attachment.pk])).status_code == 404
    )


def test_a_prescription_answer_needs_an_outcome_and_a_message(patient):
    chosen = Prescription.objects.filter(citizen=patient).first()
    assert chosen is not None
    dialogue = start(patient, kind=Kind.RESEPTFORNYELSE, subject="Levaxin", prescription_ids=[chosen.pk])
    lars = staff("legekontor-ansatt")
    page = html_of(lars.get(thread_url(dialogue)))
    assert chosen.medication in page and "Resepter delvis fornyet" in page
    url = thread_url(dialogue, "staff_answer")
    assert lars.post(url, {"body": "Fornyet."}).status_code == 200
    assert lars.post(url, {"outcome": "fornyet", "body": ""}).status_code == 200
    assert answers(dialogue) == 0
    assert lars.post(url, {"outcome": "fornyet", "body": "Resepten er fornyet."}).status_code == 302
    dialogue.refresh_from_db()
    assert dialogue.outcome == "fornyet"
    assert InboxMessage.objects.get(thread=dialogue.thread_id, kind=InboxMessage.Kind.ANSWER).note == "Resept fornyet"


def test_converting_an_e_kontakt_journals_it(patient):
    dialogue = start(patient, kind=Kind.E_KONTAKT, subject="Attest")
    lars = staff("legekontor-ansatt")
    assert "Konverter til e-konsultasjon" in html_of(lars.get(thread_url(dialogue)))
    assert lars.post(thread_url(dialogue, "staff_convert")).status_code == 302
    entry = JournalEntry.objects.get(dialogue=dialogue)
    journal = lars.get(reverse("dialogues:staff_journal", args=[patient.pk]))
    assert journal.status_code == 200 and entry.title in html_of(journal)


def test_after_close_the_patient_cannot_reply_and_no_answer_form_is_shown(patient):
    dialogue = start(patient)
    august = staff("august-september")
    assert august.post(thread_url(dialogue, "staff_close")).status_code == 302
    with pytest.raises(DialogueError):
        dialogue_reply(dialogue=dialogue, written_by=patient, body="Hallo?")
    page = html_of(august.get(thread_url(dialogue)))
    assert "Send svar" not in page and "Avsluttet" in page


def test_a_time_request_answered_with_a_time_books_it_and_closes_the_thread(
    patient, django_capture_on_commit_callbacks
):
    service = Service.objects.get(her_id=FASTLEGE_SERVICE_HER_ID)
    request = time_request_send(
        person=patient, booked_by=patient, service=service, timebook=None, subject="Kontroll", suggested_times="Mandag"
    )
    dialogue = Dialogue.objects.get(time_request=request)
    lars = staff("legekontor-ansatt")
    assert "Sett opp pasient på time" in html_of(lars.get(thread_url(dialogue)))
    slot = office_slots(dialogue).first()
    assert slot is not None and slot.timebook.practitioner.her_id == FASTLEGE_HER_ID
    with django_capture_on_commit_callbacks(execute=True):
        response = lars.post(thread_url(dialogue, "staff_book"), {"slot": slot.pk, "body": ""})
    assert response.status_code == 302
    assert Appointment.objects.filter(citizen=patient, slot=slot, status__in=Appointment.ACTIVE).exists()
    dialogue.thread.refresh_from_db()
    assert dialogue.thread.closed_at is not None


@pytest.mark.parametrize("field", ["digital_contact_consent", "active_on_portal"])
def test_a_new_dialogue_is_refused_for_a_patient_who_cannot_be_contacted(patient, field):
    setattr(patient, field, False)
    patient.save()
    before = Dialogue.objects.count()
    response = staff("august-september").post(
        reverse("dialogues:staff_new"),
        {"national_id": patient.national_id, "kind": Kind.E_KONTAKT, "subject": "Svar", "body": "Hei."},
    )
    assert response.status_code == 200
    assert str(texts.NOT_CONTACTABLE) in html_of(response)
    assert Dialogue.objects.count() == before
    shown = staff("august-september").get(reverse("dialogues:staff_new"), {"fodselsnummer": patient.national_id})
    assert str(texts.NOT_CONTACTABLE) in html_of(shown)


def test_a_new_dialogue_reaches_a_patient_on_the_list_and_not_a_stranger(patient):
    august = staff("august-september")
    data = {"national_id": patient.national_id, "kind": Kind.E_KONSULTASJON, "subject": "Prøvesvar", "body": "Fint."}
    assert august.post(reverse("dialogues:staff_new"), data).status_code == 302
    dialogue = Dialogue.objects.get(thread__citizen=patient, thread__subject="Prøvesvar")
    assert dialogue.started_by_staff.username == "august-september" and dialogue.journalled_at is not None
    stranger = Citizen.objects.exclude(gp_office__her_id=GP_OFFICE_HER_ID).exclude(fastlege__her_id=FASTLEGE_HER_ID)
    response = august.post(reverse("dialogues:staff_new"), {**data, "national_id": stranger.first().national_id})
    assert "Fant ingen pasient med dette fødselsnummeret" in html_of(response)


def test_another_organisations_staff_get_404_on_every_page_of_the_dialogue(patient):
    dialogue = start(patient, kind=Kind.E_KONTAKT)
    upload = SimpleUploadedFile("bilde.png", PNG, content_type="image/png")
    staff("legekontor-ansatt").post(thread_url(dialogue, "staff_answer"), {"body": "Se her.", "attachments": [upload]})
    attachment = InboxMessage.objects.get(thread=dialogue.thread_id, kind="answer").attachments.get()
    kari = staff("kommune-ansatt")
    assert "Vondt i halsen" not in html_of(kari.get(reverse("dialogues:staff_inbox")))
    assert kari.get(thread_url(dialogue)).status_code == 404
    for name in ("staff_answer", "staff_close", "staff_convert", "staff_book"):
        assert kari.post(thread_url(dialogue, name), {"body": "x"}).status_code == 404
    assert kari.get(reverse("dialogues:staff_attachment", args=[attachment.pk])).status_code == 404
    assert kari.get(reverse("dialogues:staff_journal", args=[patient.pk])).status_code == 404
    dialogue.thread.refresh_from_db()
    assert dialogue.thread.closed_at is None and dialogue.kind == Kind.E_KONTAKT


def test_the_routing_and_absence_admin_pages_render_and_are_scoped(patient):
    office = Organisation.objects.get(her_id=GP_OFFICE_HER_ID)
    setting = RoutingSettingFactory(organisation=office, kind=Kind.E_KONTAKT, mode=RoutingSetting.Mode.FIXED)
    august, kari = staff("august-september"), staff("kommune-ansatt")
    changelist = august.get(reverse("admin:dialogues_routingsetting_changelist"))
    assert changelist.status_code == 200
    assert "Pasientens behandler" in html_of(changelist) and "Hele klinikken" in html_of(changelist)
    assert august.get(reverse("admin:dialogues_routingsetting_change", args=[setting.pk])).status_code == 200
    absence = august.get(reverse("admin:dialogues_routingabsence_add"))
    assert absence.status_code == 200
    assert 'skrus av, da "fastlegepanelet" ikke vil synes for pasienten lenger' in html_of(
        absence
    ) and "Når du er tilbake" in html_of(absence)
    assert kari.get(reverse("admin:dialogues_routingsetting_change", args=[setting.pk])).status_code == 404
    assert "Innboks (Helsenorge-dialoger)" in html_of(august.get(reverse("admin:index")))


def test_a_fixed_routing_to_a_group_is_saved_and_another_offices_group_is_refused(patient):
    from resourcebooks.models import StaffGroup

    office = Organisation.objects.get(her_id=GP_OFFICE_HER_ID)
    reception = StaffGroup.objects.get(organisation=office, name="Resepsjonen")
    other = StaffGroupFactory(organisation=Organisation.objects.exclude(pk=office.pk).first(), name="Andre")
    form = {
        "organisation": office.pk,
        "kind": Kind.RESEPTFORNYELSE,
        "mode": RoutingSetting.Mode.FIXED,
        "recipients-TOTAL_FORMS": "1",
        "recipients-INITIAL_FORMS": "0",
        "recipients-0-target": "group",
        "recipients-0-group": other.pk,
    }
    august = staff("august-september")
    refused = august.post(reverse("admin:dialogues_routingsetting_add"), form)
    assert refused.status_code == 200 and not RoutingSetting.objects.filter(organisation=office).exists()
    saved = august.post(reverse("admin:dialogues_routingsetting_add"), {**form, "recipients-0-group": reception.pk})
    assert saved.status_code == 302
    setting = RoutingSetting.objects.get(organisation=office, kind=Kind.RESEPTFORNYELSE)
    assert [str(r) for r in setting.recipients.all()] == ["Gruppe: Resepsjonen"]
