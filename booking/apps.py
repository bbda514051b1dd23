from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = "Timebestilling"

    def ready(self) -> None:
        # The clinic's day view (resourcebooks) shows who holds a slot without importing us.
        from resourcebooks.selectors import register_occupant_source

        from .selectors import slot_occupants

        register_occupant_source(slot_occupants)
