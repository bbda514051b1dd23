"""Holding a slot while the citizen reviews it (issue 15, «Fair: nobody loses twice»).

Opening «Se gjennom før du sender» for a free slot holds it for the person for ``HOLD_SECONDS``: the slot's state
becomes ``on_hold`` (no one else is offered it) and a ``SlotHold`` row says whose it is until when. «Send
bestilling» on one's own hold cannot lose. A citizen who finds their slot taken is given the nearest free slot, held
for them in the same request: ``SELECT … FOR UPDATE SKIP LOCKED`` lets a crowd of losers each take a different one
without waiting for each other. Expired holds are freed by a periodic sweep, and by anyone who needs the slot first.

What one login may hold (issue 20): the person holds at most one slot per timebook, and so does the login whoever
it acts for (both unique keys), and the login ``HOLDS_PER_LOGIN_MAX`` in all; taking one more ends the oldest, so a
parent can still book for each child one after the other. Reopening the page renews a hold, never past
``HOLD_MAX_SECONDS`` from its first taking (a check constraint); after that the same login cannot hold that slot
again for ``HOLD_SECONDS`` (remembered in the cache; with Redis down only the cap on the row applies), while it
stays free for everyone and the login may still send. Every change to a person's or a login's holds first locks
both citizen rows, so that parallel opens of one page see each other's hold instead of racing for the keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

import audit
from citizens.models import Citizen
from core import formatting as fmt
from core.limits import HOLD_MAX_SECONDS, HOLD_SECONDS, HOLDS_PER_LOGIN_MAX
from core.locking import claim_rows, lock_rows
from inbox.models import InboxMessage
from inbox.services import message_write
from resourcebooks.freshness import slots_changed
from resourcebooks.models import Location, Slot, Timebook

from ..gp_selectors import bookable_slots
from ..models import SlotHold

# How long a login's first taking of a slot is remembered: its cap, then as long again as one hold lasts.
TAKEN_MEMORY_SECONDS = HOLD_MAX_SECONDS + HOLD_SECONDS


def hold_cap(created_at: dt.datetime) -> dt.datetime:
    """The latest a hold first taken at ``created_at`` may last, however often the page is reopened."""
    return created_at + dt.timedelta(seconds=HOLD_MAX_SECONDS)


@dataclass(frozen=True)
class Held:
    hold: SlotHold
    slot: Slot

    @property
    def final(self) -> bool:
        """Renewed as far as it goes: reopening the page no longer extends it."""
        return self.hold.until >= hold_cap(self.hold.created_at)


@dataclass(frozen=True)
class Spent:
    """The login has held this slot as long as a hold may last, lately: it is free for everyone, and not held for
    them again until ``TAKEN_MEMORY_SECONDS`` after their first taking."""


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


def _expire(slot_ids: list[int], now: dt.datetime) -> int:
    """Free the given slots' holds that have run out (in the caller's transaction)."""
    return _free(SlotHold.objects.filter(slot_id__in=slot_ids, until__lte=now))


def _lock(person: Citizen, held_by: Citizen) -> list[SlotHold]:
    """Lock the person's and the login's citizen rows, in id order and with the lock timeout (``appointment_request``
    locks the person's row too), and read every hold of either: at most a few rows."""
    lock_rows(Citizen.objects.filter(pk__in={person.pk, held_by.pk}).order_by("pk"))
    holds = SlotHold.objects.filter(Q(citizen=person) | Q(held_by=held_by))
    return list(holds.select_related("slot__location", "slot__time_type"))


def _make_room(held_by: Citizen, timebook: Timebook, others: list[SlotHold]) -> None:
    """Before the login holds (or keeps) a slot in the timebook: end the person's and the login's other holds in it,
    and the login's oldest holds elsewhere beyond ``HOLDS_PER_LOGIN_MAX``. ``others`` are the holds ``_lock`` read
    but the one kept."""
    here = [h for h in others if h.timebook_id == timebook.pk]
    elsewhere = sorted(
        (h for h in others if h.held_by_id == held_by.pk and h.timebook_id != timebook.pk),
        key=lambda h: (h.created_at, h.pk),
    )
    ended = here + elsewhere[: max(0, len(elsewhere) - (HOLDS_PER_LOGIN_MAX - 1))]
    _end([h.slot_id for h in ended], {h.timebook_id for h in ended})


def _taken_key(held_by: Citizen) -> str:
    return f"booking:holds-taken:{held_by.pk}"


def _first_takings(held_by: Citizen, now: dt.datetime) -> dict[int, float]:
    """When the login first took each slot it held lately (slot id → POSIX time)."""
    taken = cache.get(_taken_key(held_by)) or {}
    horizon = now.timestamp() - TAKEN_MEMORY_SECONDS
    return {slot_id: first for slot_id, first in taken.items() if first > horizon}


def _spent(first: float | None, now: dt.datetime) -> bool:
    """Whether a slot the login first took at ``first`` is past its cap but not yet forgotten."""
    return first is not None and first + HOLD_MAX_SECONDS <= now.timestamp() < first + TAKEN_MEMORY_SECONDS


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


def _create(
    person: Citizen, held_by: Citizen, timebook: Timebook, slot: Slot, now: dt.datetime, taken: dict[int, float]
) -> SlotHold:
    """A new hold; if the login held this slot lately, it counts from that first taking."""
    first = taken.get(slot.pk)
    created = min(now, dt.datetime.fromtimestamp(first, tz=dt.UTC)) if first is not None else now
    until = min(now + dt.timedelta(seconds=HOLD_SECONDS), hold_cap(created))
    hold = SlotHold.objects.create(
        slot=slot, timebook=timebook, citizen=person, held_by=held_by, created_at=created, until=until
    )
    if first is None:
        cache.set(_taken_key(held_by), taken | {slot.pk: now.timestamp()}, TAKEN_MEMORY_SECONDS)
    slots_changed(timebook.pk)
    audit.record("create", "slothold", hold.pk, organisation_her_id=None, summary=f"{slot} holdt av")
    return hold


def _renew(mine: SlotHold, person: Citizen, held_by: Citizen, now: dt.datetime) -> Held:
    until = min(now + dt.timedelta(seconds=HOLD_SECONDS), hold_cap(mine.created_at))
    SlotHold.objects.filter(pk=mine.pk).update(citizen=person, held_by=held_by, until=until)
    mine.citizen, mine.held_by, mine.until = person, held_by, until
    return Held(mine, mine.slot)


def slot_hold(
    *, person: Citizen, held_by: Citizen, timebook: Timebook, slot_id: int, now: dt.datetime | None = None
) -> Held | Spent | None:
    """Hold ``slot_id`` for the person, or keep (and renew, up to its cap) a hold on it that is theirs or was opened
    by the same login (a parent who switched to acting for their child); ``Spent`` if the login has held it as
    long as it may; None if it is not free for them. Locks the person's and the login's citizen rows."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = _lock(person, held_by)
        mine = next((h for h in rows if h.slot_id == slot_id), None)
        others = [h for h in rows if h is not mine]
        if mine is not None and now < hold_cap(mine.created_at):
            _make_room(held_by, timebook, others)
            return _renew(mine, person, held_by, now)
        if mine is not None:  # it has run its full time: free for everyone
            _end([slot_id], {mine.timebook_id})
        _expire([slot_id], now)
        candidates = bookable_slots(Slot.objects.filter(pk=slot_id, timebook=timebook), timebook)
        if not candidates.filter(state=Slot.State.FREE, start__gt=now).exists():
            return None
        taken = _first_takings(held_by, now)
        # The row that ran its full time says when it was first taken, also with the cache down.
        if _spent(taken.get(slot_id, mine.created_at.timestamp() if mine is not None else None), now):
            return Spent()
        _make_room(held_by, timebook, others)
        if claim_rows(Slot.objects.filter(pk=slot_id, state=Slot.State.FREE), state=Slot.State.ON_HOLD) != 1:
            return None
        slot = Slot.objects.select_related("location", "time_type").get(pk=slot_id)
        return Held(_create(person, held_by, timebook, slot, now, taken), slot)


def hold_nearest(
    *, person: Citizen, held_by: Citizen, timebook: Timebook, around: dt.datetime, location: Location | None
) -> Held | None:
    """Hold the free slot nearest after ``around`` (else the nearest before) for the person, skipping slots another
    transaction is taking this very moment (two losers never get the same one, and neither waits) and slots the
    login has held as long as it may. Locks the person's and the login's citizen rows."""
    now = timezone.now()
    free = bookable_slots(Slot.objects.filter(timebook=timebook, state=Slot.State.FREE, start__gt=now), timebook)
    if location is not None:
        free = free.filter(location=location)
    with transaction.atomic():
        rows = _lock(person, held_by)
        taken = _first_takings(held_by, now)
        free = free.exclude(pk__in=[slot_id for slot_id, first in taken.items() if _spent(first, now)])
        for chosen in (
            free.filter(start__gte=around).order_by("start"),
            free.filter(start__lt=around).order_by("-start"),
        ):
            slot = chosen.select_for_update(skip_locked=True, of=("self",)).first()
            if slot is None:
                continue
            _make_room(held_by, timebook, rows)
            Slot.objects.filter(pk=slot.pk).update(state=Slot.State.ON_HOLD)
            slot = Slot.objects.select_related("location", "time_type").get(pk=slot.pk)
            return Held(_create(person, held_by, timebook, slot, now, taken), slot)
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
