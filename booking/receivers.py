"""Booking's receivers of the ports resourcebooks offers (``resourcebooks/signals.py``), connected in
``apps.py``."""

from __future__ import annotations

from resourcebooks.models import Slot
from resourcebooks.selectors import SlotBooking

from .hold_selectors import hold_bookings
from .selectors import appointment_bookings
from .services.holds import holds_withdrawn as end_withdrawn_holds


def slot_bookings(sender: object, *, slots: list[Slot], **kwargs: object) -> dict[int, SlotBooking]:
    """The active appointment on each slot, and the citizen holding a held one."""
    return appointment_bookings(slots) | hold_bookings(slots)


def holds_withdrawn(sender: object, *, slot_ids: list[int], **kwargs: object) -> None:
    end_withdrawn_holds(slot_ids)
