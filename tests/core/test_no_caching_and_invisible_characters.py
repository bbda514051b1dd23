"""Issue 11, finding 8 (parts): no caching of health data, the admin's «Vis på nettsted» reveals nothing, and
invisible formatting characters are refused in free text."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from addressregistry.models import Organisation
from booking.models import Appointment, TimeRequest
from booking.services import appointment_book_by_clinic
from citizens.models import Citizen
from core.text import has_control_characters
from inbox.models import InboxMessage
from resourcebooks.models import Slot, Timebook

pytestmark = pytest.mark.django_db

INVISIBLE = [
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
]
REFUSED = "Teksten inneholder tegn som ikke kan brukes."


@pytest.fixture
def demo(demo_db):
    """The demo, seeded once for the module (``demo_db``) and rolled back after each test."""


@pytest.fixture
def kurt(demo) -> Citizen:
    return Citizen.objects.get(first_name="Kurt Håkon")


@pytest.fixture
def kurt_client(kurt) -> Client:
    client = Client()
    client.force_login(kurt.user)
    return client


def book(person: Citizen, timebook: str, index: int = 0) -> Appointment:
    slot = Slot.objects.filter(timebook__name=timebook, state="free").order_by("start")[index]
    return appointment_book_by_clinic(person=person, slot=slot, reason="Vaksine")


def view_on_site(obj) -> str:
    return reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


# --- (a) Cache-Control: no-store on pages and files with health data ------------------------------------------


def test_the_appointment_pages_its_calendar_file_and_innboks_are_never_cached(kurt, kurt_client):
    appointment = book(kurt, "Influensavaksine")
    message = InboxMessage.objects.filter(citizen=kurt).first()
    assert message is not None
    urls = [
        reverse("booking:appointments"),
        reverse("booking:appointment", args=[appointment.pk]),
        reverse("booking:cancel", args=[appointment.pk]),
        reverse("booking:ics", args=[appointment.pk]),
        reverse("inbox:inbox"),
        reverse("inbox:message", args=[message.pk]),
    ]
    for url in urls:
        response = kurt_client.get(url)
        assert response.status_code == 200, url
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= directives, url


# --- (b) «Vis på nettsted» answers 404 for what the staff user may not see ----------------------------------


@pytest.fixture
def kari(demo) -> Client:
    client = Client()
    assert client.login(username="kommune-ansatt", password="kommune-demo")
    return client


def test_staff_get_the_same_404_for_another_organisations_appointment_and_for_no_appointment(kari):
    per = Citizen.objects.get(first_name="Per")
    at_beste = book(per, "Koronatest1")
    content_type = ContentType.objects.get_for_model(Appointment).pk
    missing = Appointment.objects.order_by("-pk").first().pk + 1000
    assert kari.get(view_on_site(at_beste)).status_code == 404
    assert kari.get(reverse("admin:view_on_site", args=[content_type, missing])).status_code == 404
    assert kari.get(reverse("admin:view_on_site", args=[content_type, "x"])).status_code == 404
    assert kari.get(reverse("admin:view_on_site", args=[999999, 1])).status_code == 404


def test_staff_and_support_get_no_redirect_to_a_citizens_page(kari, kurt):
    own = book(kurt, "Influensavaksine")
    assert kari.get(view_on_site(own)).status_code == 404
    change = kari.get(reverse("admin:booking_appointment_change", args=[own.pk]))
    assert change.status_code == 200
    assert "/admin/r/" not in change.content.decode()  # no «Vis på nettsted» button
    support = Client()
    assert support.login(username="nhn-support", password="nhn-support-demo")
    assert support.get(view_on_site(own)).status_code == 404
    assert support.get(view_on_site(InboxMessage.objects.filter(citizen=kurt).first())).status_code == 404


def test_a_superuser_still_gets_the_redirect_for_what_has_a_page(demo):
    admin_user = get_user_model().objects.create_superuser("rot", password="pw-rot-12345")
    client = Client()
    client.force_login(admin_user)
    organisation = Organisation.objects.get(her_id=8100001)
    response = client.get(view_on_site(organisation))
    assert response.status_code == 302
    assert response["Location"].endswith(organisation.get_absolute_url())


def test_the_view_on_site_url_still_sends_anonymous_users_to_the_admin_login(demo):
    organisation = Organisation.objects.get(her_id=8100001)
    response = Client().get(view_on_site(organisation))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


# --- (c) Bidirectional overrides and zero-width characters in free text ---------------------------------------


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_each_invisible_formatting_character_is_refused(char):
    assert has_control_characters(f"Vak{char}sine")


def test_ordinary_norwegian_text_with_line_breaks_is_fine():
    assert not has_control_characters("Vaksine for Åse (født 1950)\nhelst før kl. 12\t– takk!")


@pytest.mark.parametrize("reason", ["Vaksine \u202eenisk", "Vak\u200bsine", "\ufeffVaksine", "Vaksine\u2066x\u2069"])
def test_the_booking_review_refuses_invisible_characters_and_books_nothing(kurt_client, reason):
    timebook = Timebook.objects.get(name="Influensavaksine")
    slot = Slot.objects.filter(timebook=timebook, state="free").order_by("start").first()
    url = reverse("booking:review", args=[timebook.service.her_id, timebook.pk, slot.pk])
    response = kurt_client.post(url, {"reason": reason, "idempotency_key": str(uuid.uuid4())})
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert not Appointment.objects.filter(slot=slot).exists()
    slot.refresh_from_db()
    assert slot.state == Slot.State.FREE


@pytest.mark.parametrize(
    ("subject", "suggested"), [("Vaksine\u202e", "Mandag"), ("Vaksine", "Man\u200ddag"), ("Vak\u2060sine", "Fredag")]
)
def test_the_time_request_refuses_invisible_characters_and_sends_nothing(kurt_client, subject, suggested):
    response = kurt_client.post(
        reverse("booking:time_request", args=[8100302]), {"subject": subject, "suggested_times": suggested}
    )
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert not TimeRequest.objects.exists()
