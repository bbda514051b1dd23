"""The booking services on their own: what each writes, what it refuses, and that repeating one is harmless."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from booking.models import Appointment, TimeRequest
from booking.services import (
    BookingError,
    SlotTaken,
    appointment_book_by_clinic,
    appointment_cancel,
    appointment_cancel_by_clinic,
    appointment_confirm,
    appointment_reject,
    appointment_request,
    cancellation_deadline,
    time_request_send,
)
from booking.tasks import appointment_confirm_task
from citizens.models import Representation
from inbox.models import InboxMessage
from resourcebooks.models import Slot, Timebook
from tests.factories import (
    AppointmentFactory,
    LocationFactory,
    PatientBlockFactory,
    RepresentationFactory,
    SlotFactory,
    TimebookFactory,
    TimebookListEntryFactory,
)
from tests.pages import moment
from tests.world import World, new_citizen

pytestmark = pytest.mark.django_db


def request(world: World, slot: Slot | int, *, person=None, booked_by=None, key=None, reason="Vaksine", **kwargs):
    person = person or world.citizen
    return appointment_request(
        person=person,
        booked_by=booked_by or person,
        timebook=kwargs.pop("timebook", world.timebook),
        slot_id=slot if isinstance(slot, int) else slot.pk,
        reason=reason,
        idempotency_key=key or uuid.uuid4(),
        **kwargs,
    )


def state(slot: Slot) -> str:
    return Slot.objects.get(pk=slot.pk).state


# --- appointment_request ---------------------------------------------------------------------------------


def confirmations(callbacks: list) -> list:
    """The EPJ's confirmations among what runs after commit (the others bump the calendar cache's version)."""
    return [c for c in callbacks if getattr(getattr(c, "task", None), "name", "") == appointment_confirm_task.name]


def test_a_request_holds_the_slot_and_queues_the_confirmation_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        outcome = request(world, world.slots[0], reason="  Vondt   i halsen ")
    assert outcome.created
    appointment = outcome.appointment
    assert appointment.status == Appointment.Status.REQUESTED
    assert appointment.reason == "Vondt i halsen"
    assert (appointment.citizen, appointment.booked_by) == (world.citizen, world.citizen)
    assert state(world.slots[0]) == Slot.State.HELD
    assert len(confirmations(callbacks)) == 1


def test_a_manual_timebook_queues_no_confirmation(world, django_capture_on_commit_callbacks):
    Timebook.objects.filter(pk=world.timebook.pk).update(confirmation=Timebook.Confirmation.MANUAL)
    world.timebook.refresh_from_db()
    with django_capture_on_commit_callbacks() as callbacks:
        request(world, world.slots[0])
    assert confirmations(callbacks) == []


def test_the_same_key_returns_the_first_request(world):
    key = uuid.uuid4()
    first = request(world, world.slots[0], key=key)
    again = request(world, world.slots[0], key=key, reason="Noe annet")
    assert not again.created
    assert again.appointment.pk == first.appointment.pk
    assert Appointment.objects.count() == 1


def test_a_slot_of_another_timebook_is_refused(world):
    other = SlotFactory(timebook=TimebookFactory(service=world.service), location=world.location)
    with pytest.raises(BookingError, match="Timen finnes ikke i denne timeboken"):
        request(world, other)
    assert state(other) == Slot.State.FREE
    assert not Appointment.objects.exists()


def test_a_past_slot_is_refused(world):
    past = SlotFactory(timebook=world.timebook, location=world.location, start=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(BookingError, match="Tidspunktet har passert"):
        request(world, past)
    assert state(past) == Slot.State.FREE


def test_a_taken_slot_is_refused_with_the_four_nearest_free_slots_in_time_order(world):
    request(world, world.slots[2], person=world.resident())
    with pytest.raises(SlotTaken) as taken:
        request(world, world.slots[2])
    assert taken.value.message.startswith("Timen er ikke lenger ledig.")
    assert [s.pk for s in taken.value.alternatives] == [
        s.pk for s in (world.slots[0], world.slots[1], world.slots[3], world.slots[4])
    ]


def test_the_nearest_free_slots_are_at_the_same_place(world):
    slots = world.slots
    elsewhere = SlotFactory(
        timebook=world.timebook, location=LocationFactory(organisation=world.municipality), start=slots[5].end
    )
    Slot.objects.filter(pk__in=[slots[1].pk, slots[3].pk]).update(state=Slot.State.WITHDRAWN)
    Slot.objects.filter(pk=slots[2].pk).update(state=Slot.State.BOOKED)
    with pytest.raises(SlotTaken) as taken:
        request(world, slots[2])
    assert [s.pk for s in taken.value.alternatives] == [slots[0].pk, slots[4].pk, slots[5].pk]
    assert elsewhere.pk not in [s.pk for s in taken.value.alternatives]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 51])
def test_a_bad_reason_is_refused_before_anything_is_written(world, reason):
    with pytest.raises(BookingError) as error:
        request(world, world.slots[0], reason=reason)
    assert error.value.field == "reason"
    assert state(world.slots[0]) == Slot.State.FREE


def test_the_limit_counts_only_future_active_bookings_in_the_same_timebook(world):
    own = request(world, world.slots[0]).appointment
    with pytest.raises(BookingError, match="Du har allerede 1 aktiv bestilling"):
        request(world, world.slots[1])
    # Another timebook has its own limit.
    other_book = TimebookFactory(service=world.service)
    request(world, SlotFactory(timebook=other_book, location=world.location), timebook=other_book)
    # A cancelled one does not count.
    appointment_cancel(appointment=own, by=world.citizen)
    assert request(world, world.slots[1]).created


def test_a_past_active_booking_does_not_count_against_the_limit(world):
    past = SlotFactory(
        timebook=world.timebook, location=world.location, start=timezone.now() - dt.timedelta(days=1), state="booked"
    )
    AppointmentFactory(slot=past, citizen=world.citizen, booked_by=world.citizen, reason="Før", status="assigned")
    assert request(world, world.slots[0]).created


def test_a_blocked_person_is_refused(world):
    PatientBlockFactory(organisation=world.municipality, national_id=world.citizen.national_id, reason="x")
    with pytest.raises(BookingError, match="Tjenesten kunne ikke hente ledige timer"):
        request(world, world.slots[0])
    assert state(world.slots[0]) == Slot.State.FREE


def test_an_offline_timebook_or_one_the_person_may_not_book_is_refused(world):
    Timebook.objects.filter(pk=world.timebook.pk).update(online=False)
    world.timebook.refresh_from_db()
    with pytest.raises(BookingError, match="Du har ikke tilgang"):
        request(world, world.slots[0])
    Timebook.objects.filter(pk=world.timebook.pk).update(online=True, who_may_book=Timebook.WhoMayBook.NAMED_LIST)
    world.timebook.refresh_from_db()
    with pytest.raises(BookingError, match="Du har ikke tilgang"):
        request(world, world.slots[0])
    TimebookListEntryFactory(timebook=world.timebook, national_id=world.citizen.national_id)
    assert request(world, world.slots[0]).created


def test_a_person_from_elsewhere_may_book_only_through_another_municipality(world):
    stranger = new_citizen()
    with pytest.raises(BookingError, match="Du har ikke tilgang"):
        request(world, world.slots[0], person=stranger)
    assert request(world, world.slots[0], person=stranger, other_municipality=True).created


def test_without_timereservasjon_nothing_is_sent(world):
    with pytest.raises(BookingError, match="Timebestillingen kunne ikke sendes"):
        request(world, world.slots[0], can_reserve=False)
    assert state(world.slots[0]) == Slot.State.FREE


# --- confirm, reject, cancel ------------------------------------------------------------------------------


def test_confirming_assigns_books_the_slot_and_writes_one_message(world):
    appointment = request(world, world.slots[0]).appointment
    assert appointment_confirm(appointment_id=appointment.pk) is True
    assert appointment_confirm(appointment_id=appointment.pk) is False  # a redelivered task
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ASSIGNED
    assert appointment.decided_at is not None
    assert state(world.slots[0]) == Slot.State.BOOKED
    message = InboxMessage.objects.get(appointment=appointment)
    assert message.subject == "Du har fått en ny timeavtale"
    assert not message.can_reply
    assert message.body.endswith("Din timereservasjon er bekreftet.")  # source 003: the office is in «Beskrivelse»


def test_rejecting_frees_the_slot_once(world):
    appointment = request(world, world.slots[0]).appointment
    assert appointment_reject(appointment=appointment, note="Ring oss.") is True
    assert appointment_reject(appointment=appointment) is False
    assert state(world.slots[0]) == Slot.State.FREE
    message = InboxMessage.objects.get(appointment=appointment)
    assert message.kind == InboxMessage.Kind.REJECTED
    assert message.body.endswith("Ring oss.")


def test_an_assigned_appointment_cannot_be_rejected(world):
    appointment = request(world, world.slots[0]).appointment
    appointment_confirm(appointment_id=appointment.pk)
    assert appointment_reject(appointment=appointment) is False
    assert state(world.slots[0]) == Slot.State.BOOKED


def test_cancelling_frees_the_slot_and_a_second_cancel_is_refused(world):
    appointment = request(world, world.slots[0]).appointment
    appointment_confirm(appointment_id=appointment.pk)
    appointment.refresh_from_db()
    cancelled = appointment_cancel(appointment=appointment, by=world.citizen)
    assert cancelled.status == Appointment.Status.CANCELLED_BY_CITIZEN
    assert state(world.slots[0]) == Slot.State.FREE
    receipt = InboxMessage.objects.get(kind=InboxMessage.Kind.CANCELLATION_RECEIPT)
    assert moment(world.slots[0].start) in receipt.body
    assert "på vegne av" not in receipt.body
    # A stale copy of the appointment (a double click) changes nothing.
    other = request(world, world.slots[0], person=world.resident()).appointment
    with pytest.raises(BookingError, match="allerede avbestilt"):
        appointment_cancel(appointment=appointment, by=world.citizen)
    assert state(world.slots[0]) == Slot.State.HELD
    assert Appointment.objects.get(pk=other.pk).status == Appointment.Status.REQUESTED
    assert InboxMessage.objects.filter(kind=InboxMessage.Kind.CANCELLATION_RECEIPT).count() == 1


def test_cancelling_after_the_deadline_is_refused(world):
    appointment = request(world, world.slots[0]).appointment
    Timebook.objects.filter(pk=world.timebook.pk).update(cancellation_deadline_hours=72)
    appointment = Appointment.objects.select_related("slot__timebook__service__organisation").get(pk=appointment.pk)
    assert cancellation_deadline(appointment) == world.slots[0].start - dt.timedelta(hours=72)
    with pytest.raises(BookingError, match="senere enn 72 timer før"):
        appointment_cancel(appointment=appointment, by=world.citizen)
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.REQUESTED
    assert state(world.slots[0]) == Slot.State.HELD


def test_a_representatives_cancel_says_who_cancelled(world):
    parent = world.resident(first_name="Forelder")
    child = new_citizen(municipality=world.municipality, birth_date=dt.date(2016, 1, 1), first_name="Barn")
    RepresentationFactory(representative=parent, represented=child, kind=Representation.Kind.PARENT)
    appointment = request(world, world.slots[0], person=child, booked_by=parent).appointment
    appointment_cancel(appointment=appointment, by=parent)
    receipt = InboxMessage.objects.get(kind=InboxMessage.Kind.CANCELLATION_RECEIPT)
    assert receipt.citizen == child
    assert f"Avbestilt av {parent.full_name} på vegne av {child.full_name}." in receipt.body


def test_the_clinic_cancelling_withdraws_the_slot(world):
    appointment = request(world, world.slots[0]).appointment
    assert appointment_cancel_by_clinic(appointment=appointment, note="Sykdom") is True
    assert appointment_cancel_by_clinic(appointment=appointment) is False
    assert state(world.slots[0]) == Slot.State.WITHDRAWN
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.CANCELLED_BY_CLINIC
    assert InboxMessage.objects.get(kind=InboxMessage.Kind.CANCELLED_BY_CLINIC).body.endswith("Sykdom")


def test_the_clinic_books_a_hidden_appointment_assigned_at_once(world):
    appointment = appointment_book_by_clinic(person=world.citizen, slot=world.slots[0], reason="Blodprøve", hidden=True)
    assert appointment.status == Appointment.Status.ASSIGNED and appointment.hidden
    assert state(world.slots[0]) == Slot.State.BOOKED
    with pytest.raises(BookingError, match="Timen er ikke ledig"):
        appointment_book_by_clinic(person=world.resident(), slot=world.slots[0], reason="Blodprøve")


# --- time_request_send -------------------------------------------------------------------------------------


def test_a_time_request_is_stored(world):
    sent = time_request_send(
        person=world.citizen,
        booked_by=world.citizen,
        service=world.service,
        timebook=world.timebook,
        subject="  Vaksine  ",
        suggested_times=" Mandag morgen \n",
    )
    assert (sent.subject, sent.suggested_times, sent.status) == ("Vaksine", "Mandag morgen", TimeRequest.Status.NEW)
    # The person's own message stands in their Innboks, already read (source 001 shows it in the thread).
    own = InboxMessage.objects.get()
    assert (own.kind, own.subject, own.sender) == (InboxMessage.Kind.TIME_REQUEST, "Vaksine", world.citizen.full_name)
    assert own.read_at is not None and "Mandag morgen" in own.body


@pytest.mark.parametrize(
    ("subject", "suggested", "field"),
    [("", "Mandag", "subject"), ("x" * 51, "Mandag", "subject"), ("Vaksine", " ", "suggested_times"),
     ("Vaksine", "y" * 251, "suggested_times")],
)  # fmt: skip
def test_a_bad_time_request_is_refused(world, subject, suggested, field):
    with pytest.raises(BookingError) as error:
        time_request_send(
            person=world.citizen,
            booked_by=world.citizen,
            service=world.service,
            timebook=None,
            subject=subject,
            suggested_times=suggested,
        )
    assert error.value.field == field
    assert not TimeRequest.objects.exists()


def test_a_blocked_persons_time_request_is_answered_automatically(world):
    PatientBlockFactory(organisation=world.municipality, national_id=world.citizen.national_id, reason="x")
    sent = time_request_send(
        person=world.citizen,
        booked_by=world.citizen,
        service=world.service,
        timebook=None,
        subject="Time",
        suggested_times="Snart",
    )
    assert sent.status == TimeRequest.Status.REFUSED_BLOCKED
    reply = InboxMessage.objects.get(kind=InboxMessage.Kind.AUTOMATIC_REPLY)
    assert reply.sender == world.municipality.name  # a municipality has no fastlege
    assert reply.body.startswith("Legekontoret har ikke gitt deg tilgang til denne tjenesten.")
    assert not reply.can_reply
