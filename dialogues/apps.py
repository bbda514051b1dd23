from django.apps import AppConfig


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = "Dialoger"

    def ready(self) -> None:
        """Dialogues' receiver of booking's port (``booking/signals.py``): a time request goes to the clinic's staff."""
        from booking.signals import time_request_sent

        from .services.time_requests import time_request_routed

        time_request_sent.connect(time_request_routed, dispatch_uid="dialogues.time_request_routed")
