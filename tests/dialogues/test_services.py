"""Source 004 «Dialoger» and «Reseptforespørsler», source 001 (the blocked patient): what the dialogue services
let through, what they refuse (with the sentence the user reads) and what they leave behind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from addressregistry.services import service_processes_apply
from audit.models import AuditEvent
from citizens.models import Citizen, Representation
from dialogues import texts
from dialogues.errors import DialogueError
from dialogues.models import Dialogue, DialogueRoute, JournalEntry, Kind
from dialogues.services import (
    dialogue_answer,
    dialogue_close,
    dialogue_convert,
    dialogue_reply,
    dialogue_start_by_staff,
)
from inbox.models import InboxMessage, Thread
from notifications.models import Notification
from tests.factories import (
    PRACTITIONER_PROCESSES,
    CitizenFactory,
    PatientBlockFactory,
    RepresentationFactory,
    ThreadFactory,
)
from tests.world import GpClinic

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
CLOSED = "E-konsultasjonen er nå avsluttet fra behandlerens side. Denne meldingen kan ikke besvares."
BLOCKED = "Legekontoret har ikke gitt deg tilgang til denne tjenesten."


def nothing_stored() -> None:
    assert (Thread.objects.count(), InboxMessage.objects.count(), Dialogue.objects.count()) == (0, 0, 0)
    assert not DialogueRoute.objects.exists() and not JournalEntry.objects.exists()


def refused(c: GpClinic, **fields) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(DialogueError) as caught:
        c.send(**fields)
    nothing_stored()
    return caught.value.message


# --- What the citizen may start ---------------------------------------------------------------------------------


def test_without_consent_to_digital_contact_nothing_is_sent(c):
    Citizen.objects.filter(pk=c.citizen.pk).update(digital_contact_consent=False)
    c.citizen.refresh_from_db()
    message = refused(c, kind=Kind.E_KONTAKT)
    assert message == str(texts.NO_CONSENT_CITIZEN)
    assert message.startswith("Du har ikke gitt samtykke til digital kontakt med legekontoret.")


def test_a_dialogue_switched_off_in_the_address_registry_is_refused_with_the_reason(c):
    service_processes_apply(
        service=c.gp.service, active=(*PRACTITIONER_PROCESSES, "e_kontakt", "reseptfornyelse"), changed_by=None
    )
    assert refused(c, kind=Kind.E_KONSULTASJON) == "E-konsultasjon er ikke aktivert i Adresseregisteret for tjenesten"
    c.send(Kind.E_KONTAKT)  # the others are still offered


def test_a_citizen_without_a_fastlege_is_refused(c):
    Citizen.objects.filter(pk=c.citizen.pk).update(fastlege=None)
    c.citizen.refresh_from_db()
    assert refused(c, kind=Kind.E_KONTAKT) == str(texts.NO_FASTLEGE)


def test_an_e_konsultasjon_is_journalled_once_when_sent(c):
    d = c.send(Kind.E_KONSULTASJON, subject="Utslett")
    assert d.journalled_at is not None
    entry = JournalEntry.objects.get()
    assert (entry.dialogue, entry.citizen, entry.organisation) == (d, c.citizen, c.gp.office)
    assert "Utslett" in entry.title
    assert not Dialogue.objects.get(pk=c.send(Kind.E_KONTAKT).pk).journalled_at
    assert JournalEntry.objects.count() == 1


def test_converting_an_e_kontakt_journals_it_once(c):
    d = c.send(Kind.E_KONTAKT)
    assert dialogue_convert(dialogue=d, user=c.secretary) is True
    assert dialogue_convert(dialogue=d, user=c.secretary) is False
    d.refresh_from_db()
    assert d.kind == Kind.E_KONSULTASJON and d.thread.kind == Kind.E_KONSULTASJON
    assert d.journalled_at is not None and d.converted_at is not None
    assert JournalEntry.objects.filter(dialogue=d).count() == 1


def test_the_database_refuses_an_e_konsultasjon_that_is_not_journalled(c):
    thread = ThreadFactory(citizen=c.citizen, organisation=c.gp.office, kind=Kind.E_KONSULTASJON, subject="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Dialogue.objects.create(thread=thread, journalled_at=None)


# --- Prescriptions -------------------------------------------------------------------------------------------------


def test_a_prescription_request_needs_one_of_the_citizens_own_prescriptions(c):
    assert refused(c, kind=Kind.RESEPTFORNYELSE, prescription_ids=[]) == "Velg hvilke resepter du ønsker fornyet."
    someone_else = c.prescription(CitizenFactory(), medication="Sobril")
    assert refused(c, kind=Kind.RESEPTFORNYELSE, prescription_ids=[someone_else.pk])
    mine = c.prescription(medication="Ventoline")
    assert refused(c, kind=Kind.RESEPTFORNYELSE, prescription_ids=[mine.pk, someone_else.pk])
    d = c.send(Kind.RESEPTFORNYELSE, prescription_ids=[mine.pk])
    assert list(d.prescriptions.all()) == [mine]
    assert "Ventoline" in InboxMessage.objects.get(thread=d.thread).body


def test_answering_a_prescription_request_needs_an_outcome_that_the_patient_sees(c):
    d = c.send(Kind.RESEPTFORNYELSE)
    with pytest.raises(DialogueError) as caught:
        dialogue_answer(dialogue=d, user=c.doctor, body="Sendt til apoteket.")
    assert caught.value.field == "outcome"
    assert not InboxMessage.objects.filter(kind=InboxMessage.Kind.ANSWER).exists()

    message = dialogue_answer(dialogue=d, user=c.doctor, body="Sendt til apoteket.", outcome=Dialogue.Outcome.RENEWED)
    d.refresh_from_db()
    assert d.outcome == Dialogue.Outcome.RENEWED
    assert message.note == "Resept fornyet"
    with pytest.raises(DialogueError):  # an outcome only belongs to a prescription request
        dialogue_answer(dialogue=c.send(Kind.E_KONTAKT), user=c.doctor, body="Ok", outcome=Dialogue.Outcome.RENEWED)


# --- Closed conversations and the blocked patient ---------------------------------------------------------------


def test_the_patient_cannot_answer_a_closed_e_konsultasjon(c):
    d = c.send(Kind.E_KONSULTASJON)
    assert dialogue_close(dialogue=d, user=c.doctor) is True
    assert dialogue_close(dialogue=d, user=c.doctor) is False
    count = InboxMessage.objects.count()
    with pytest.raises(DialogueError) as caught:
        dialogue_reply(dialogue=d, written_by=c.citizen, body="Takk, men en ting til")
    assert caught.value.message == CLOSED
    assert InboxMessage.objects.count() == count


def test_an_answer_can_close_the_conversation(c):
    d = c.send(Kind.E_KONSULTASJON)
    dialogue_answer(dialogue=d, user=c.doctor, body="God bedring.", close=True)
    with pytest.raises(DialogueError, match="E-konsultasjonen er nå avsluttet"):
        dialogue_reply(dialogue=d, written_by=c.citizen, body="Takk")


def test_a_blocked_patients_message_is_kept_answered_automatically_closed_and_not_routed(c):
    PatientBlockFactory(organisation=c.gp.office, national_id=c.citizen.national_id)
    d = c.send(Kind.E_KONTAKT, body="Kan jeg få en attest?")
    kinds = list(InboxMessage.objects.filter(thread=d.thread).order_by("pk").values_list("kind", "body"))
    assert kinds[0] == (InboxMessage.Kind.DIALOGUE, "Kan jeg få en attest?")
    assert kinds[1][0] == InboxMessage.Kind.AUTOMATIC_REPLY and kinds[1][1].startswith(BLOCKED)
    d.thread.refresh_from_db()
    assert d.thread.is_closed
    assert not d.routes.exists()
    with pytest.raises(DialogueError):
        dialogue_reply(dialogue=d, written_by=c.citizen, body="Hallo?")


# --- Who is told: a child's parents, a representative --------------------------------------------------------


def _told(d: Dialogue) -> set[str]:
    return set(
        Notification.objects.filter(dedupe_key__startswith="inbox-message:").values_list("recipient_key", flat=True)
    )


def test_the_answer_to_a_childs_dialogue_is_told_to_the_parents_never_the_child(c):
    today = timezone.localdate()
    child = CitizenFactory(
        first_name="Ola", birth_date=dt.date(today.year - 10, 1, 15), gp_office=c.gp.office, fastlege=c.gp.fastlege
    )
    mother = RepresentationFactory(represented=child, representative__first_name="Mor").representative
    father = RepresentationFactory(represented=child, representative__first_name="Far").representative
    d = c.send(Kind.E_KONTAKT, person=child, written_by=mother)
    assert InboxMessage.objects.get(thread=d.thread).written_by == mother
    dialogue_answer(dialogue=d, user=c.secretary, body="Velkommen innom.")
    assert _told(d) == {f"citizen:{mother.pk}", f"citizen:{father.pk}"}
    texts_sent = list(Notification.objects.values_list("text", flat=True))
    assert all("om Ola" in t for t in texts_sent), texts_sent


def test_a_child_without_a_parent_on_record_is_not_told_either(c):
    today = timezone.localdate()
    child = CitizenFactory(birth_date=dt.date(today.year - 10, 1, 15), gp_office=c.gp.office, fastlege=c.gp.fastlege)
    d = c.send(Kind.E_KONTAKT, person=child)
    dialogue_answer(dialogue=d, user=c.secretary, body="Velkommen innom.")
    assert f"citizen:{child.pk}" not in _told(d)


def test_a_representative_with_power_of_attorney_who_wrote_is_told_as_well(c):
    helper = RepresentationFactory(
        represented=c.citizen, representative__first_name="Hjelper", kind=Representation.Kind.POWER_OF_ATTORNEY
    ).representative
    d = c.send(Kind.E_KONTAKT, written_by=helper)
    dialogue_answer(dialogue=d, user=c.secretary, body="Svar")
    assert _told(d) == {f"citizen:{c.citizen.pk}", f"citizen:{helper.pk}"}


def test_a_representative_who_did_not_write_is_not_told(c):
    RepresentationFactory(represented=c.citizen, kind=Representation.Kind.POWER_OF_ATTORNEY)
    d = c.send(Kind.E_KONTAKT)
    dialogue_answer(dialogue=d, user=c.secretary, body="Svar")
    assert _told(d) == {f"citizen:{c.citizen.pk}"}


def test_a_notification_never_holds_the_subject_or_the_message(c):
    d = c.send(Kind.E_KONSULTASJON, subject="Klamydia", body="Jeg har fått klamydia igjen")
    dialogue_answer(dialogue=d, user=c.doctor, body="Du trenger ny behandling med antibiotika.")
    rows = list(Notification.objects.all())
    assert {n.channel for n in rows} == {"sms", "email", "push"}
    for n in rows:
        for secret in ("Klamydia", "klamydia", "antibiotika", "behandling"):
            assert secret not in n.text and secret not in n.subject, n
        assert n.event == Notification.Event.MESSAGE
    sms = next(n for n in rows if n.channel == "sms")
    office = c.gp.office.name
    assert (
        sms.text
        == f"Thomas, du har fått en ny melding fra {office} på Helsenorge. Logg inn på Helsenorge for å lese den."
    )


# --- The clinic starts a dialogue -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "why"),
    [
        ("active_on_portal", "Pasienten er ikke aktiv i Helsenorge-portalen."),
        ("digital_contact_consent", "Pasienten har ikke samtykket til å bli kontaktet digitalt."),
    ],
)
def test_staff_cannot_start_a_dialogue_with_a_patient_who_cannot_be_contacted(c, field, why):
    Citizen.objects.filter(pk=c.citizen.pk).update(**{field: False})
    c.citizen.refresh_from_db()
    with pytest.raises(DialogueError) as caught:
        dialogue_start_by_staff(
            organisation=c.gp.office,
            user=c.doctor,
            citizen=c.citizen,
            kind=Kind.E_KONTAKT,
            subject="Prøvesvar",
            body="Hei",
        )
    assert caught.value.message.startswith("Pasienten kan ikke kontaktes digitalt.")
    assert why in caught.value.message
    nothing_stored()
    assert not Notification.objects.exists()


def test_staff_start_an_e_konsultasjon_journalled_and_told(c):
    d = dialogue_start_by_staff(
        organisation=c.gp.office,
        user=c.doctor,
        citizen=c.citizen,
        kind=Kind.E_KONSULTASJON,
        subject="Prøvesvar",
        body="Prøvene er fine.",
    )
    assert d.journalled_at is not None and JournalEntry.objects.filter(dialogue=d).count() == 1
    assert _told(d) == {f"citizen:{c.citizen.pk}"}
    assert d.started_by_staff == c.doctor


# --- The audit trail --------------------------------------------------------------------------------------------


def test_every_write_leaves_an_audit_row(c):
    def rows() -> int:
        return AuditEvent.objects.filter(object_type="dialogue").count()

    steps = []
    d = c.send(Kind.E_KONTAKT)
    steps.append(rows())
    dialogue_answer(dialogue=d, user=c.secretary, body="Hva gjelder det?")
    steps.append(rows())
    dialogue_reply(dialogue=d, written_by=c.citizen, body="Det gjelder en attest")
    steps.append(rows())
    dialogue_convert(dialogue=d, user=c.secretary)
    steps.append(rows())
    dialogue_close(dialogue=d, user=c.secretary)
    steps.append(rows())
    dialogue_start_by_staff(
        organisation=c.gp.office, user=c.doctor, citizen=c.citizen, kind=Kind.E_KONTAKT, subject="Hei", body="Hei"
    )
    steps.append(rows())
    assert steps == [1, 2, 3, 4, 5, 6]
    assert set(AuditEvent.objects.filter(object_type="dialogue").values_list("organisation_her_id", flat=True)) == {
        c.gp.office.her_id
    }
