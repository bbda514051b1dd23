"""Fixtures and helpers shared by the booking-flow tests (``test_flow_*``, ``test_access``, ``test_race``).

This module holds no tests. Its name only follows this folder's naming. A test module takes the fixtures
by assigning them (``demo_db, demo = support.demo_db, support.demo``), which pytest finds and which
does not read to linters as an unused import; the helpers it imports as usual.

- ``demo_db`` loads ``seed_demo`` once per test module inside a transaction that is rolled back when the
  module is done (the pattern of ``TestCase.setUpTestData``); every test still runs in its own savepoint,
  so what one test books or cancels is gone before the next. Request ``demo`` in the test.
- ``clinic`` is a small world made with factories: one municipality, its Smittevern service with a
  5-minute timebook at one place, six free slots the day after tomorrow, and a citizen living there.
- The expected texts are computed here, independently of ``core.formatting``, in the sources' words.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import factory
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from addressregistry.models import Organisation, Service
from booking.models import Appointment
from citizens.models import Citizen
from inbox.models import InboxMessage
from resourcebooks.models import Location, Slot, Timebook
from tests.booking.factories import CitizenFactory
from tests.conftest import demo_db as conftest_demo_db
from tests.resourcebooks.factories import LocationFactory, SlotFactory, TimebookFactory

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
    """The number on the header's «Innboks» link (0 when there is none)."""
    link = re.search(r'<a href="/innboks/">(.*?)</a>', html_of(response), re.S)
    assert link, "the header has no Innboks link"
    digits = re.findall(r"\d+", re.sub(r"<[^>]+>", " ", link.group(1)))
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


# --- The demo of the sources, once per module --------------------------------------------------------


# Defined once for all tests in tests/conftest.py; re-exported so test modules can take it by assignment.
demo_db = conftest_demo_db


class Demo:
    """Look-ups in the seeded demo: people by first name, services by HER-id, timebooks by name."""

    SMITTEVERN = 8100011  # Helsenorge kommune «Smittevern (Feberpoliklinikk Test)»: «Influensavaksine»
    VAKSINASJON = 8100012  # Helsenorge kommune «Vaksinasjon» (no timebooks)
    HELSESTASJON = 8100013  # Helsenorge kommune «Helsestasjon Test» (no Timebestilling)
    BESTE_SMITTEVERN = 8100101  # «Koronatest1»
    BESTE_VAKSINASJON = 8100102  # «Covid-19 vaksinering»
    BESTE_LEGEVAKT = 8100103  # «Koronatest legevakt»
    DHS_SMITTEVERN = 8100201  # lacks Timereservasjon: «Kovidtest»
    DHS_MELLOMLOSNING = 8100202  # Behandleroversikt on: «Helsefaglig kontakt»
    GP_OFFICE = 8100300  # Helsenorge testlegekontor: «Ditt fastlegekontor …», its services as one contact
    FASTLEGE = 8100301  # practitioner booking
    RESSURSTIMEBOK = 8100302  # «Influensa» (three places), «Ta prøve på laboratoriet» (manual)

    def citizen(self, first_name: str) -> Citizen:
        return Citizen.objects.select_related("user", "municipality", "gp_office").get(first_name=first_name)

    @property
    def kurt(self) -> Citizen:
        return self.citizen("Kurt Håkon")

    @property
    def emma(self) -> Citizen:
        return self.citizen("Emma")

    @property
    def ola(self) -> Citizen:
        return self.citizen("Ola")

    @property
    def viktig(self) -> Citizen:
        return self.citizen("Viktig")

    @property
    def astrid(self) -> Citizen:
        return self.citizen("Astrid")

    @property
    def berit(self) -> Citizen:
        return self.citizen("Berit")

    @property
    def per(self) -> Citizen:
        return self.citizen("Per")

    def organisation(self, her_id: int) -> Organisation:
        return Organisation.objects.get(her_id=her_id)

    def service(self, her_id: int) -> Service:
        return Service.objects.select_related("organisation").get(her_id=her_id)

    def timebook(self, name: str) -> Timebook:
        return Timebook.objects.select_related("service__organisation").get(name=name)

    @property
    def influensavaksine(self) -> Timebook:
        return self.timebook("Influensavaksine")

    @property
    def influensa(self) -> Timebook:
        return self.timebook("Influensa")

    @property
    def lab(self) -> Timebook:
        return self.timebook("Ta prøve på laboratoriet")

    def free_slots(self, timebook: Timebook, location: Location | None = None) -> list[Slot]:
        qs = Slot.objects.filter(timebook=timebook, state=Slot.State.FREE, start__gt=timezone.now())
        if location is not None:
            qs = qs.filter(location=location)
        return list(qs.select_related("location", "timebook__service__organisation").order_by("start"))

    def free_slot(self, timebook: Timebook, index: int = 0) -> Slot:
        """A free slot far enough ahead (over two days) to be cancelled before the default deadline."""
        later = [s for s in self.free_slots(timebook) if s.start > timezone.now() + dt.timedelta(days=2)]
        return later[index]

    def hidden_appointment(self) -> Appointment:
        return Appointment.objects.select_related("slot__timebook").get(citizen__first_name="Ola", hidden=True)

    def hidden_message(self) -> InboxMessage:
        return InboxMessage.objects.get(appointment=self.hidden_appointment())


@pytest.fixture
def demo(demo_db, db) -> Demo:
    return Demo()


# --- A small world made with factories ----------------------------------------------------------------

# Test citizens log in with force_login or the test login: an unusable password spares the slow hashing.
NO_PASSWORD = factory.Transformer.Force("!")


def new_citizen(**fields) -> Citizen:
    return CitizenFactory(user__password=NO_PASSWORD, **fields)


@dataclass
class Clinic:
    timebook: Timebook
    location: Location
    slots: list[Slot]
    citizen: Citizen

    @property
    def service(self) -> Service:
        return self.timebook.service

    @property
    def municipality(self) -> Organisation:
        return self.timebook.service.organisation

    def resident(self, **kwargs) -> Citizen:
        """Another citizen living in the clinic's municipality."""
        return new_citizen(municipality=self.municipality, **kwargs)


def make_clinic(**timebook_fields) -> Clinic:
    timebook = TimebookFactory(**timebook_fields)
    org = timebook.service.organisation
    location = LocationFactory(
        organisation=org, name="Feberpoliklinikken", attendance_place="Feberpoliklinikk inngang A"
    )
    day = timezone.localdate() + dt.timedelta(days=2)
    slots = [
        SlotFactory(timebook=timebook, location=location, start=local_start(day, 8) + dt.timedelta(minutes=5 * i))
        for i in range(6)
    ]
    return Clinic(timebook=timebook, location=location, slots=slots, citizen=new_citizen(municipality=org))


@pytest.fixture
def clinic(db) -> Clinic:
    return make_clinic()


def session_reads() -> int:
    """What a page's session costs: nothing where sessions live in the cache (the full stack: Redis, with the
    database behind it), one read on the embedded default (database sessions). These tests hold on both."""
    return 0 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db" else 1
