from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = "Timebestilling"

    def ready(self) -> None:
        # The clinic's day and week views (resourcebooks) show the appointment on a slot without importing us.
        from resourcebooks.selectors import register_booking_source

        from .hold_selectors import hold_bookings
        from .selectors import appointment_bookings

        register_booking_source(appointment_bookings)
        register_booking_source(hold_bookings)

        # Withdrawing a slot a citizen holds ends the hold and tells them (issue 15).
        from resourcebooks.services import HOLDS_WITHDRAWN_HOOKS

        from .services.holds import holds_withdrawn

        if holds_withdrawn not in HOLDS_WITHDRAWN_HOOKS:
            HOLDS_WITHDRAWN_HOOKS.append(holds_withdrawn)
