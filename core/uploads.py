"""File names that are not UTF-8 (issue 20). A browser or program that sends a form's file name in Latin-1 or
Windows-1252 («r\\xe5pport.pdf») makes Django's multipart parser drop that part's Content-Disposition line, and
with it the whole file, while the rest of the form is sent. This upload handler, first in
``FILE_UPLOAD_HANDLERS``, turns such header lines into UTF-8 before Django's parser reads them (read as
Windows-1252, which covers Latin-1's letters), so the file arrives under its readable name. The files' bytes are
never touched: only the lines between a part's boundary and the blank line that ends its headers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any, Protocol, cast

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import QueryDict
from django.http.multipartparser import MultiPartParser
from django.utils.datastructures import MultiValueDict

READ_SIZE = 64 * 1024
HEADERS_MAX = 64 * 1024  # a part's headers longer than this are left as they are (Django refuses them anyway)
END_OF_HEADERS = b"\r\n\r\n"


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


class Utf8PartHeadersHandler(FileUploadHandler):
    """Parses the body itself, through ``Utf8PartHeaders``, with the handlers after it; keeps no file of its own."""

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],
        content_length: int,
        boundary: str | bytes,  # bytes, as Django passes it (its stubs say str)
        encoding: str | None = None,
    ) -> tuple[QueryDict, MultiValueDict[str, UploadedFile[Any]]]:
        handlers = [h for h in self.request.upload_handlers if h is not self] if self.request else []
        separator = boundary.encode("ascii") if isinstance(boundary, str) else boundary
        stream = Utf8PartHeaders(input_data, separator)
        # The parser only ever calls read(); the stubs ask for a whole file object.
        return MultiPartParser(META, cast(Any, stream), handlers, encoding).parse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class Utf8PartHeaders:
    """``raw`` as a readable stream, with each part's header lines that are not UTF-8 re-encoded to UTF-8."""

    def __init__(self, raw: Readable, boundary: bytes) -> None:
        self._chunks = _with_utf8_headers(raw, b"--" + boundary)
        self._buffer = b""

    def read(self, size: int | None = -1, /) -> bytes:
        size = -1 if size is None else size
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        size = len(self._buffer) if size < 0 else size
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


def _with_utf8_headers(raw: Readable, separator: bytes) -> Iterator[bytes]:
    """The body in pieces: what lies between parts passes as read; a part's headers (after a separator, up to
    the blank line) are re-encoded. The last ``len(separator) - 1`` bytes are held back until more is read, so a
    separator split between two reads is still found."""
    buffer, in_headers, ended = b"", False, False
    while True:
        if in_headers:
            end = buffer.find(END_OF_HEADERS)
            if end >= 0:
                yield _utf8_lines(buffer[:end])
                buffer, in_headers = buffer[end:], False
                continue
            if ended or len(buffer) > HEADERS_MAX:
                in_headers = False  # the closing «--» and what follows it, or not headers at all
                continue
        else:
            at = buffer.find(separator)
            if at >= 0:
                cut = at + len(separator)
                yield buffer[:cut]
                buffer, in_headers = buffer[cut:], True
                continue
            if ended:
                yield buffer
                return
            held = len(separator) - 1
            if len(buffer) > held:
                yield buffer[: len(buffer) - held]
                buffer = buffer[len(buffer) - held :]
        chunk = raw.read(READ_SIZE)
        ended = not chunk
        buffer += chunk


def _utf8_lines(block: bytes) -> bytes:
    try:
        block.decode("utf-8")
    except UnicodeDecodeError:
        return b"\r\n".join(_utf8(line) for line in block.split(b"\r\n"))
    return block


def _utf8(line: bytes) -> bytes:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = line.decode("cp1252")
        except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined: Latin-1 reads every byte
            text = line.decode("latin-1")
        return text.encode("utf-8")
    return line
