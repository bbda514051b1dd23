"""Reads of holds: what the clinic's day and week views show of a slot held for a citizen (issue 15)."""

from __future__ import annotations

from django.utils import timezone

from resourcebooks.models import Slot
from resourcebooks.selectors import SlotBooking

from .models import SlotHold


def hold_bookings(slots: list[Slot]) -> dict[int, SlotBooking]:
    """«Holdt av til kl. 11:23» on each held slot, with whom it is held for (registered in ``apps.py``)."""
    held = [s.pk for s in slots if s.state == Slot.State.ON_HOLD]
    if not held:
        return {}
    result = {}
    for hold in SlotHold.objects.filter(slot_id__in=held).select_related("citizen"):
        until = timezone.localtime(hold.until)
        who = f"{hold.citizen.full_name} ({hold.citizen.masked_national_id})"
        result[hold.slot_id] = SlotBooking(who=who, reason="–", status=f"Holdt av til kl. {until:%H:%M}")
    return result


def hold_of(person_id: int, slot: Slot) -> SlotHold | None:
    """The person's own live hold on the slot, if any: what «Se gjennom før du sender» says again when the form
    comes back with an error (a read; only opening the page takes or renews a hold)."""
    return SlotHold.objects.filter(slot=slot, citizen_id=person_id, until__gt=timezone.now()).first()
