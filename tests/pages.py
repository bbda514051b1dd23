"""Helpers for tests that use the portal's pages as a citizen does: logging in, the booking flow's addresses and
steps, a page's text, and the sources' date formats written out on their own (independently of
``core.formatting``, in the sources' words). Builds no data: that is ``tests.factories`` and ``tests.world``.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.test import Client
from django.urls import reverse

from booking.models import Appointment
from citizens.models import Citizen
from resourcebooks.models import Slot, Timebook

OSLO = ZoneInfo("Europe/Oslo")

# --- The sources' date formats, written out on their own --------------------------------------------

MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip
MONTHS_SHORT = ("jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "des.")
WEEKDAYS = ("Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag")


def oslo(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(OSLO)


def month_title(day: dt.date) -> str:
    """«Desember 2026»."""
    return f"{MONTHS[day.month - 1].capitalize()} {day.year}"


def day_heading(day: dt.date) -> str:
    """«Ledige timer 23. nov. 2026»."""
    return f"Ledige timer {day.day}. {MONTHS_SHORT[day.month - 1]} {day.year}"


def slot_label(slot: Slot) -> str:
    """«08:00 - 08:05»."""
    return f"{oslo(slot.start):%H:%M} - {oslo(slot.end):%H:%M}"


def review_line(slot: Slot) -> str:
    """«Torsdag 6. februar 2025 kl. 11:15 - 11:20»."""
    start = oslo(slot.start)
    return f"{WEEKDAYS[start.weekday()]} {start.day}. {MONTHS[start.month - 1]} {start.year} kl. {slot_label(slot)}"


def moment(start: dt.datetime) -> str:
    """«6. februar 2025 kl. 11:15»."""
    local = oslo(start)
    return f"{local.day}. {MONTHS[local.month - 1]} {local.year} kl. {local:%H:%M}"


def local_start(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=OSLO)


# --- Pages ------------------------------------------------------------------------------------------


def html_of(response) -> str:
    return response.content.decode()


def text_of(response) -> str:
    """The page's text with tags removed and white space collapsed, for sentences that span elements."""
    without_tags = re.sub(r"<[^>]+>", " ", html_of(response))
    return " ".join(without_tags.split())


def unread_in_header(response) -> int:
    """The number on the header's «Innboks» link (0 when there is none). «Meny» links to Innboks too, without one."""
    links = re.findall(r'<a href="/innboks/">(.*?)</a>', html_of(response), re.S)
    assert links, "the header has no Innboks link"
    digits = [d for link in links for d in re.findall(r"\d+", re.sub(r"<[^>]+>", " ", link))]
    return int(digits[0]) if digits else 0


def idempotency_key_in(html: str) -> str:
    match = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    assert match, "the review page has no idempotency key"
    return match.group(1)


def review_url(slot: Slot, her_id: int | None = None) -> str:
    timebook = slot.timebook
    return reverse("booking:review", args=[her_id or timebook.service.her_id, timebook.pk, slot.pk])


def time_url(timebook: Timebook, her_id: int | None = None) -> str:
    return reverse("booking:time", args=[her_id or timebook.service.her_id, timebook.pk])


def log_in(client: Client, citizen: Citizen) -> Client:
    """As the test login does: the user logged in, and the session marked as a citizen's."""
    client.force_login(citizen.user)
    session = client.session
    session["citizen"] = citizen.pk
    session["last_seen"] = int(time.time())
    session.save()
    return client


def open_review(client: Client, slot: Slot) -> str:
    """GET «Se gjennom før du sender» and return the form's idempotency key."""
    response = client.get(review_url(slot))
    assert response.status_code == 200, text_of(response)[:500]
    return idempotency_key_in(html_of(response))


def send_booking(client: Client, slot: Slot, reason: str = "Testmelding", *, key: str | None = None):
    """Open the review page and press «Send bestilling». Wrap in ``django_capture_on_commit_callbacks``
    (execute=True) when the EPJ's automatic confirmation should run."""
    key = key or open_review(client, slot)
    return client.post(review_url(slot), {"reason": reason, "idempotency_key": key})


def nothing_booked(*slots: Slot) -> bool:
    """Every slot is still free (or only held for the citizen who opened its review page) and has no appointment."""
    return all(
        Slot.objects.get(pk=s.pk).state in (Slot.State.FREE, Slot.State.ON_HOLD)
        and not Appointment.objects.filter(slot=s).exists()
        for s in slots
    )


def session_reads() -> int:
    """What a page's session costs: nothing where sessions live in the cache (the full stack: Redis, with the
    database behind it), one read on the embedded default (database sessions). These tests hold on both."""
    return 0 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db" else 1
