"""What the clinic does with a dialogue (source 004): answer, close, convert an e-kontakt into an
e-konsultasjon or a prescription request's answer into either, answer a prescription request with one of the
four outcomes, and start a dialogue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from addressregistry.models import Organisation
from booking.models import TimeRequest
from citizens.models import Citizen
from core.limits import DIALOGUE_ANSWER_MAX, DIALOGUE_SUBJECT_MAX
from core.locking import lock_rows
from core.national_id import parse_national_id
from inbox.models import InboxMessage, Thread
from resourcebooks.models import StaffMembership

from .. import texts
from ..attachments import Upload, attachments_check
from ..errors import DialogueError
from ..models import Dialogue, Kind, StaffRead
from ..notify import dialogue_notify
from ..routing import routes_write
from .citizen import journal_write
from .common import body_clean, dialogue_record, message_with_files, subject_clean

NOT_ON_LIST = _lazy("Fant ingen pasient med dette fødselsnummeret på legekontorets liste.")


def staff_sender(user, organisation_id: int) -> str:  # type: ignore[no-untyped-def]
    """The name the patient sees on the clinic's answer: a practitioner by name and role («August September
    (fastlege)»; a vikar's own name, source 004), anyone else by name and position. Stored, in Norwegian."""
    with translation.override("nb"):
        return _staff_sender(user, organisation_id)


def _staff_sender(user, organisation_id: int) -> str:  # type: ignore[no-untyped-def]
    membership = (
        StaffMembership.objects.filter(user_id=user.pk, organisation_id=organisation_id)
        .select_related("practitioner", "organisation")
        .first()
    )
    name = user.get_full_name() or user.get_username()
    if membership is None:
        return name
    if membership.practitioner is not None:
        p = membership.practitioner
        return f"{p.full_name} ({p.get_role_display()})"
    if membership.role:
        return f"{name} ({StaffMembership.Role(membership.role).label.lower()})"
    return f"{name} ({membership.organisation.name})"


def dialogue_mark_read(*, dialogue: Dialogue, user) -> None:  # type: ignore[no-untyped-def]
    StaffRead.objects.update_or_create(dialogue=dialogue, user_id=user.pk, defaults={"read_at": timezone.now()})


def _locked_open(dialogue: Dialogue) -> tuple[Dialogue, Thread]:
    locked = lock_rows(Dialogue.objects.filter(pk=dialogue.pk))[0]
    # Its kind can change only in ``dialogue_convert``, which holds the dialogue's lock, as every writer does.
    locked.thread = thread = Thread.objects.select_related("citizen", "organisation").get(pk=locked.thread_id)
    if thread.is_closed:
        raise DialogueError(_("Dialogen er avsluttet og kan ikke besvares."))
    return locked, thread


def dialogue_answer(
    *,
    dialogue: Dialogue,
    user,  # type: ignore[no-untyped-def]
    body: str,
    uploads: Sequence[Upload] = (),
    outcome: str = "",
    close: bool = False,
) -> InboxMessage:
    """The clinic's answer, told to the patient through their channels. A prescription request is answered
    with one of the four outcomes and a required message (source 004 «Reseptforespørsler»)."""
    body = body_clean(body, DIALOGUE_ANSWER_MAX)
    if dialogue.kind == Kind.RESEPTFORNYELSE and not dialogue.outcome and outcome not in Dialogue.Outcome.values:
        raise DialogueError(_("Velg et svar på reseptforespørselen."), field="outcome")
    if outcome and (dialogue.kind != Kind.RESEPTFORNYELSE or outcome not in Dialogue.Outcome.values):
        raise DialogueError(_("Ugyldig svar på reseptforespørselen."), field="outcome")
    files = attachments_check(uploads)
    now = timezone.now()
    with transaction.atomic():
        locked, thread = _locked_open(dialogue)
        with translation.override("nb"):  # stored, like every Innboks text, in Norwegian
            note = str(Dialogue.Outcome(outcome).label) if outcome else ""
        message = message_with_files(
            thread=thread,
            kind=InboxMessage.Kind.ANSWER,
            sender=staff_sender(user, locked.organisation_id),
            body=body,
            files=files,
            sent_at=now,
            staff_user_id=user.pk,
            note=note,
        )
        if outcome:
            Dialogue.objects.filter(pk=locked.pk).update(outcome=outcome)
        if close:
            Thread.objects.filter(pk=thread.pk, closed_at__isnull=True).update(closed_at=now)
        if locked.time_request_id:
            TimeRequest.objects.filter(pk=locked.time_request_id).update(status=TimeRequest.Status.HANDLED)
        dialogue_mark_read(dialogue=locked, user=user)
        dialogue_notify(locked, message)
        dialogue_record(locked, "update", f"svar{' (' + note + ')' if note else ''}{', avsluttet' if close else ''}")
    return message


def dialogue_close(*, dialogue: Dialogue, user) -> bool:  # type: ignore[no-untyped-def]
    """Close the conversation: the patient can no longer answer. Closing twice changes nothing."""
    with transaction.atomic():
        lock_rows(Dialogue.objects.filter(pk=dialogue.pk))  # after an answer or a reply under way, not between
        closed = Thread.objects.filter(pk=dialogue.thread_id, closed_at__isnull=True).update(closed_at=timezone.now())
        if closed:
            dialogue_record(dialogue, "update", "avsluttet")
    return bool(closed)


# What a conversation may be turned into (source 004): an e-kontakt with clinical content into an e-konsultasjon;
# the answer to a prescription request into an e-kontakt or an e-konsultasjon («ved å klikke på de tre prikkene»).
CONVERSIONS: dict[str, frozenset[str]] = {
    Kind.E_KONTAKT: frozenset({Kind.E_KONSULTASJON}),
    Kind.RESEPTFORNYELSE: frozenset({Kind.E_KONTAKT, Kind.E_KONSULTASJON}),
}


def dialogue_convert(*, dialogue: Dialogue, user, to: str = Kind.E_KONSULTASJON) -> bool:  # type: ignore[no-untyped-def]
    """Turn the conversation into ``to`` (``CONVERSIONS``); an e-konsultasjon is journalled. Routed anew as its
    new kind; whoever had it keeps it. A prescription request is converted once answered (its answer is what
    becomes the e-kontakt or e-konsultasjon); its outcome stays on the answer the patient got, and in the audit
    row, since only a prescription request has one. Locks the dialogue. A closed conversation is not converted
    (the patient's thread would change kind, and cost, after the fact); a conversion not offered changes nothing."""
    now = timezone.now()
    with transaction.atomic():
        locked, thread = _locked_open(dialogue)
        was = thread.kind
        if to not in CONVERSIONS.get(was, frozenset()):
            return False
        if was == Kind.RESEPTFORNYELSE and not locked.outcome:
            raise DialogueError(
                _("Svar på reseptforespørselen før du gjør svaret om til e-kontakt eller e-konsultasjon.")
            )
        changes: dict[str, object] = {"converted_at": now, "outcome": ""}
        if to == Kind.E_KONSULTASJON:
            changes["journalled_at"] = now  # first: the database refuses an e-konsultasjon that is not journalled
        Dialogue.objects.filter(pk=dialogue.pk).update(**changes)
        Thread.objects.filter(pk=thread.pk).update(kind=to)
        converted = Dialogue.objects.select_related("thread__citizen", "thread__organisation").get(pk=dialogue.pk)
        if to == Kind.E_KONSULTASJON:
            journal_write(converted, now)
        routes_write(converted, timezone.localdate())
        dialogue_record(converted, "update", _conversion_note(was, to, locked.outcome))
    return True


def _conversion_note(was: str, to: str, outcome: str) -> str:
    with translation.override("nb"):
        if was == Kind.E_KONTAKT:
            return "konvertert fra e-kontakt"
        answer = Dialogue.Outcome(outcome).label
        return f"konvertert fra reseptfornyelse (svar: {answer}) til {Kind(to).label.lower()}"


def contact_check(citizen: Citizen, today: dt.date | None = None) -> list[str]:
    """Why the clinic may not start a dialogue with the patient (source 004), empty if it may."""
    why: list[str] = []
    try:
        parse_national_id(citizen.national_id, today=today)
    except ValidationError:
        why.append(str(texts.NOT_CONTACTABLE_WHY["national_id"]))
    if not citizen.active_on_portal:
        why.append(str(texts.NOT_CONTACTABLE_WHY["inactive"]))
    if not citizen.digital_contact_consent:
        why.append(str(texts.NOT_CONTACTABLE_WHY["consent"]))
    return why


def dialogue_start_by_staff(
    *,
    organisation: Organisation,
    user,  # type: ignore[no-untyped-def]
    citizen: Citizen,
    kind: str,
    subject: str,
    body: str,
    uploads: Sequence[Upload] = (),
) -> Dialogue:
    """«e-Kontakt» or «eKonsultasjon - helsenorge.no» to a patient of the office, only when the patient can be
    contacted; otherwise nothing is sent and staff are told why."""
    if kind not in (Kind.E_KONTAKT, Kind.E_KONSULTASJON):
        raise DialogueError(_("Velg e-kontakt eller e-konsultasjon."), field="kind")
    fastlege = citizen.fastlege
    if citizen.gp_office_id != organisation.pk and (fastlege is None or fastlege.organisation_id != organisation.pk):
        raise DialogueError(NOT_ON_LIST, field="national_id")
    if why := contact_check(citizen):
        raise DialogueError(" ".join([str(texts.NOT_CONTACTABLE), *why]))
    subject = subject_clean(subject, DIALOGUE_SUBJECT_MAX)
    body = body_clean(body, DIALOGUE_ANSWER_MAX)
    files = attachments_check(uploads)
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            citizen=citizen, organisation=organisation, kind=kind, subject=subject, created_at=now, last_message_at=now
        )
        message = message_with_files(
            thread=thread,
            kind=InboxMessage.Kind.ANSWER,
            sender=staff_sender(user, organisation.pk),
            body=body,
            files=files,
            sent_at=now,
            staff_user_id=user.pk,
        )
        dialogue = Dialogue.objects.create(
            thread=thread,
            fastlege=citizen.fastlege
            if citizen.fastlege and citizen.fastlege.organisation_id == organisation.pk
            else None,
            started_by_staff_id=user.pk,
            journalled_at=now if kind == Kind.E_KONSULTASJON else None,
            created_at=now,
            patient_wrote_at=now,
        )
        if kind == Kind.E_KONSULTASJON:
            journal_write(dialogue, now)
        routes_write(dialogue, timezone.localdate())
        dialogue_mark_read(dialogue=dialogue, user=user)
        dialogue_notify(dialogue, message)
        dialogue_record(dialogue, "create", "startet av legekontoret")  # never the subject: support reads this
    return dialogue
