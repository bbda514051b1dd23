"""Attachments to a dialogue (source 004: «Filene kan totalt ikke overskride 12 MB»): images and PDF, their type
told by their content, not their name, and kept under that type's extension; nothing is kept of a message that is
refused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import filetype  # type: ignore[import-untyped]
from django.utils.translation import gettext as _

from core.filenames import EXTENSIONS, NAME_MAX, safe_file_name
from core.limits import ATTACHMENTS_MAX_BYTES, ATTACHMENTS_MAX_FILES

from .errors import DialogueError

ALLOWED = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/heic": "HEIC",
}


def accept_attribute() -> str:
    """The file input's ``accept``: each allowed type, then each of their extensions."""
    extensions = [ext for mime in ALLOWED for ext in EXTENSIONS[mime]]
    return ",".join([*ALLOWED, *extensions])


class Upload(Protocol):
    """What the checks read of an uploaded file (Django's ``UploadedFile`` among others)."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def read(self, size: int = ...) -> bytes: ...


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def _clean_name(raw: str | None) -> str:
    """The name as the citizen knows it, for a message about the file (never for the file kept)."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[-NAME_MAX:] or "vedlegg"


def attachments_check(uploads: Sequence[Upload]) -> list[CheckedFile]:
    """The files as they will be kept, or ``DialogueError`` naming the file and what is wrong with it. Reads at
    most 12 MB and one byte in all, so a huge upload is refused without being held in memory."""
    if len(uploads) > ATTACHMENTS_MAX_FILES:
        raise DialogueError(_("Du kan legge ved maks %(n)d filer.") % {"n": ATTACHMENTS_MAX_FILES}, field="attachments")
    checked: list[CheckedFile] = []
    total = 0
    for upload in uploads:
        name = _clean_name(upload.name)
        if (upload.size or 0) + total > ATTACHMENTS_MAX_BYTES:
            raise _too_big()
        data = upload.read(ATTACHMENTS_MAX_BYTES - total + 1)
        total += len(data)
        if total > ATTACHMENTS_MAX_BYTES:
            raise _too_big()
        if not data:
            raise DialogueError(_("Filen «%(name)s» er tom. Velg en annen fil.") % {"name": name}, field="attachments")
        kind = filetype.guess(data)
        mime = kind.mime if kind is not None else ""
        if mime not in ALLOWED:
            raise DialogueError(
                _(
                    "Filen «%(name)s» kan ikke sendes. Du kan bare legge ved bilder (JPEG, PNG, GIF, HEIC) og "
                    "PDF-dokumenter."
                )
                % {"name": name},
                field="attachments",
            )
        checked.append(CheckedFile(name=safe_file_name(upload.name, mime), content_type=mime, data=data))
    return checked


def _too_big() -> DialogueError:
    return DialogueError(_("Vedleggene kan til sammen ikke være større enn 12 MB."), field="attachments")
