"""Django's own user (the project's citizens and staff log in as one)."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

# Test users who log in with force_login: an unusable password spares the slow hashing. (Force: factory_boy
# would otherwise hash an overriding value too.)
NO_PASSWORD = factory.Transformer.Force("!")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"bruker{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Bruker {n}")
    password = factory.django.Password("pw-test-123")
