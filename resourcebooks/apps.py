from django.apps import AppConfig


class ResourceBooksConfig(AppConfig):
    name = "resourcebooks"
    verbose_name = "Ressurstimebøker"
