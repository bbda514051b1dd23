from django.apps import AppConfig


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = "Dialoger"

    def ready(self) -> None:
        from booking.services.time_requests import TIME_REQUEST_HOOKS

        from .services.time_requests import dialogue_for_time_request

        if dialogue_for_time_request not in TIME_REQUEST_HOOKS:
            TIME_REQUEST_HOOKS.append(dialogue_for_time_request)
