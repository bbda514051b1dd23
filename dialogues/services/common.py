"""What every dialogue write shares: the texts' limits, a message with its files, the audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

import audit
from citizens.models import Citizen
from core.text import has_control_characters, one_line
from inbox.models import Attachment, InboxMessage, Thread
from inbox.services import message_write

from ..attachments import CheckedFile
from ..errors import DialogueError
from ..models import Dialogue


def subject_clean(subject: str, limit: int) -> str:
    if has_control_characters(subject):
        raise DialogueError(_("Teksten inneholder tegn som ikke kan brukes."), field="subject")
    subject = one_line(subject)
    if not subject:
        raise DialogueError(_("Du må skrive et emne"), field="subject")
    if len(subject) > limit:
        raise DialogueError(_("Emnet kan ha maks %(max)d tegn.") % {"max": limit}, field="subject")
    return subject


def body_clean(body: str, limit: int) -> str:
    text = body.replace("\r\n", "\n").strip()
    if has_control_characters(text.replace("\n", " ").replace("\t", " ")):
        raise DialogueError(_("Teksten inneholder tegn som ikke kan brukes."), field="body")
    if not text:
        raise DialogueError(_("Du må skrive en melding"), field="body")
    if len(text) > limit:
        raise DialogueError(_("Meldingen kan ha maks %(max)d tegn.") % {"max": limit}, field="body")
    return text


def message_with_files(
    *,
    thread: Thread,
    kind: str,
    sender: str,
    body: str,
    files: Sequence[CheckedFile],
    sent_at: dt.datetime,
    written_by: Citizen | None = None,
    staff_user_id: int | None = None,
    note: str = "",
) -> InboxMessage:
    message = message_write(
        citizen=thread.citizen,
        kind=kind,
        sender=sender,
        subject=thread.subject,
        body=body,
        can_reply=False,
        sent_at=sent_at,
        read=written_by is not None,
        thread=thread,
        written_by=written_by,
        staff_user_id=staff_user_id,
        note=note,
    )
    Attachment.objects.bulk_create(
        Attachment(message=message, name=f.name, content_type=f.content_type, size=f.size, data=f.data) for f in files
    )
    return message


def dialogue_record(dialogue: Dialogue, action: str, summary: str) -> None:
    audit.record(
        action,
        "dialogue",
        dialogue.pk,
        organisation_her_id=dialogue.organisation.her_id,
        summary=f"{dialogue.get_kind_display()}: {summary}",
    )
