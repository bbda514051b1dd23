from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = "Timebestilling"

    def ready(self) -> None:
        """Booking's receivers of resourcebooks' ports (``resourcebooks/signals.py``)."""
        from resourcebooks.signals import holds_withdrawn, slot_bookings_asked

        from . import receivers

        # The clinic's day and week views (resourcebooks) show the appointment, or the hold, on a slot.
        slot_bookings_asked.connect(receivers.slot_bookings, dispatch_uid="booking.slot_bookings")
        # Withdrawing a slot a citizen holds ends the hold and tells them (issue 15).
        holds_withdrawn.connect(receivers.holds_withdrawn, dispatch_uid="booking.holds_withdrawn")
