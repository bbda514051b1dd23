"""Holding a slot while the citizen reviews it (issue 15, «Fair: nobody loses twice»).

Opening «Se gjennom før du sender» for a free slot holds it for the person for ``HOLD_SECONDS``: the slot's state
becomes ``on_hold`` (no one else is offered it) and a ``SlotHold`` row says whose it is until when. «Send
bestilling» on one's own hold cannot lose. The person holds at most one slot per timebook (a unique key): holding
another releases the first. A citizen who finds their slot taken is given the nearest free slot, held for them in
the same request: ``SELECT … FOR UPDATE SKIP LOCKED`` lets a crowd of losers each take a different one without
waiting for each other. Expired holds are freed by a periodic sweep, and by anyone who needs the slot first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

import audit
from citizens.models import Citizen
from core import formatting as fmt
from core.limits import HOLD_SECONDS
from inbox.models import InboxMessage
from inbox.services import message_write
from resourcebooks.freshness import slots_changed
from resourcebooks.models import Location, Slot, Timebook

from ..gp_selectors import bookable_slots
from ..models import SlotHold


@dataclass(frozen=True)
class Held:
    hold: SlotHold
    slot: Slot


def _end(slot_ids: list[int], timebook_ids: set[int]) -> int:
    """End the holds on these slots: the slots are free again and each timebook's calendar is told (in the
    caller's transaction). Every way a hold ends but booking comes through here."""
    if not slot_ids:
        return 0
    SlotHold.objects.filter(slot_id__in=slot_ids).delete()
    Slot.objects.filter(pk__in=slot_ids, state=Slot.State.ON_HOLD).update(state=Slot.State.FREE)
    for timebook_id in timebook_ids:
        slots_changed(timebook_id)
    return len(slot_ids)


def _free(holds: QuerySet[SlotHold]) -> int:
    ended = list(holds.values_list("slot_id", "timebook_id"))
    return _end([s for s, _ in ended], {t for _, t in ended})


def _release_slots(timebook: Timebook, slot_ids: list[int]) -> int:
    return _end(slot_ids, {timebook.pk})


def _expire(slot_ids: list[int], now: dt.datetime) -> int:
    """Free the given slots' holds that have run out (in the caller's transaction)."""
    return _free(SlotHold.objects.filter(slot_id__in=slot_ids, until__lte=now))


def hold_release(*, person: Citizen, timebook: Timebook, keep_slot_id: int | None = None) -> int:
    """End the person's hold in the timebook (they left the flow, or chose another slot); the slot is free again."""
    with transaction.atomic(savepoint=False):
        return _release(person, timebook, keep_slot_id)


def _release(person: Citizen, timebook: Timebook, keep_slot_id: int | None = None) -> int:
    """``hold_release`` in the caller's transaction: one query when there is nothing to release."""
    holds = SlotHold.objects.filter(citizen=person, timebook=timebook)
    if keep_slot_id is not None:
        holds = holds.exclude(slot_id=keep_slot_id)
    return _free(holds)


def _create(person: Citizen, held_by: Citizen, timebook: Timebook, slot: Slot, now: dt.datetime) -> SlotHold:
    until = now + dt.timedelta(seconds=HOLD_SECONDS)
    hold = SlotHold.objects.create(
        slot=slot, timebook=timebook, citizen=person, held_by=held_by, created_at=now, until=until
    )
    slots_changed(timebook.pk)
    audit.record("create", "slothold", hold.pk, organisation_her_id=None, summary=f"{slot} holdt av")
    return hold


def slot_hold(
    *, person: Citizen, held_by: Citizen, timebook: Timebook, slot_id: int, now: dt.datetime | None = None
) -> Held | None:
    """Hold ``slot_id`` for the person, or keep (and renew) a hold on it that is theirs or was opened by the same
    citizen (a parent who switched to acting for their child); None if it is not free for them."""
    now = now or timezone.now()
    until = now + dt.timedelta(seconds=HOLD_SECONDS)
    with transaction.atomic():
        # One read for both questions (is the slot already mine; what else do I hold here): reopening the page
        # is what a citizen in a rush does most, and it then costs this read and one UPDATE.
        rows = list(
            SlotHold.objects.filter(
                Q(citizen=person, timebook=timebook)
                | Q(slot_id=slot_id, citizen=person)
                | Q(slot_id=slot_id, held_by=held_by)
            ).select_related("slot__location", "slot__time_type")
        )
        mine = next((h for h in rows if h.slot_id == slot_id), None)
        if mine is not None:
            others = [h.slot_id for h in rows if h.slot_id != slot_id and h.citizen_id == person.pk]
            _release_slots(timebook, others)
            SlotHold.objects.filter(pk=mine.pk).update(citizen=person, held_by=held_by, until=until)
            mine.citizen, mine.held_by, mine.until = person, held_by, until
            return Held(mine, mine.slot)
        _expire([slot_id], now)
        _release_slots(
            timebook, [h.slot_id for h in rows if h.citizen_id == person.pk and h.timebook_id == timebook.pk]
        )
        candidates = bookable_slots(Slot.objects.filter(pk=slot_id, timebook=timebook), timebook)
        if not candidates.filter(state=Slot.State.FREE, start__gt=now).exists():
            return None
        if Slot.objects.filter(pk=slot_id, state=Slot.State.FREE).update(state=Slot.State.ON_HOLD) != 1:
            return None
        slot = Slot.objects.select_related("location", "time_type").get(pk=slot_id)
        return Held(_create(person, held_by, timebook, slot, now), slot)


def hold_nearest(
    *, person: Citizen, held_by: Citizen, timebook: Timebook, around: dt.datetime, location: Location | None
) -> Held | None:
    """Hold the free slot nearest after ``around`` (else the nearest before) for the person, skipping slots another
    transaction is taking this very moment: two losers never get the same one, and neither waits."""
    now = timezone.now()
    free = bookable_slots(Slot.objects.filter(timebook=timebook, state=Slot.State.FREE, start__gt=now), timebook)
    if location is not None:
        free = free.filter(location=location)
    for chosen in (free.filter(start__gte=around).order_by("start"), free.filter(start__lt=around).order_by("-start")):
        try:
            with transaction.atomic():
                _release(person, timebook)
                slot = chosen.select_for_update(skip_locked=True, of=("self",)).first()
                if slot is None:
                    continue
                Slot.objects.filter(pk=slot.pk).update(state=Slot.State.ON_HOLD)
                slot = Slot.objects.select_related("location", "time_type").get(pk=slot.pk)
                return Held(_create(person, held_by, timebook, slot, now), slot)
        except IntegrityError:  # the person's own other request held one in between: theirs stands
            return None
    return None


def hold_claim(*, person: Citizen, timebook: Timebook, slot_id: int, now: dt.datetime) -> bool:
    """Inside «Send bestilling»'s transaction: turn the person's own hold on the slot into the claim (on_hold →
    held for the appointment). True if it was theirs; False leaves the ordinary claim of a free slot to the caller,
    after freeing an expired hold of someone else's on it."""
    hold = SlotHold.objects.filter(slot_id=slot_id).values("pk", "citizen_id", "until").first()
    if hold is None:
        return False
    if hold["citizen_id"] != person.pk:
        if hold["until"] <= now:
            _expire([slot_id], now)
        return False
    SlotHold.objects.filter(pk=hold["pk"]).delete()
    if Slot.objects.filter(pk=slot_id, state=Slot.State.ON_HOLD, start__gt=now).update(state=Slot.State.HELD):
        return True
    Slot.objects.filter(pk=slot_id, state=Slot.State.ON_HOLD).update(state=Slot.State.FREE)  # it has passed
    return False


def holds_sweep(now: dt.datetime | None = None) -> int:
    """The periodic job: free every hold that has run out."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = list(
            SlotHold.objects.select_for_update(skip_locked=True)
            .filter(until__lte=now)
            .values_list("slot_id", flat=True)[:1000]
        )
        return _expire(expired, now)


def holds_withdrawn(slot_ids: list[int]) -> int:
    """The clinic withdrew slots that citizens were holding (registered with ``resourcebooks.services`` in
    ``apps.py``, run in the withdrawal's transaction): the holds end and each holder is told in Innboks, so that
    the page they are looking at is not the first they hear of it."""
    holds = list(SlotHold.objects.filter(slot_id__in=slot_ids).select_related("slot__timebook__service__organisation"))
    SlotHold.objects.filter(pk__in=[h.pk for h in holds]).delete()
    for hold in holds:
        slot, timebook = hold.slot, hold.slot.timebook
        organisation = timebook.service.organisation
        when = fmt.appointment_moment(slot.start, lang="nb")
        message_write(
            citizen=hold.citizen,
            kind=InboxMessage.Kind.HOLD_WITHDRAWN,
            sender=organisation.name,
            subject="Timen du holdt av er trukket tilbake",
            body=(
                f"Timen {when} i {timebook.name} som du holdt av, er trukket tilbake av {organisation.name}. "
                "Velg en annen time under Timeavtaler og Bestill time."
            ),
        )
    return len(holds)
