"""Tests build their data one way: with the factories of ``tests/factories`` (issue 21, item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from factory.django import DjangoModelFactory

import tests.factories


def project_models() -> set[type]:
    """Every concrete model of an app of this repository (a package at its top level; not Django's, not a library's)."""
    root = Path(settings.BASE_DIR).resolve()
    return {
        model
        for model in apps.get_models()
        if Path(model._meta.app_config.path).resolve().parent == root
        and not model._meta.proxy
        and not model._meta.auto_created
    }


def factories() -> list[type[DjangoModelFactory]]:
    found = (getattr(tests.factories, name) for name in tests.factories.__all__)
    return [f for f in found if isinstance(f, type) and issubclass(f, DjangoModelFactory)]


@pytest.mark.django_db
def test_every_model_of_the_project_has_a_factory_that_makes_a_valid_row():
    made = {f._meta.model for f in factories()}
    missing = sorted(m._meta.label for m in project_models() - made)
    assert not missing, f"models without a factory in tests/factories: {missing}"
    invalid = {}
    for factory in factories():
        try:
            factory().full_clean(validate_unique=False)
        except ValidationError as error:
            invalid[factory.__name__] = error.message_dict
    assert not invalid, f"factories whose rows do not validate: {invalid}"
