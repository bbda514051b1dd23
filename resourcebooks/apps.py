from django.apps import AppConfig


class ResourceBooksConfig(AppConfig):
    name = "resourcebooks"
    verbose_name = "Ressurstimebøker"

    def ready(self) -> None:
        # The AR diagnosis lives in a lower app and cannot import ours; we tell it about our timebooks.
        from addressregistry.diagnosis import register_timebook_source

        from .selectors import timebook_facts_for_service

        register_timebook_source(timebook_facts_for_service)
