"""Steps and files shared by the browser tests of «Din fastlege»'s dialogues (issue 14, source 004): small real
attachments written to disk for the file input, the staff login, and the pages' fixed Norwegian texts (written
out here, independently of ``dialogues.texts``, so the tests check the app's words)."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

SHOTS = Path("/tmp/shots")

# Demo staff (seed_demo, dialogues/demo.py).
AUGUST = ("august-september", "fastlege-demo")
LARS = ("legekontor-ansatt", "legekontor-demo")
KOMMUNE = ("kommune-ansatt", "kommune-demo")

CONTACT = "Kontakt legekontoret"
CONSULTATION = "Start e-konsultasjon"
PRESCRIPTION = "Forny resept"
CONSULTATION_NOTICE = (
    "Henvendelsen vil bli journalført. En e-konsultasjon kan koste det samme som en vanlig konsultasjon "
    "(egenandel), og legekontoret sender i så fall regning."
)
CLOSED_CONSULTATION = "E-konsultasjonen er nå avsluttet fra behandlerens side. Denne meldingen kan ikke besvares."
SENT = "Meldingen er sendt til legekontoret. Du finner den i innboksen."


def pdf_file(folder: Path, name: str) -> Path:
    """A small but real PDF (its content is what the site checks, not its name)."""
    path = folder / name
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return path


def png_file(folder: Path, name: str) -> Path:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    path = folder / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))
    return path


def exe_file(folder: Path, name: str) -> Path:
    """A Windows executable renamed to look like a PDF."""
    path = folder / name
    path.write_bytes(b"MZ\x90\x00" + b"\x00" * 512)
    return path


def log_in_staff(page: Page, credentials: tuple[str, str], next_path: str = "/klinikk/innboks/") -> None:
    """Log in at the staff login (``/ansatt/logg-inn/``) and land on ``next_path``."""
    username, password = credentials
    page.goto(f"/ansatt/logg-inn/?next={next_path}")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn", exact=True).click()
    page.wait_for_url(lambda url: url.endswith(next_path))


def send_dialogue(
    page: Page,
    action: str,
    *,
    body: str,
    files: list[Path],
    subject: str = "",
    prescription: str = "",
    before_send: Callable[[], None] | None = None,
) -> None:
    """From «Din fastlege»: open ``action``, fill it in, attach ``files`` through the file input, and «Send»;
    ends on the conversation in Innboks. ``before_send`` runs on the filled-in form."""
    page.goto("/fastlege/")
    page.get_by_role("link", name=action, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=action)).to_be_visible()
    if subject:
        page.get_by_label("Emne").fill(subject)
    if prescription:
        page.get_by_role("group", name="Hvilke resepter ønsker du fornyet?").get_by_label(
            re.compile(prescription)
        ).check()
    page.get_by_label("Melding").fill(body)
    page.get_by_label("Vedlegg").set_input_files(files)
    if before_send is not None:
        before_send()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text(SENT)).to_be_visible()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
