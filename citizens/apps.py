from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = "Innbyggere"
