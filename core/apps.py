from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_save


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Felles"

    def ready(self) -> None:
        from .usernames import refuse_lookalike_username

        pre_save.connect(refuse_lookalike_username, sender=settings.AUTH_USER_MODEL, dispatch_uid="core.usernames")
