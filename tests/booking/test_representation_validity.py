"""Issue 11, finding 3: who is told is worked out when the message is written, from the representations valid
then — a revoked or expired power of attorney, or a child who has turned 16, no longer gets the messages,
and the person always does."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from booking.services import appointment_cancel_by_clinic, appointment_request
from citizens.models import Representation
from citizens.selectors import may_act_for
from notifications.models import Notification
from tests.factories import RepresentationFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def told(event: str) -> set[int]:
    keys = Notification.objects.filter(event=event).values_list("recipient_key", flat=True)
    return {int(key.split(":")[1]) for key in keys}


def attorney_books_for_principal(world: World):  # type: ignore[no-untyped-def]
    principal = world.resident(birth_date=dt.date(1941, 9, 9), first_name="Astrid")
    attorney = world.resident(birth_date=dt.date(1980, 3, 3), first_name="Viktig")
    rep = RepresentationFactory(
        representative=attorney, represented=principal, kind=Representation.Kind.POWER_OF_ATTORNEY
    )
    appointment = appointment_request(
        person=principal,
        booked_by=attorney,
        timebook=world.timebook,
        slot_id=world.slots[0].pk,
        reason="Vaksine",
        idempotency_key=uuid.uuid4(),
    ).appointment
    return principal, attorney, rep, appointment


def test_while_the_power_of_attorney_holds_both_the_principal_and_the_attorney_are_told(world):
    principal, attorney, _rep, appointment = attorney_books_for_principal(world)
    appointment_cancel_by_clinic(appointment=appointment)
    assert told("cancelled") == {principal.pk, attorney.pk}


def test_a_revoked_power_of_attorney_gets_nothing_more_and_the_principal_is_told(world):
    principal, attorney, rep, appointment = attorney_books_for_principal(world)
    Representation.objects.filter(pk=rep.pk).update(revoked_at=timezone.now())
    appointment_cancel_by_clinic(appointment=appointment)
    assert told("cancelled") == {principal.pk}
    assert may_act_for(attorney, principal.pk, timezone.localdate()) is None


def test_an_expired_power_of_attorney_gets_nothing_more(world):
    principal, attorney, rep, appointment = attorney_books_for_principal(world)
    Representation.objects.filter(pk=rep.pk).update(valid_to=timezone.localdate() - dt.timedelta(days=1))
    appointment_cancel_by_clinic(appointment=appointment)
    assert told("cancelled") == {principal.pk}
    assert may_act_for(attorney, principal.pk, timezone.localdate()) is None


def test_a_power_of_attorney_valid_through_today_still_holds(world):
    principal, attorney, rep, appointment = attorney_books_for_principal(world)
    Representation.objects.filter(pk=rep.pk).update(valid_to=timezone.localdate())
    appointment_cancel_by_clinic(appointment=appointment)
    assert told("cancelled") == {principal.pk, attorney.pk}


def test_a_child_who_has_turned_16_is_told_herself_not_the_parent(world):
    today = timezone.localdate()
    sixteen_today = today.replace(year=today.year - 16) if not (today.month == 2 and today.day == 29) else today
    child = world.resident(birth_date=sixteen_today, first_name="Emma")
    parent = world.resident(birth_date=dt.date(1980, 1, 1), first_name="Kurt")
    RepresentationFactory(representative=parent, represented=child, kind=Representation.Kind.PARENT)
    appointment = appointment_request(
        person=child,
        booked_by=child,
        timebook=world.timebook,
        slot_id=world.slots[1].pk,
        reason="Vaksine",
        idempotency_key=uuid.uuid4(),
    ).appointment
    appointment_cancel_by_clinic(appointment=appointment)
    assert told("cancelled") == {child.pk}
