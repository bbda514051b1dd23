from django.apps import AppConfig


class ResourceBooksConfig(AppConfig):
    name = "resourcebooks"
    verbose_name = "Ressurstimebøker"

    def ready(self) -> None:
        # The AR diagnosis lives in a lower app and cannot import ours; we answer its port with our timebooks.
        from addressregistry.signals import timebooks_asked

        from .selectors import timebooks_answered

        timebooks_asked.connect(timebooks_answered, dispatch_uid="resourcebooks.timebooks_answered")

        from django.db.models.signals import m2m_changed, post_delete, post_save

        from addressregistry.diagnosis import setup_changed

        from .models import Timebook

        def changed(**kwargs: object) -> None:
            setup_changed()

        # A timebook's name, type, online flag or time types change what the portal lists.
        post_save.connect(changed, sender=Timebook, weak=False, dispatch_uid="timebook-saved")
        post_delete.connect(changed, sender=Timebook, weak=False, dispatch_uid="timebook-deleted")
        m2m_changed.connect(changed, sender=Timebook.time_types.through, weak=False, dispatch_uid="timebook-types")
