from django.apps import AppConfig


class AddressRegistryConfig(AppConfig):
    name = "addressregistry"
    verbose_name = "Adresseregisteret"
