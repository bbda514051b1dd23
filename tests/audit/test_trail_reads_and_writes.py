"""Issue 11, finding 7: the reads and writes that left no row in the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from booking.models import Appointment, InvitationCampaign
from booking.services import appointment_book_by_clinic
from citizens.models import Citizen
from inbox.models import InboxMessage
from notifications.models import Notification
from resourcebooks.models import Location, Slot, Timebook
from resourcebooks.services import closed_days
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

HELSENORGE_KOMMUNE = 8100001  # Kari Kommune's only organisation
BESTE_KOMMUNE = 8100100


@pytest.fixture
def demo(demo_db):
    """The demo, seeded once for the module (``demo_db``) and rolled back after each test; the seed's own
    rows of the audit trail are left out of each test's view."""
    AuditEvent.objects.all().delete()


@pytest.fixture
def kari(demo) -> Client:
    client = Client()
    assert client.login(username="kommune-ansatt", password="kommune-demo")
    return client


@pytest.fixture
def support(demo) -> Client:
    client = Client()
    assert client.login(username="nhn-support", password="nhn-support-demo")
    return client


def rows(**lookup) -> list[tuple]:
    events = AuditEvent.objects.filter(**lookup).order_by("id")
    return [(e.action, e.actor_kind, e.object_id, e.organisation_her_id) for e in events]


def failed_sms(her_id: int, key: str) -> Notification:
    return NotificationFactory(
        dedupe_key=f"audit-gaps:{key}",
        recipient_key="citizen:0",
        recipient_name="Kurt Håkon Grytten",
        address="+4741234567",
        channel=Notification.Channel.SMS,
        event=Notification.Event.CONFIRMED,
        text="Du har fått time til vaksine.",
        owner_her_id=her_id,
        state=Notification.State.FAILED,
        attempts=5,
        last_error="Simulert feil",
    )


def next_weekday() -> dt.date:
    """A Monday a week or more ahead whose working week the demo published in full: no holiday or closed eve
    in it (in the weeks before Christmas the next Monday's week holds 24 and 25 December)."""
    day = timezone.localdate() + dt.timedelta(days=7)
    monday = day + dt.timedelta(days=(7 - day.weekday()) % 7)
    while closed_days(monday, monday + dt.timedelta(days=4)).keys() & {monday + dt.timedelta(days=i) for i in range(5)}:
        monday += dt.timedelta(days=7)
    return monday


# --- Reads of the admin's lists and pages ------------------------------------------------------------------


def test_support_reading_the_outbox_list_and_a_row_is_recorded(support):
    sms = failed_sms(BESTE_KOMMUNE, "support-read")
    assert support.get(reverse("admin:notifications_notification_changelist"), {"state": "failed"}).status_code == 200
    assert support.get(reverse("admin:notifications_notification_change", args=[sms.pk])).status_code == 200
    assert rows(object_type="notification") == [
        ("read", "support", "liste", None),
        ("read", "support", str(sms.pk), BESTE_KOMMUNE),
    ]
    assert AuditEvent.objects.filter(object_id="liste").get().summary.endswith("?state=failed")


def test_staff_reading_the_appointment_time_request_and_outbox_lists_is_recorded(kari):
    for name in ("booking_appointment", "booking_timerequest", "notifications_notification"):
        assert kari.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert rows(object_id="liste") == [
        ("read", "staff", "liste", HELSENORGE_KOMMUNE),
        ("read", "staff", "liste", HELSENORGE_KOMMUNE),
        ("read", "staff", "liste", HELSENORGE_KOMMUNE),
    ]
    kinds = list(AuditEvent.objects.order_by("id").values_list("object_type", flat=True))
    assert kinds == ["appointment", "time_request", "notification"]


def test_a_list_action_is_not_recorded_as_a_read(kari):
    sms = failed_sms(HELSENORGE_KOMMUNE, "not-a-read")
    kari.post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "retry", "_selected_action": [sms.pk], "index": "0"},
    )
    assert not AuditEvent.objects.filter(action="read").exists()


def test_staff_reading_the_utilisation_chart_is_recorded(kari):
    timebook = Timebook.objects.get(name="Influensavaksine")
    assert kari.get(reverse("admin:resourcebooks_timebook_chart", args=[timebook.pk])).status_code == 200
    assert rows(object_type="timebook") == [("read", "staff", str(timebook.pk), HELSENORGE_KOMMUNE)]


def test_another_organisations_chart_records_nothing(kari):
    timebook = Timebook.objects.get(name="Koronatest1")
    assert kari.get(reverse("admin:resourcebooks_timebook_chart", args=[timebook.pk])).status_code == 404
    assert not AuditEvent.objects.exists()


# --- Writes -----------------------------------------------------------------------------------------------


def test_withdrawing_a_days_free_slots_is_one_row_with_the_count(kari):
    timebook = Timebook.objects.get(name="Influensavaksine")
    day = next_weekday()
    url = reverse("admin:resourcebooks_timebook_day", args=[timebook.pk])
    assert kari.post(f"{url}?dato={day.isoformat()}").status_code == 302
    event = AuditEvent.objects.get(action="update")
    assert (event.actor_kind, event.object_type, event.object_id) == ("staff", "timebook", str(timebook.pk))
    assert event.organisation_her_id == HELSENORGE_KOMMUNE
    assert event.summary == f"Trakk tilbake 84 ledige timer ({day:%d.%m.%Y}–{day:%d.%m.%Y})"


def test_withdrawing_over_a_period_from_the_timebook_list_is_one_row_per_timebook(kari):
    timebook = Timebook.objects.get(name="Influensavaksine")
    monday = next_weekday()
    kari.post(
        reverse("admin:resourcebooks_timebook_changelist"),
        {
            "action": "withdraw_free_slots",
            "_selected_action": [timebook.pk],
            "apply": "1",
            "date_from": monday.isoformat(),
            "date_to": (monday + dt.timedelta(days=4)).isoformat(),
        },
    )
    assert rows(action="update") == [("update", "staff", str(timebook.pk), HELSENORGE_KOMMUNE)]
    assert AuditEvent.objects.get(action="update").summary.startswith("Trakk tilbake 420 ledige timer")


def test_withdrawing_selected_slots_is_one_row_with_the_count(kari):
    timebook = Timebook.objects.get(name="Influensavaksine")
    free = list(Slot.objects.filter(timebook=timebook, state=Slot.State.FREE).order_by("start")[:3])
    kari.post(
        reverse("admin:resourcebooks_slot_changelist"),
        {"action": "withdraw_selected", "_selected_action": [s.pk for s in free], "index": "0"},
    )
    assert Slot.objects.filter(pk__in=[s.pk for s in free], state=Slot.State.WITHDRAWN).count() == 3
    assert rows(action="update") == [("update", "staff", str(timebook.pk), HELSENORGE_KOMMUNE)]
    assert AuditEvent.objects.get(action="update").summary == "Trakk tilbake 3 ledige timer (blant de valgte)"


def test_retrying_the_outbox_is_recorded_by_the_admin_action(kari):
    sms = failed_sms(HELSENORGE_KOMMUNE, "retry")
    kari.post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "retry", "_selected_action": [sms.pk], "index": "0"},
    )
    assert rows(object_type="notification") == [("update", "staff", str(sms.pk), HELSENORGE_KOMMUNE)]
    assert AuditEvent.objects.get().summary.startswith("Prøv å sende på nytt: 1 av 1 valgte varsler")


def test_adding_changing_and_deleting_a_location_is_recorded(kari):
    org = Timebook.objects.get(name="Influensavaksine").service.organisation
    form = {"organisation": org.pk, "name": "Rådhuset", "description": "", "attendance_place": "Rådhuset"}
    assert kari.post(reverse("admin:resourcebooks_location_add"), form).status_code == 302
    location = Location.objects.get(name="Rådhuset")
    change = reverse("admin:resourcebooks_location_change", args=[location.pk])
    assert kari.post(change, form | {"attendance_place": "Rådhuset, 2. etasje"}).status_code == 302
    delete = reverse("admin:resourcebooks_location_delete", args=[location.pk])
    assert kari.post(delete, {"post": "yes"}).status_code == 302
    assert rows(object_type="location") == [
        ("create", "staff", str(location.pk), HELSENORGE_KOMMUNE),
        ("update", "staff", str(location.pk), HELSENORGE_KOMMUNE),
        ("delete", "staff", str(location.pk), HELSENORGE_KOMMUNE),
    ]


def test_creating_pausing_and_resuming_a_campaign_is_recorded(kari):
    timebook = Timebook.objects.get(name="Influensavaksine")
    form = {"timebook": timebook.pk, "born_from": 1900, "born_to": 2020, "batch_size": 1, "pause_seconds": 600}
    assert kari.post(reverse("admin:booking_invitationcampaign_add"), form | {"text": ""}).status_code == 302
    campaign = InvitationCampaign.objects.get()
    assert campaign.state == InvitationCampaign.State.RUNNING
    changelist = reverse("admin:booking_invitationcampaign_changelist")
    for name in ("pause", "pause", "resume"):  # the second pause changes nothing and records nothing
        kari.post(changelist, {"action": name, "_selected_action": [campaign.pk], "index": "0"})
    events = list(AuditEvent.objects.filter(object_type="campaign").order_by("id"))
    assert [(e.action, e.actor_kind, e.object_id, e.organisation_her_id) for e in events] == [
        ("create", "staff", str(campaign.pk), HELSENORGE_KOMMUNE),
        ("update", "staff", str(campaign.pk), HELSENORGE_KOMMUNE),
        ("update", "staff", str(campaign.pk), HELSENORGE_KOMMUNE),
    ]
    assert [e.summary for e in events[1:]] == ["Satt på pause", "Utsendelsen fortsetter"]
    assert events[0].summary.startswith("Influensavaksine: født 1900–2020")


# --- A representative's reads ----------------------------------------------------------------------------


@pytest.fixture
def emmas_appointment(demo) -> Appointment:
    emma = Citizen.objects.get(first_name="Emma")
    slot = Slot.objects.filter(timebook__name="Influensavaksine", state="free").order_by("start")[300]
    return appointment_book_by_clinic(person=emma, slot=slot, reason="Vaksine")


def kurt_client(*, acting_for: Citizen | None = None) -> Client:
    client = Client()
    client.force_login(Citizen.objects.get(first_name="Kurt Håkon").user)
    if acting_for is not None:
        client.post(reverse("citizens:switch_person"), {"person": acting_for.pk})
    return client


@pytest.mark.parametrize("name", ["booking:appointment", "booking:ics"])
def test_a_parent_opening_a_childs_appointment_without_switching_reads_it_for_the_child(emmas_appointment, name):
    response = kurt_client().get(reverse(name, args=[emmas_appointment.pk]))
    assert response.status_code == 200
    read = AuditEvent.objects.get(action="read")
    assert (read.actor_kind, read.actor_label, read.acting_for) == (
        "representative",
        "Kurt Håkon Grytten",
        "Emma Grytten",
    )
    assert (read.object_id, read.organisation_her_id) == (str(emmas_appointment.pk), HELSENORGE_KOMMUNE)


def test_a_parent_reading_a_childs_message_is_recorded_for_the_child_switched_or_not(emmas_appointment):
    message = InboxMessage.objects.filter(appointment=emmas_appointment).first()
    assert message is not None
    emma = emmas_appointment.citizen
    for client in (kurt_client(), kurt_client(acting_for=emma)):
        assert client.get(reverse("inbox:message", args=[message.pk])).status_code == 200
    reads = AuditEvent.objects.filter(action="read", object_type="inbox_message").order_by("id")
    assert [(e.actor_kind, e.acting_for, e.organisation_her_id) for e in reads] == [
        ("representative", "Emma Grytten", HELSENORGE_KOMMUNE)
    ] * 2


def test_a_parent_switched_to_a_child_reading_their_own_appointment_reads_it_for_themself(emmas_appointment):
    kurt = Citizen.objects.get(first_name="Kurt Håkon")
    slot = Slot.objects.filter(timebook__name="Influensavaksine", state="free").order_by("start")[301]
    own = appointment_book_by_clinic(person=kurt, slot=slot, reason="Vaksine")
    client = kurt_client(acting_for=emmas_appointment.citizen)
    assert client.get(reverse("booking:appointment", args=[own.pk])).status_code == 200
    read = AuditEvent.objects.get(action="read")
    assert (read.actor_kind, read.acting_for) == ("citizen", "")
