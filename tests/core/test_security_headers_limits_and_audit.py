"""Issue 7's secure defaults, abuse limits, audit trail and request log."""

from __future__ import annotations

import logging
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from booking.models import Appointment
from citizens.models import Citizen
from resourcebooks.models import Slot, Timebook
from tests.factories import AuditEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_db):
    """The demo, seeded once for the module (``demo_db``) and rolled back after each test."""


def test_every_page_has_a_csp_without_inline_scripts_and_the_other_security_headers(client):
    response = client.get(reverse("booking:home"))
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_too_many_failed_logins_from_one_address_get_a_norwegian_429_with_retry_after(client):
    for _ in range(30):
        assert client.post(reverse("citizens:login"), {"national_id": "12345678901"}).status_code == 400
    response = client.post(reverse("citizens:login"), {"national_id": "12345678901"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "For mange mislykkede innlogginger" in response.content.decode()


def test_successful_logins_are_never_limited(demo):
    kurt = Citizen.objects.get(first_name="Kurt Håkon")
    for _ in range(40):  # a crowd behind one address, as in the rush benchmark
        client = Client()
        assert client.post(reverse("citizens:login"), {"national_id": kurt.national_id}).status_code == 302


def test_sending_bookings_too_fast_is_limited_per_citizen(demo):
    kurt = Citizen.objects.get(first_name="Kurt Håkon")
    client = Client()
    client.force_login(kurt.user)
    timebook = Timebook.objects.get(name="Influensavaksine")
    slot = Slot.objects.filter(timebook=timebook, state="free").order_by("start").first()
    url = reverse("booking:review", args=[timebook.service.her_id, timebook.pk, slot.pk])
    statuses = [client.post(url, {"reason": "", "idempotency_key": str(uuid.uuid4())}).status_code for _ in range(21)]
    assert statuses[:20] == [400] * 20
    assert statuses[20] == 429
    assert not Appointment.objects.filter(slot=slot).exists()
    other = Client()
    other.force_login(Citizen.objects.get(first_name="Viktig").user)
    assert other.post(url, {"reason": "", "idempotency_key": str(uuid.uuid4())}).status_code == 400  # not limited


def test_reading_and_changing_an_appointment_is_audited_with_who_did_it(demo, django_capture_on_commit_callbacks):
    kurt = Citizen.objects.get(first_name="Kurt Håkon")
    client = Client()
    client.force_login(kurt.user)
    timebook = Timebook.objects.get(name="Influensavaksine")
    slot = Slot.objects.filter(timebook=timebook, state="free").order_by("start")[200]
    url = reverse("booking:review", args=[timebook.service.her_id, timebook.pk, slot.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Vaksine", "idempotency_key": str(uuid.uuid4())})
    appointment = Appointment.objects.get(slot=slot)
    client.get(reverse("booking:appointment", args=[appointment.pk]))
    events = list(AuditEvent.objects.filter(object_type="appointment", object_id=str(appointment.pk)).order_by("id"))
    assert [(e.action, e.actor_kind, e.actor_label) for e in events] == [
        ("create", "citizen", "Kurt Håkon Grytten"),
        ("update", "system", "system"),  # the EPJ's confirmation, after commit
        ("read", "citizen", "Kurt Håkon Grytten"),
    ]
    assert events[0].organisation_her_id == 8100001


def test_a_parents_read_of_a_childs_appointment_names_both(demo):
    kurt = Citizen.objects.get(first_name="Kurt Håkon")
    emma = Citizen.objects.get(first_name="Emma")
    slot = Slot.objects.filter(timebook__name="Influensavaksine", state="free").order_by("start")[300]
    from booking.services import appointment_book_by_clinic

    appointment = appointment_book_by_clinic(person=emma, slot=slot, reason="Vaksine")
    client = Client()
    client.force_login(kurt.user)
    client.post(reverse("citizens:switch_person"), {"person": emma.pk})
    client.get(reverse("booking:appointment", args=[appointment.pk]))
    read = AuditEvent.objects.get(object_type="appointment", object_id=str(appointment.pk), action="read")
    assert (read.actor_kind, read.actor_label, read.acting_for) == (
        "representative",
        "Kurt Håkon Grytten",
        "Emma Grytten",
    )


def test_support_switching_a_process_and_staff_changing_a_timebook_are_audited(demo):
    support = Client()
    support.login(username="nhn-support", password="nhn-support-demo")
    support.post(
        reverse("addressregistry:service_process_toggle", args=[8100201]),
        {"process": "timereservasjon", "active": "on"},
    )
    ar = AuditEvent.objects.filter(object_type="ar_service", object_id="8100201", action="update").latest("id")
    assert (ar.actor_kind, ar.actor_label, ar.summary) == ("support", "Nora Kundesenter", "Timereservasjon på")

    staff = Client()
    staff.login(username="kommune-ansatt", password="kommune-demo")
    timebook = Timebook.objects.get(name="Influensavaksine")
    staff.get(reverse("admin:resourcebooks_timebook_change", args=[timebook.pk]))
    read = AuditEvent.objects.filter(object_type="timebook", object_id=str(timebook.pk), action="read").get()
    assert (read.actor_kind, read.actor_label) == ("staff", "Kari Kommune")


def test_the_audit_trail_is_visible_to_support_only_and_editable_by_nobody(demo):
    AuditEventFactory(actor_kind="citizen", actor_label="X", action="read", object_type="appointment", object_id="1")
    support = Client()
    support.login(username="nhn-support", password="nhn-support-demo")
    listing = support.get(reverse("admin:audit_auditevent_changelist"))
    assert listing.status_code == 200
    event = AuditEvent.objects.first()
    assert support.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    staff = Client()
    staff.login(username="kommune-ansatt", password="kommune-demo")
    assert staff.get(reverse("admin:audit_auditevent_changelist")).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_each_request_is_one_log_line_with_its_id_and_user_kind_and_no_national_id(demo, caplog):
    kurt = Citizen.objects.get(first_name="Kurt Håkon")
    client = Client()
    with caplog.at_level(logging.INFO, logger="portal.requests"):
        response = client.post(reverse("citizens:login"), {"national_id": kurt.national_id})
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.requests"]
    assert len(lines) == 1
    assert f"id={response['X-Request-ID']}" in lines[0]
    assert "method=POST path=/innlogging/" in lines[0] and "status=302" in lines[0]
    assert kurt.national_id not in "\n".join(caplog.messages)


def test_a_server_error_gets_the_portals_error_page(client, settings):
    from django.urls import include, path

    def boom(request):
        raise RuntimeError("test")

    settings.ROOT_URLCONF = type(
        "urls", (), {"urlpatterns": [path("boom/", boom), path("", include("helsenorge_sim.urls"))]}
    )
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Noe gikk galt" in html and "HELSE<span>NORGE</span>" in html
