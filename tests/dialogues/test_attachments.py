"""Source 004: «Du kan legge ved bilder og PDF-dokumenter. Filene kan totalt ikke overskride 12 MB.» The type
is told by the content, not the name; a message with a file that is refused is not sent at all."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from core.limits import ATTACHMENTS_MAX_BYTES
from dialogues.attachments import attachments_check
from dialogues.errors import DialogueError
from dialogues.models import Dialogue, Kind
from dialogues.services import dialogue_answer
from inbox.models import Attachment, InboxMessage, Thread

MB = 1024 * 1024
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\0" * 32 + b"\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\0" * 48 + b"PE\0\0"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")  # the browser's word is ignored


def pdf_of(size: int, name: str = "brev.pdf") -> SimpleUploadedFile:
    return upload(name, PDF + b"\0" * (size - len(PDF)))


def message_of(check) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(DialogueError) as caught:
        check()
    assert caught.value.field == "attachments"
    return caught.value.message


# --- The check alone ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "mime"),
    [("brev.pdf", PDF, "application/pdf"), ("bilde.png", PNG, "image/png"), ("foto.jpg", JPEG, "image/jpeg")],
)
def test_pdf_png_and_jpeg_are_accepted_by_their_content(name, data, mime):
    (checked,) = attachments_check([upload(name, data)])
    assert (checked.name, checked.content_type, checked.size, checked.data) == (name, mime, len(data), data)


def test_a_png_named_pdf_is_kept_as_what_it_is():
    (checked,) = attachments_check([upload("skjermbilde.pdf", PNG)])
    assert checked.content_type == "image/png"


def test_a_program_renamed_to_a_pdf_is_refused():
    message = message_of(lambda: attachments_check([upload("resept.pdf", EXE)]))
    assert "«resept.pdf» kan ikke sendes" in message


def test_an_empty_file_is_refused():
    assert "«tom.pdf» er tom" in message_of(lambda: attachments_check([upload("tom.pdf", b"")]))


def test_files_over_12_mb_together_are_refused():
    message = message_of(lambda: attachments_check([pdf_of(6 * MB, "a.pdf"), pdf_of(6 * MB + 1, "b.pdf")]))
    assert "12 MB" in message


def test_one_file_over_12_mb_is_refused_even_when_its_size_is_not_told():
    big = pdf_of(ATTACHMENTS_MAX_BYTES + 1)
    big.size = None  # a client that does not say how big it is: the read itself stops at the limit
    assert "12 MB" in message_of(lambda: attachments_check([big]))


def test_exactly_12_mb_together_is_accepted():
    files = attachments_check([pdf_of(4 * MB, "a.pdf"), pdf_of(8 * MB, "b.pdf")])
    assert sum(f.size for f in files) == ATTACHMENTS_MAX_BYTES == 12 * MB


# --- Through the services: all or nothing -------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "files",
    [
        [upload("resept.pdf", EXE)],
        [upload("bilde.png", PNG), upload("tom.pdf", b"")],
        [pdf_of(6 * MB, "a.pdf"), pdf_of(6 * MB + 1, "b.pdf")],
    ],
    ids=["program", "empty", "too-big"],
)
def test_a_refused_file_stores_nothing_of_the_message(c, files):
    with pytest.raises(DialogueError):
        c.send(Kind.E_KONTAKT, uploads=files)
    assert (Thread.objects.count(), InboxMessage.objects.count(), Attachment.objects.count()) == (0, 0, 0)
    assert not Dialogue.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_refused_file_in_the_clinics_answer_stores_no_answer(c):
    d = c.send(Kind.E_KONTAKT)
    with pytest.raises(DialogueError):
        dialogue_answer(dialogue=d, user=c.secretary, body="Se vedlegg", uploads=[upload("svar.pdf", EXE)])
    assert list(InboxMessage.objects.values_list("kind", flat=True)) == [InboxMessage.Kind.DIALOGUE]
    assert not Attachment.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_accepted_files_are_kept_with_the_message(c):
    d = c.send(
        Kind.E_KONTAKT, uploads=[upload("brev.pdf", PDF), upload("bilde.png", PNG), pdf_of(12 * MB - 200, "c.pdf")]
    )
    kept = list(Attachment.objects.filter(message__thread=d.thread).order_by("pk").values_list("name", "content_type"))
    assert kept == [("brev.pdf", "application/pdf"), ("bilde.png", "image/png"), ("c.pdf", "application/pdf")]
    assert bytes(Attachment.objects.get(name="bilde.png").data) == PNG


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("size", [0, ATTACHMENTS_MAX_BYTES + 1])
def test_the_database_refuses_an_attachment_of_no_size_or_over_12_mb(c, size):
    d = c.send(Kind.E_KONTAKT)
    message = InboxMessage.objects.get(thread=d.thread)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.create(message=message, name="x.pdf", content_type="application/pdf", size=size, data=b"x")
