"""«Send bestilling»: a citizen's request for a free slot.

Claiming a slot is one conditional ``UPDATE … SET state='held' WHERE state='free'`` (or the citizen's own hold
on it, ``services.holds``): of two citizens on the same slot exactly one gets a row back; the partial unique
index on active appointments makes a double booking impossible even if this code had a bug. The idempotency
key makes a double-submitted form one request.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.models import Citizen
from citizens.selectors import is_blocked
from core.locking import claim_rows, lock_rows
from resourcebooks.freshness import slots_changed
from resourcebooks.models import Practitioner, Slot, Timebook

from .. import texts
from ..errors import FORM_EXPIRED, BookingError, SlotTaken
from ..gp_selectors import behandlere, bookable_slots, booking_limit
from ..models import Appointment
from ..selectors import active_count, may_book, nearest_free_slots
from .decisions import appointment_confirm_task
from .holds import hold_claim, hold_release
from .reasons import reason_clean
from .transitions import appointment_record


@dataclass(frozen=True)
class RequestOutcome:
    appointment: Appointment
    created: bool


class _NotClaimed(Exception):
    """The conditional update claimed no slot (rolls the transaction back)."""


def _replay(idempotency_key: uuid.UUID, booked_by: Citizen) -> RequestOutcome | None:
    """The first request sent with this form, if there is one: a repeated submit gets its answer. Another
    person's form is never theirs to repeat."""
    existing = Appointment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    if existing.booked_by_id != booked_by.pk:
        raise FORM_EXPIRED
    return RequestOutcome(existing, created=False)


def appointment_request_check(
    *, person: Citizen, timebook: Timebook, reason: str, can_reserve: bool, other_municipality: bool
) -> str:
    """What can be known before any lock: the reason (cleaned and returned), blocks, access and AR setup."""
    reason = reason_clean(reason)
    if is_blocked(person, timebook.service.organisation_id):
        raise BookingError(str(texts.NO_FREE_TIMES))
    if not timebook.online or not may_book(person, timebook, other_municipality=other_municipality):
        raise BookingError(_("Du har ikke tilgang til å bestille time i denne timeboken."))
    if not can_reserve:
        # AR lacks Timereservasjon: Helsenorge cannot reserve the time in the EPJ.
        raise BookingError(_("Timebestillingen kunne ikke sendes. Prøv igjen senere."))
    return reason


def _bookable_online(timebook: Timebook, slot_id: int) -> bool:
    """A practitioner's slot that exists but whose time type is not for the internet (source 004) is refused;
    a slot that is not in the timebook at all is left to the claim, which says so."""
    if timebook.kind != Timebook.Kind.PRACTITIONER:
        return True
    in_book = Slot.objects.filter(pk=slot_id, timebook=timebook)
    return bookable_slots(in_book, timebook).exists() or not in_book.exists()


def behandler_for(timebook: Timebook, chosen: Practitioner | None) -> Practitioner | None:
    """Whom the appointment is with: in a fastlege's timebook the behandler chosen under «Velg behandler» (source
    003, step 6) while still listed, or the fastlege when none was chosen; at a resource timebook no one."""
    if timebook.kind != Timebook.Kind.PRACTITIONER:
        return None
    listed = behandlere(timebook)
    if chosen is None:
        return listed[0] if listed else timebook.practitioner
    if chosen not in listed:
        raise BookingError(_("Behandleren du valgte kan ikke lenger velges. Velg behandler på nytt."))
    return chosen


def _claim(
    *,
    person: Citizen,
    booked_by: Citizen,
    timebook: Timebook,
    slot_id: int,
    reason: str,
    key: uuid.UUID,
    behandler: Practitioner | None,
) -> Appointment:
    """Inside the transaction, under the person's lock: the limit, the slot (free → held), the appointment."""
    now = timezone.now()
    active = active_count(person, timebook)
    if active >= booking_limit(timebook):
        raise BookingError(texts.booking_limit_reached(active))
    # The calendar's rules (a practitioner's time types online, Hastetime only when allowed), asked apart:
    # the claim stays a plain conditional UPDATE on the slot's own row, without a join in its WHERE.
    if not _bookable_online(timebook, slot_id):
        raise BookingError(_("Timen kan ikke bestilles på nett. Velg en annen time i kalenderen."))
    # The person's own hold on the slot becomes the claim: it cannot lose. Otherwise the slot must be free.
    if not hold_claim(person=person, timebook=timebook, slot_id=slot_id, now=now):
        free = Slot.objects.filter(pk=slot_id, timebook=timebook, state=Slot.State.FREE, start__gt=now)
        claimed = claim_rows(free, state=Slot.State.HELD)
        if claimed != 1:
            raise _NotClaimed
    # The person's hold on another slot in the timebook, if any, ends: they chose this one.
    hold_release(person=person, timebook=timebook)
    slots_changed(timebook.pk)
    appointment = Appointment.objects.create(
        slot_id=slot_id,
        citizen=person,
        booked_by=booked_by,
        reason=reason,
        idempotency_key=key,
        created_at=now,
        behandler=behandler,
    )
    appointment_record(appointment, "create", appointment.status)
    if timebook.confirmation == Timebook.Confirmation.AUTOMATIC:
        # A broker that is down must not fail the request: ``confirmations_sweep`` confirms it later.
        appointment_confirm_task.delay_on_commit(appointment.pk)
    return appointment


def appointment_request(
    *,
    person: Citizen,
    booked_by: Citizen,
    timebook: Timebook,
    slot_id: int,
    reason: str,
    idempotency_key: uuid.UUID,
    can_reserve: bool = True,
    other_municipality: bool = False,
    behandler: Practitioner | None = None,
) -> RequestOutcome:
    """Send a booking: claim the slot (free → held) and create the requested appointment.

    A repeated submit with the same idempotency key returns the first appointment. Locks the booking
    person's citizen row first, with the lock timeout (so one person's concurrent bookings cannot exceed
    the timebook's limit), then claims the slot with a conditional update. The EPJ's confirmation is queued
    after commit. ``behandler``: whom the person chose under «Velg behandler» (a fastlege's timebook). Refused
    (the limit, a time not for the internet), the person's hold in the timebook ends at once.
    """
    if (replayed := _replay(idempotency_key, booked_by)) is not None:
        return replayed
    reason = appointment_request_check(
        person=person, timebook=timebook, reason=reason, can_reserve=can_reserve, other_municipality=other_municipality
    )
    behandler = behandler_for(timebook, behandler)
    try:
        with transaction.atomic():
            lock_rows(Citizen.objects.filter(pk=person.pk))
            # Under the lock, look again: the same form sent twice at once is one request, and the second
            # click must get the first one's answer, not «you already have a booking».
            if (replayed := _replay(idempotency_key, booked_by)) is not None:
                return replayed
            appointment = _claim(
                person=person,
                booked_by=booked_by,
                timebook=timebook,
                slot_id=slot_id,
                reason=reason,
                key=idempotency_key,
                behandler=behandler,
            )
    except BookingError:
        # Refused: the slot the person held for this send is free for others now, not when the hold runs out.
        hold_release(person=person, timebook=timebook)
        raise
    except (IntegrityError, _NotClaimed) as exc:
        # A concurrent submit of the same form committed first (the key is unique), or took the slot.
        if (replayed := _replay(idempotency_key, booked_by)) is not None:
            return replayed
        if isinstance(exc, IntegrityError):
            raise
        # Outside the transaction: say why, and find the nearest free times, without holding the lock.
        raise _why_not_claimed(timebook, slot_id) from None
    return RequestOutcome(appointment, created=True)


def _why_not_claimed(timebook: Timebook, slot_id: int) -> BookingError:
    now: dt.datetime = timezone.now()
    slot = Slot.objects.filter(pk=slot_id, timebook=timebook).first()
    if slot is None:
        return BookingError(_("Timen finnes ikke i denne timeboken. Velg en time i kalenderen."))
    if slot.start <= now:
        return BookingError(_("Tidspunktet har passert. Velg en annen time."))
    return SlotTaken(nearest_free_slots(timebook, slot.start, location=slot.location))
