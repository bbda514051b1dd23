"""A file's name for keeping and downloading: its stem cleaned, and the extension of what its content was checked
to be, so a PDF named «rapport.html» is «rapport.pdf» and opens as a PDF from the citizen's disk (issue 20)."""

from __future__ import annotations

import re
import unicodedata

NAME_MAX = 200
FALLBACK_STEM = "vedlegg"

# The extensions a type may keep as the citizen wrote them (any case); the first is the one given otherwise.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe"),
    "image/png": (".png",),
    "image/gif": (".gif",),
    "image/heic": (".heic", ".heif"),
}
UNKNOWN_EXTENSION = ".bin"

_FORBIDDEN = re.compile(r'[<>:"|?*]')  # not allowed in a Windows file name; / and \ are path separators
# Windows' device names, which a file of that name (any extension, trailing spaces ignored) would open instead:
# COM and LPT with 0–9 and the superscripts ¹ ² ³, and the console's own two.
_PORT_DIGITS = "0123456789¹²³"
_DEVICES = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    "CONIN$",
    "CONOUT$",
    *(f"{port}{d}" for port in ("COM", "LPT") for d in _PORT_DIGITS),
}


def safe_file_name(raw: str | None, content_type: str) -> str:
    """``raw``'s last path part without control or direction characters, with the extension of
    ``content_type``: kept if it is already one of that type's, else replacing the last one (or added)."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _FORBIDDEN.sub("_", "".join(ch for ch in name if ch.isprintable()))
    name = name.strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    allowed = EXTENSIONS.get(content_type, (UNKNOWN_EXTENSION,))
    extension = f".{ext}" if f".{ext}".lower() in allowed else allowed[0]
    stem = stem.strip(" .")
    if stem.split(".", 1)[0].rstrip(" ").upper() in _DEVICES:
        stem = f"_{stem}"
    stem = stem[: NAME_MAX - len(extension)].rstrip(" .") or FALLBACK_STEM
    return stem + extension
