"""Issue 15, «Fair: nobody loses twice»: opening «Se gjennom før du sender» holds the slot for the person for
five minutes, shown on the page; a held slot is offered to no one else; one hold per person per timebook (the
database says so too); leaving the flow, booking, or the sweep ends it; staff see it in the day view."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from booking.models import Appointment, SlotHold
from booking.services.holds import holds_sweep
from core.limits import HOLD_SECONDS
from helsenorge_sim.schedule import PERIODIC_JOBS
from resourcebooks.models import Slot
from tests.factories import StaffMembershipFactory, UserFactory
from tests.pages import html_of, log_in, open_review, review_url, send_booking, text_of, time_url

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def state(slot: Slot) -> str:
    return Slot.objects.get(pk=slot.pk).state


def day_url(slot: Slot) -> str:
    day = timezone.localtime(slot.start).date()
    return f"{time_url(slot.timebook)}?sted={slot.location_id}&dag={day.isoformat()}"


def test_opening_the_review_holds_the_slot_for_five_minutes_and_says_until_when(client, world):
    slot = world.slots[0]
    log_in(client, world.citizen)
    before = timezone.now()
    text = text_of(client.get(review_url(slot)))
    hold = SlotHold.objects.get(slot=slot)
    assert hold.citizen == world.citizen and state(slot) == Slot.State.ON_HOLD
    assert dt.timedelta(seconds=HOLD_SECONDS - 5) <= hold.until - before <= dt.timedelta(seconds=HOLD_SECONDS + 5)
    assert f"Timen er holdt av til deg til kl. {timezone.localtime(hold.until):%H:%M}." in text


def test_a_held_slot_is_offered_to_no_one_else(client, world):
    slot = world.slots[0]
    other = log_in(Client(), world.resident())
    assert review_url(slot) in html_of(other.get(day_url(slot)))
    open_review(log_in(client, world.citizen), slot)
    assert review_url(slot) not in html_of(other.get(day_url(slot)))
    assert review_url(world.slots[1]) in html_of(other.get(day_url(slot)))


def test_one_hold_per_person_per_timebook(client, world):
    first, second = world.slots[0], world.slots[1]
    log_in(client, world.citizen)
    open_review(client, first)
    open_review(client, second)  # choosing another slot lets the first go
    assert state(first) == Slot.State.FREE and state(second) == Slot.State.ON_HOLD
    assert list(SlotHold.objects.values_list("slot_id", flat=True)) == [second.pk]
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotHold.objects.create(
            slot=first,
            timebook=world.timebook,
            citizen=world.citizen,
            held_by=world.citizen,
            until=timezone.now() + dt.timedelta(minutes=5),
        )


def test_booking_ends_the_hold_and_sending_on_ones_own_hold_cannot_lose(client, world):
    slot = world.slots[0]
    log_in(client, world.citizen)
    assert send_booking(client, slot).status_code == 302
    assert not SlotHold.objects.exists()
    assert Appointment.objects.get(slot=slot).citizen == world.citizen


@pytest.mark.parametrize(("til", "lands_on"), [("kalender", "calendar"), ("", "appointments")])
def test_tilbake_and_avbryt_end_the_hold_at_once(client, world, til, lands_on):
    slot = world.slots[0]
    log_in(client, world.citizen)
    html = html_of(client.get(review_url(slot)))
    release = reverse("booking:review_release", args=[slot.timebook.service.her_id, slot.timebook_id, slot.pk])
    assert f'action="{release}"' in html
    response = client.post(release, {"til": til} if til else {})
    assert response.status_code == 302
    expected = day_url(slot) if lands_on == "calendar" else reverse("booking:appointments")
    assert response["Location"] == expected
    assert state(slot) == Slot.State.FREE and not SlotHold.objects.exists()


def test_the_sweep_frees_holds_that_ran_out_and_is_scheduled(client, world):
    slot, kept = world.slots[0], world.slots[1]
    log_in(client, world.citizen)
    open_review(client, slot)
    open_review(log_in(Client(), world.resident()), kept)
    past = timezone.now() - dt.timedelta(minutes=10)
    SlotHold.objects.filter(slot=slot).update(created_at=past, until=past + dt.timedelta(minutes=5))
    assert holds_sweep() == 1
    assert state(slot) == Slot.State.FREE and state(kept) == Slot.State.ON_HOLD
    assert PERIODIC_JOBS["booking-holds-sweep"][0] == "booking.tasks.holds_sweep_task"
    # Swept, and nobody took it: sending still books it.
    response = client.post(review_url(slot), {"reason": "Vaksine", "idempotency_key": open_review(client, slot)})
    assert response.status_code == 302


def test_staff_see_the_hold_in_the_day_view(client, world):
    slot = world.slots[0]
    log_in(client, world.citizen)
    open_review(client, slot)
    staff = UserFactory(is_staff=True, is_superuser=True)
    StaffMembershipFactory(user=staff, organisation=world.municipality)
    admin = Client()
    admin.force_login(staff)
    day = timezone.localtime(slot.start).date()
    url = reverse("admin:resourcebooks_timebook_day", args=[world.timebook.pk])
    text = text_of(admin.get(f"{url}?dato={day.isoformat()}"))
    until = timezone.localtime(SlotHold.objects.get(slot=slot).until)
    assert "Holdt av til en innbygger" in text
    assert f"Holdt av til kl. {until:%H:%M}" in text
    assert world.citizen.full_name in text


def test_withdrawing_a_held_slot_ends_the_hold_and_tells_the_holder(client, world):
    from inbox.models import InboxMessage
    from resourcebooks.services import slots_withdraw

    slot = world.slots[0]
    log_in(client, world.citizen)
    key = open_review(client, slot)
    day = timezone.localtime(slot.start).date()
    assert slots_withdraw(timebook=world.timebook, date_from=day, date_to=day) == len(world.slots)
    assert state(slot) == Slot.State.WITHDRAWN and not SlotHold.objects.exists()
    told = InboxMessage.objects.get(citizen=world.citizen, kind=InboxMessage.Kind.HOLD_WITHDRAWN)
    assert told.subject == "Timen du holdt av er trukket tilbake"
    assert "som du holdt av, er trukket tilbake av" in told.body
    # Pressing «Send bestilling» on the page they still have open: told at once, nothing booked.
    response = client.post(review_url(slot), {"reason": "Vaksine", "idempotency_key": key})
    assert response.status_code == 409 and not Appointment.objects.exists()
