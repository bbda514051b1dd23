"""Issue 13, acceptance: «Staff: put on a time, move, cancel, hide, set vikar, take away a holiday — each tells the
citizen in Innboks and through their chosen channels, exactly once.»

Driven through the clinic admin as a staff user of the GP office (the demo staff group's permissions), for a
citizen on the fastlege's list with SMS, e-mail and push on. Delivery runs in-process (``tests/conftest.py``:
Celery eager, after commit), so each request runs inside ``django_capture_on_commit_callbacks(execute=True)``
and the outbox rows are read back as sent; the channels are wrapped to count what each was really asked to send.

- **Put on a time** («Sett opp pasient på time»), **move** («Flytt time») and **cancel** («Avlys time»): one
  Innboks message of the action's kind, and one notification per channel (SMS, e-mail, push) for its event
  (``confirmed``, ``changed``, ``cancelled``), each sent once. The same POST a second time (a double click) adds
  nothing: no appointment, no message, no notification, no send.
- **Hide, set vikar, take away a holiday** tell nobody, and that is the decision these tests pin down:
  «Skjult time» only keeps the appointment from the parents, so hiding must not tell a parent (nor anyone else:
  the appointment itself has not changed); setting (and removing) a vikar changes nobody's time, and source 004
  says the patient does not see that the fastlege has a vikar; taking away a holiday withdraws free slots only,
  so the citizens whose booked time is left unchanged are not told. Whoever's time *is* cancelled for a holiday
  is cancelled one by one with «Avlys time», and told by that.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from booking.demo import STAFF_BOOKING_PERMISSIONS
from booking.models import Appointment
from citizens.models import Citizen
from inbox.models import InboxMessage
from notifications.models import Notification
from resourcebooks.demo import staff_group
from resourcebooks.models import Practitioner, Slot, VikarAssignment
from tests.factories import CitizenFactory, PractitionerFactory, RepresentationFactory, StaffMembershipFactory
from tests.notifications.support import ChannelLog, record_channels
from tests.world import GpOffice, gp_office

pytestmark = pytest.mark.django_db

SMS, EMAIL, PUSH = Notification.Channel.SMS, Notification.Channel.EMAIL, Notification.Channel.PUSH
CHANNELS = {SMS, EMAIL, PUSH}
APPOINTMENTS = "admin:booking_appointment_changelist"


@pytest.fixture
def gp() -> GpOffice:
    """The office, its fastlege's citizen with every channel on, and three free times on one day."""
    office = gp_office()
    Citizen.objects.filter(pk=office.citizen.pk).update(
        phone="+4741234567", email="thomas@example.test", notify_sms=True, notify_email=True, notify_push=True
    )
    office.citizen.refresh_from_db()
    return office


@pytest.fixture
def slots(gp: GpOffice) -> dict[str, Slot]:
    return {
        "visit": gp.slot(gp.konsultasjon, days=3, hour=13, minutes=15),
        "later": gp.slot(gp.konsultasjon, days=3, hour=13, minutes=30),
        "video": gp.slot(gp.video, days=3, hour=8),
    }


@pytest.fixture
def staff(client: Client, gp: GpOffice) -> Client:
    """A staff user of the office with the demo staff group's permissions, logged in to the admin."""
    group = staff_group()
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="booking", codename__in=STAFF_BOOKING_PERMISSIONS)
    )
    user = StaffMembershipFactory(organisation=gp.office, user__is_staff=True).user
    user.groups.add(group)
    client.force_login(user)
    return client


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> ChannelLog:
    return record_channels(monkeypatch)


@pytest.fixture
def post(staff: Client, django_capture_on_commit_callbacks: Any) -> Any:
    """POST as the staff user; what the request queued after commit (the deliveries) runs before it returns."""

    def send(url: str, data: dict[str, Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return staff.post(url, data)

    return send


def book(post: Any, citizen: Citizen, slot: Slot) -> Any:
    """«Sett opp pasient på time»."""
    data = {"national_id": citizen.national_id, "slot": slot.pk, "reason": "Vondt i ryggen"}
    return post(reverse("admin:booking_appointment_book"), data)


def move(post: Any, appointment: Appointment, to_slot: Slot) -> Any:
    """«Flytt time», its form sent («apply»)."""
    data = {"action": "move", "_selected_action": [appointment.pk], "apply": "1", "to_slot": to_slot.pk}
    return post(reverse(APPOINTMENTS), data)


def cancel(post: Any, appointment: Appointment) -> Any:
    """«Avlys time»."""
    return post(reverse(APPOINTMENTS), {"action": "cancel_by_clinic", "_selected_action": [appointment.pk]})


def inbox_kinds() -> list[str]:
    return list(InboxMessage.objects.order_by("pk").values_list("kind", flat=True))


def notifications() -> list[Notification]:
    return list(Notification.objects.order_by("pk"))


def assert_told_once(new: list[Notification], sent: ChannelLog, *, event: str, appointment: Appointment) -> None:
    """One row per channel for ``event`` of ``appointment``, to the citizen, sent, and handed to its channel once."""
    assert sorted(n.channel for n in new) == sorted(CHANNELS), new
    for n in new:
        assert n.event == event, n
        assert n.dedupe_key.startswith(f"appointment:{appointment.pk}:{event}:citizen:{appointment.citizen_id}:"), n
        assert n.recipient_key == f"citizen:{appointment.citizen_id}"
        assert n.state == Notification.State.SENT, (n, n.last_error)
        assert sent.count(n.pk) == 1, n
    assert sent.count() == len(new)


def test_putting_the_citizen_on_a_time_tells_them_once_and_a_double_click_adds_nothing(gp, slots, post, sent):
    first = book(post, gp.citizen, slots["visit"])
    again = book(post, gp.citizen, slots["visit"])  # the same form, sent twice

    assert first.status_code == 302
    assert again.status_code == 200  # the form again: the time is no longer free
    appointment = Appointment.objects.get()
    assert appointment.status == Appointment.Status.ASSIGNED and appointment.citizen == gp.citizen
    assert inbox_kinds() == [InboxMessage.Kind.NEW_APPOINTMENT]
    assert InboxMessage.objects.get().citizen == gp.citizen
    assert_told_once(notifications(), sent, event=Notification.Event.CONFIRMED, appointment=appointment)


def test_moving_the_time_tells_them_once_and_a_double_click_adds_nothing(gp, slots, post, sent):
    book(post, gp.citizen, slots["visit"])
    old = Appointment.objects.get()
    before, sends_before = {n.pk for n in notifications()}, sent.count()

    first = move(post, old, slots["later"])
    again = move(post, old, slots["later"])  # the old appointment is moved already: nothing to do

    assert first.status_code == 302 and again.status_code == 302
    new = Appointment.objects.get(status=Appointment.Status.ASSIGNED)
    assert new.slot == slots["later"] and new.replaces == old
    assert Appointment.objects.count() == 2
    assert inbox_kinds() == [InboxMessage.Kind.NEW_APPOINTMENT, InboxMessage.Kind.MOVED]
    assert InboxMessage.objects.get(kind=InboxMessage.Kind.MOVED).appointment == new
    added = [n for n in notifications() if n.pk not in before]
    log = ChannelLog(calls=sent.calls[sends_before:])
    assert_told_once(added, log, event=Notification.Event.CHANGED, appointment=new)


def test_cancelling_the_time_tells_them_once_and_a_double_click_adds_nothing(gp, slots, post, sent):
    book(post, gp.citizen, slots["visit"])
    appointment = Appointment.objects.get()
    before, sends_before = {n.pk for n in notifications()}, sent.count()

    first = cancel(post, appointment)
    again = cancel(post, appointment)

    assert first.status_code == 302 and again.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED_BY_CLINIC
    assert inbox_kinds() == [InboxMessage.Kind.NEW_APPOINTMENT, InboxMessage.Kind.CANCELLED_BY_CLINIC]
    added = [n for n in notifications() if n.pk not in before]
    log = ChannelLog(calls=sent.calls[sends_before:])
    assert_told_once(added, log, event=Notification.Event.CANCELLED, appointment=appointment)


def test_a_moved_time_that_is_then_cancelled_is_told_once_per_event(gp, slots, post, sent):
    """The three actions one after the other, each twice: three messages, three events, nine sends in all."""
    for _ in range(2):
        book(post, gp.citizen, slots["visit"])
    old = Appointment.objects.get()
    for _ in range(2):
        move(post, old, slots["later"])
    new = Appointment.objects.get(replaces=old)
    for _ in range(2):
        cancel(post, new)

    assert inbox_kinds() == [
        InboxMessage.Kind.NEW_APPOINTMENT,
        InboxMessage.Kind.MOVED,
        InboxMessage.Kind.CANCELLED_BY_CLINIC,
    ]
    rows = notifications()
    events = {(n.event, n.channel) for n in rows}
    assert len(rows) == len(events) == 9
    assert {event for event, _ in events} == {"confirmed", "changed", "cancelled"}
    assert all(n.state == Notification.State.SENT for n in rows)
    assert sorted(pk for _, pk in sent.calls) == sorted(n.pk for n in rows)


# --- Actions that tell nobody -----------------------------------------------------------------------------


def test_hiding_a_childs_time_tells_no_parent_nor_anyone_else(gp, slots, post, sent):
    today = timezone.localdate()
    child = CitizenFactory(
        first_name="Ola",
        birth_date=dt.date(today.year - 14, 1, 15),
        gp_office=gp.office,
        fastlege=gp.fastlege,
        phone="+4741234568",
        notify_email=True,
    )
    parent = RepresentationFactory(
        represented=child, representative__phone="+4741234569", representative__notify_email=True
    ).representative
    book(post, child, slots["visit"])
    appointment = Appointment.objects.get()
    told = notifications()
    assert {n.recipient_key for n in told} == {f"citizen:{parent.pk}"}  # not hidden yet: the parent is told
    messages, sends = inbox_kinds(), sent.count()

    url = reverse("admin:booking_appointment_change", args=[appointment.pk])
    first = post(url, {"hidden": "on", "_save": "Lagre"})
    again = post(url, {"hidden": "on", "_save": "Lagre"})

    assert first.status_code == 302 and again.status_code == 302
    appointment.refresh_from_db()
    assert appointment.hidden and appointment.status == Appointment.Status.ASSIGNED
    assert inbox_kinds() == messages
    assert notifications() == told
    assert sent.count() == sends


def test_setting_and_removing_a_vikar_tells_nobody_whose_time_is_unchanged(gp, slots, post, sent):
    vikar = PractitionerFactory(
        organisation=gp.office, first_name="Astrid", last_name="September", role=Practitioner.Role.VIKAR
    )
    book(post, gp.citizen, slots["visit"])
    messages, told, sends = inbox_kinds(), notifications(), sent.count()
    url = reverse("admin:resourcebooks_practitioner_changelist")

    response = post(
        url,
        {
            "action": "set_vikar",
            "_selected_action": [gp.fastlege.pk],
            "apply": "1",
            "vikar": vikar.pk,
            "valid_from": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert VikarAssignment.objects.filter(fastlege=gp.fastlege, vikar=vikar, removed_at__isnull=True).exists()
    assignment = VikarAssignment.objects.get(fastlege=gp.fastlege, vikar=vikar)
    post(
        url, {"action": "remove_vikar", "_selected_action": [gp.fastlege.pk], "apply": "1", "assignment": assignment.pk}
    )
    assert not VikarAssignment.objects.filter(removed_at__isnull=True).exists()

    assert Appointment.objects.get().status == Appointment.Status.ASSIGNED
    assert (inbox_kinds(), notifications(), sent.count()) == (messages, told, sends)


def test_taking_away_a_holiday_withdraws_free_slots_and_tells_nobody_whose_time_is_unchanged(gp, slots, post, sent):
    book(post, gp.citizen, slots["visit"])
    messages, told, sends = inbox_kinds(), notifications(), sent.count()
    day = timezone.localtime(slots["visit"].start).date().isoformat()

    for _ in range(2):
        response = post(
            reverse("admin:resourcebooks_timebook_changelist"),
            {
                "action": "withdraw_free_slots",
                "_selected_action": [gp.timebook.pk],
                "apply": "1",
                "date_from": day,
                "date_to": day,
            },
        )
        assert response.status_code == 302

    states = dict(Slot.objects.values_list("pk", "state"))
    assert states[slots["later"].pk] == states[slots["video"].pk] == Slot.State.WITHDRAWN
    assert states[slots["visit"].pk] == Slot.State.BOOKED
    assert Appointment.objects.get().status == Appointment.Status.ASSIGNED
    assert (inbox_kinds(), notifications(), sent.count()) == (messages, told, sends)
