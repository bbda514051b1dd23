"""An attachment's name on disk: the content is checked as a PDF or an image, so it is kept and downloaded under
that type's extension («rapport.html» holding a PDF is «rapport.pdf»), whatever it was called; a name the
browser sent in Latin-1 instead of UTF-8 is kept, readable, rather than the file being dropped."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.uploads import Utf8PartHeaders
from dialogues.attachments import ALLOWED, attachments_check
from dialogues.models import Kind
from inbox.models import Attachment, InboxMessage
from tests.factories import AttachmentFactory
from tests.pages import log_in, text_of
from tests.world import GpClinic

# A PDF's header with a page of HTML after it: a PDF by its content, a web page if opened as .html or .hta.
PDF_HTML = b"%PDF-1.4\n<html><body><script>alert('kjort')</script></body></html>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\0" * 32 + b"\xff\xd9"
NEW = reverse("dialogues:new", args=["kontakt-legekontoret"])


def upload(name: str, data: bytes = PDF_HTML) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def name_of(name: str, data: bytes = PDF_HTML) -> str:
    (checked,) = attachments_check([upload(name, data)])
    return checked.name


# --- The name kept ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("rapport.html", "rapport.pdf"),
        ("faktura.hta", "faktura.pdf"),
        ("oppdatering.exe", "oppdatering.pdf"),
        ("bilde.svg", "bilde.pdf"),
        ("brev", "brev.pdf"),
        ("brev.PDF", "brev.PDF"),
        ("faktura.pdf.hta", "faktura.pdf.pdf"),
        ("rapport.html.", "rapport.pdf"),
        ("rapport\u202efdp.exe", "rapportfdp.pdf"),  # a right-to-left override that would show «exe.pdf»
        ('C:\\Users\\kari\\a<b>:"c"|?*.html', "a_b___c____.pdf"),
        ("CON.html", "_CON.pdf"),
        ("COM¹.pdf", "_COM¹.pdf"),  # red team: Windows' superscript ports, 0, and the console's names got through
        ("lpt³.pdf", "_lpt³.pdf"),
        ("COM0.pdf", "_COM0.pdf"),
        ("LPT0.pdf", "_LPT0.pdf"),
        ("CONIN$.pdf", "_CONIN$.pdf"),
        ("conout$.pdf", "_conout$.pdf"),
        ("NUL .txt", "_NUL.pdf"),
        ("aux .x.html", "_aux .x.pdf"),
        ("COM10.pdf", "COM10.pdf"),
        (".html", "html.pdf"),
        ("...", "vedlegg.pdf"),
    ],
)
def test_a_file_is_kept_under_the_extension_of_what_its_content_is(sent, kept):
    assert name_of(sent) == kept


@pytest.mark.parametrize(
    ("sent", "data", "kept"),
    [
        ("skjermbilde.pdf", PNG, "skjermbilde.png"),
        ("foto.jpeg", JPEG, "foto.jpeg"),
        ("foto.JPG", JPEG, "foto.JPG"),
        ("foto.png", JPEG, "foto.jpg"),
        ("bilde.svg", PNG, "bilde.png"),
    ],
)
def test_an_image_is_kept_as_the_image_it_is(sent, data, kept):
    assert name_of(sent, data) == kept


def test_a_long_name_keeps_its_extension_within_200_characters():
    name = name_of("a" * 300 + ".html")
    assert len(name) == 200 and name.endswith("a.pdf")


# --- Downloads -----------------------------------------------------------------------------------------------------


def downloads(c: GpClinic, file: Attachment) -> list[Any]:
    citizen = log_in(Client(), c.citizen).get(reverse("dialogues:attachment", args=[file.pk]))
    c.secretary.is_staff = True  # the clinic admin's staff login
    c.secretary.save(update_fields=["is_staff"])
    staff = Client()
    staff.force_login(c.secretary)
    return [citizen, staff.get(reverse("dialogues:staff_attachment", args=[file.pk]))]


def assert_downloaded_as(response: Any, disposition: str, content_type: str = "application/pdf") -> None:
    assert response.status_code == 200
    assert response["Content-Disposition"] == disposition
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("sent", ["rapport.html", "faktura.hta", "oppdatering.exe", "bilde.svg"])
def test_a_pdf_sent_under_a_dangerous_name_is_downloaded_as_a_pdf_by_citizen_and_staff(c, sent):
    response = log_in(Client(), c.citizen).post(
        NEW, {"subject": "Vedlegg", "body": "Se vedlegg.", "attachments": [upload(sent)]}
    )
    assert response.status_code == 302, text_of(response)[:600]
    file = Attachment.objects.get()
    safe = sent.rsplit(".", 1)[0] + ".pdf"
    assert file.name == safe
    for download in downloads(c, file):
        assert_downloaded_as(download, f'attachment; filename="{safe}"')
        assert download.content == PDF_HTML


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_file_stored_before_under_a_dangerous_name_is_served_under_the_safe_one(c):
    d = c.send(Kind.E_KONTAKT)
    message = InboxMessage.objects.get(thread=d.thread)
    file = AttachmentFactory(
        message=message, name="faktura.hta", content_type="application/pdf", size=len(PDF_HTML), data=PDF_HTML
    )
    image = AttachmentFactory(message=message, name="bilde.svg", content_type="image/png", size=len(PNG), data=PNG)
    for download in downloads(c, file):
        assert_downloaded_as(download, 'attachment; filename="faktura.pdf"')
    for download in downloads(c, image):
        assert_downloaded_as(download, 'attachment; filename="bilde.png"', "image/png")


# --- A name not in UTF-8 ------------------------------------------------------------------------------------------


def multipart(boundary: bytes, fields: dict[str, str], file_name: bytes, data: bytes) -> bytes:
    """A browser's form post, built by hand so the file's name can be bytes that are not UTF-8."""
    parts = [
        b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (boundary, k.encode(), v.encode())
        for k, v in fields.items()
    ]
    parts.append(
        b'--%s\r\nContent-Disposition: form-data; name="attachments"; filename="%s"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%s\r\n" % (boundary, file_name, data)
    )
    return b"".join(parts) + b"--%s--\r\n" % boundary


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_file_name_in_latin_1_is_kept_readable_with_the_message(c):
    body = multipart(b"grense", {"subject": "Rapport", "body": "Se vedlegg."}, b"r\xe5pport \xd8st.pdf", PDF_HTML)
    client = log_in(Client(), c.citizen)
    response = client.post(NEW, body, content_type="multipart/form-data; boundary=grense")
    assert response.status_code == 302, text_of(response)[:600]
    file = Attachment.objects.get()
    assert (file.name, bytes(file.data)) == ("råpport Øst.pdf", PDF_HTML)
    for download in downloads(c, file):
        assert_downloaded_as(download, "attachment; filename*=utf-8''r%C3%A5pport%20%C3%98st.pdf")


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_file_in_a_body_that_looks_like_a_part_header_is_kept_byte_for_byte(c):
    data = PDF_HTML + b'\r\nContent-Disposition: form-data; name="x"; filename="\xe5.pdf"\r\n\r\n\xff\xfe' * 3
    body = multipart(b"grense", {"subject": "Rapport", "body": "Se vedlegg."}, b"\xe5.pdf", data)
    response = log_in(Client(), c.citizen).post(NEW, body, content_type="multipart/form-data; boundary=grense")
    assert response.status_code == 302, text_of(response)[:600]
    assert [(f.name, bytes(f.data)) for f in Attachment.objects.all()] == [("å.pdf", data)]


class Trickle:
    """A request body read a few bytes at a time, so every boundary and header falls across reads."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step = data, step

    def read(self, size: int = -1, /) -> bytes:
        out, self.data = self.data[: min(self.step, size if size >= 0 else self.step)], self.data[self.step :]
        return out


@pytest.mark.parametrize("step", [1, 3, 7, 64 * 1024])
def test_only_the_part_headers_are_made_utf_8_however_the_body_arrives(step):
    data = b"\xe5\xff\r\n\r\n\xe5" * 50
    body = multipart(b"grense", {"body": "Hei"}, b"\xe5.pdf", data)
    read = Utf8PartHeaders(Trickle(body, step), b"grense")
    out = b"".join(iter(lambda: read.read(5), b""))
    assert out == body.replace(b'filename="\xe5.pdf"', 'filename="å.pdf"'.encode())


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_large_file_with_a_latin_1_name_arrives_whole(c):
    data = PDF_HTML + bytes(range(256)) * 1200  # 300 kB: many reads
    body = multipart(b"grense", {"subject": "Rapport", "body": "Se vedlegg."}, b"bl\xe5b\xe6r.pdf", data)
    response = log_in(Client(), c.citizen).post(NEW, body, content_type="multipart/form-data; boundary=grense")
    assert response.status_code == 302, text_of(response)[:600]
    assert [(f.name, bytes(f.data)) for f in Attachment.objects.all()] == [("blåbær.pdf", data)]


# --- What the file picker offers ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_file_picker_offers_every_type_the_checks_take_and_each_name_they_keep(c):
    """The allowed types were written twice, in the template and in ``dialogues/attachments.py``; now the field's
    ``accept`` comes from the checks' own list, with every extension a file of those types may keep."""
    client = log_in(Client(), c.citizen)
    found = re.search(r'name="attachments" multiple accept="([^"]+)"', client.get(NEW).content.decode())
    assert found is not None
    offered = found.group(1).split(",")
    assert [kind for kind in offered if "/" in kind] == list(ALLOWED)
    kept = {
        name_of(f"fil{ext}", data) for ext, data in ((".jpe", JPEG), (".JPG", JPEG), (".png", PNG), (".pdf", PDF_HTML))
    }
    assert {name.rpartition(".")[2].lower() for name in kept} <= {ext.lstrip(".") for ext in offered if "/" not in ext}
    assert {".heic", ".heif", ".jpe"} <= set(offered)
