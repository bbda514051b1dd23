"""What the citizen sends (source 004, «Motta dialog» from the patient's side): «Kontakt legekontoret»,
«Start e-konsultasjon», «Forny resept», and answers in an open conversation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from addressregistry.models import Organisation
from booking import texts as booking_texts
from citizens.models import Citizen
from citizens.selectors import is_blocked
from core.limits import DIALOGUE_BODY_MAX, DIALOGUE_SUBJECT_MAX, HIDDEN_AGE_RANGE
from core.locking import lock_rows
from inbox.models import InboxMessage, Thread

from .. import texts
from ..attachments import Upload, attachments_check
from ..errors import DialogueError
from ..models import Dialogue, JournalEntry, Kind, Prescription
from ..routing import routes_write
from ..selectors import fastlege_panel
from .common import body_clean, dialogue_record, message_with_files, subject_clean

# The same message from the same person within this many seconds is a double submit, not a new dialogue.
DUPLICATE_SECONDS = 30


def _prescriptions(person: Citizen, kind: str, prescription_ids: Sequence[int]) -> list[Prescription]:
    if kind != Kind.RESEPTFORNYELSE:
        return []
    chosen = list(Prescription.objects.filter(citizen=person, pk__in=list(prescription_ids)))
    if not chosen or len(chosen) != len(set(prescription_ids)):
        raise DialogueError(_("Velg hvilke resepter du ønsker fornyet."), field="prescriptions")
    return chosen


def dialogue_start(
    *,
    person: Citizen,
    written_by: Citizen,
    kind: str,
    subject: str,
    body: str,
    uploads: Sequence[Upload] = (),
    prescription_ids: Sequence[int] = (),
) -> Dialogue:
    """Send a new dialogue to the person's GP office, when «Din fastlege» offers it. A blocked patient's message
    is sent and answered automatically (source 001); the conversation is then closed."""
    panel = fastlege_panel(person)
    if kind not in texts.ACTION or panel.office is None:
        raise DialogueError(str(texts.NO_FASTLEGE))
    if reason := panel.reason(kind):
        raise DialogueError(reason)
    subject = subject_clean(subject, DIALOGUE_SUBJECT_MAX)
    chosen = _prescriptions(person, kind, prescription_ids)
    text = _prescription_body(chosen, body_clean(body, DIALOGUE_BODY_MAX))
    files = attachments_check(uploads)
    office = panel.office
    blocked = is_blocked(person, office.pk)
    now = timezone.now()
    with transaction.atomic():
        # One send at a time per person: the same message sent twice (a double click) is the one dialogue.
        lock_rows(Citizen.objects.filter(pk=person.pk))
        if (again := _just_sent(person, written_by, kind, subject, text, now)) is not None:
            return again
        thread = _thread_new(person, written_by, office, kind, subject, now)
        message_with_files(
            thread=thread,
            kind=InboxMessage.Kind.DIALOGUE,
            sender=written_by.full_name,
            body=text,
            files=files,
            sent_at=now,
            written_by=written_by,
        )
        dialogue = Dialogue.objects.create(
            thread=thread,
            fastlege=panel.fastlege,
            journalled_at=now if kind == Kind.E_KONSULTASJON else None,
            created_at=now,
            patient_wrote_at=now,
        )
        dialogue.prescriptions.set(chosen)
        if kind == Kind.E_KONSULTASJON:
            journal_write(dialogue, now)
        if blocked:
            _blocked_reply(dialogue, now)
        else:
            routes_write(dialogue, timezone.localdate())
        dialogue_record(dialogue, "create", "sendt fra helsenorge.no")  # never the subject: support reads this
    return dialogue


def _thread_new(
    person: Citizen, written_by: Citizen, office: Organisation, kind: str, subject: str, now: dt.datetime
) -> Thread:
    """The conversation, hidden from the parents when it is a 12–16-year-old's own (``own_and_hidden``)."""
    hidden = own_and_hidden(person, written_by, timezone.localdate())
    return Thread.objects.create(
        citizen=person,
        organisation=office,
        kind=kind,
        subject=subject,
        created_at=now,
        last_message_at=now,
        hidden=hidden,
    )


def own_and_hidden(person: Citizen, written_by: Citizen, day: dt.date) -> bool:
    """A dialogue a 12–16-year-old sends themself is theirs alone: the parents acting for them do not see it, as
    they do not see a «Skjult time» (source 004: parents have access to what concerns a child under 16, except what
    is hidden). What a parent sends for the child, or the office begins, the parents see."""
    low, high = HIDDEN_AGE_RANGE
    return written_by.pk == person.pk and low <= person.age_on(day) <= high


def _just_sent(
    person: Citizen, written_by: Citizen, kind: str, subject: str, text: str, now: dt.datetime
) -> Dialogue | None:
    return (
        Dialogue.objects.filter(
            thread__citizen=person,
            thread__kind=kind,
            thread__subject=subject,
            created_at__gte=now - dt.timedelta(seconds=DUPLICATE_SECONDS),
            thread__messages__written_by=written_by,
            thread__messages__body=text,
        )
        .select_related("thread__citizen", "thread__organisation")
        .first()
    )


def _prescription_body(chosen: list[Prescription], body: str) -> str:
    """The text as stored: a prescription request lists what is asked for, in Norwegian like every Innboks
    text whatever the page's language; any other message as written."""
    if not chosen:
        return body
    lines = "\n".join(f"- {p.medication} {p.strength}".rstrip() for p in chosen)
    return f"Resepter jeg ønsker fornyet:\n{lines}\n\n{body}"


def _blocked_reply(dialogue: Dialogue, now) -> None:  # type: ignore[no-untyped-def]
    message_with_files(
        thread=dialogue.thread,
        kind=InboxMessage.Kind.AUTOMATIC_REPLY,
        sender=booking_texts.reply_sender(dialogue.organisation, dialogue.fastlege),
        body=booking_texts.BLOCKED_REPLY,
        files=(),
        sent_at=now,
    )
    Thread.objects.filter(pk=dialogue.thread_id).update(closed_at=now)


def journal_write(dialogue: Dialogue, now) -> JournalEntry:  # type: ignore[no-untyped-def]
    """The journal note of a dialogue, once (a unique key: a second call changes nothing)."""
    with translation.override("nb"):
        title = f"{Kind.E_KONSULTASJON.label} (helsenorge.no): {dialogue.thread.subject}"
    entry, _created = JournalEntry.objects.get_or_create(
        dialogue=dialogue,
        defaults={
            "citizen_id": dialogue.citizen_id,
            "organisation_id": dialogue.organisation_id,
            "written_at": now,
            "title": title,
        },
    )
    return entry


def dialogue_reply(
    *, dialogue: Dialogue, written_by: Citizen, body: str, uploads: Sequence[Upload] = ()
) -> InboxMessage:
    """The citizen answers in a conversation the clinic keeps open."""
    body = body_clean(body, DIALOGUE_BODY_MAX)
    files = attachments_check(uploads)
    now = timezone.now()
    with transaction.atomic():
        lock_rows(Dialogue.objects.filter(pk=dialogue.pk))
        thread = Thread.objects.get(pk=dialogue.thread_id)
        if thread.is_closed:
            raise DialogueError(texts.closed_text(dialogue.kind))
        message = message_with_files(
            thread=thread,
            kind=InboxMessage.Kind.DIALOGUE,
            sender=written_by.full_name,
            body=body,
            files=files,
            sent_at=now,
            written_by=written_by,
        )
        Dialogue.objects.filter(pk=dialogue.pk).update(patient_wrote_at=now)
        if is_blocked(dialogue.citizen, dialogue.organisation_id):
            _blocked_reply(dialogue, now)
        dialogue_record(dialogue, "update", "svar fra pasienten")
    return message
