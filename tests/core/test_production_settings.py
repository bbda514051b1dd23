"""Issue 11, finding 8: production refuses a guessable SECRET_KEY and a wildcard ALLOWED_HOSTS (each case is a
``manage.py check`` in a child process, as in ``test_settings``)."""

from __future__ import annotations

import pytest

from tests.core.test_settings import GOOD_KEY, manage


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("a" * 64, id="one-character-repeated"),
        pytest.param("abcd" * 16, id="four-different-characters"),
        pytest.param("django-insecure-" + GOOD_KEY, id="django-insecure-prefix"),
        pytest.param(GOOD_KEY[:49], id="49-characters"),
    ],
)
def test_production_refuses_a_guessable_secret_key(key):
    done = manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="sim.example.no", SECRET_KEY=key)

    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "SECRET_KEY must be a random value" in done.stderr


@pytest.mark.parametrize("hosts", ["*", "sim.example.no,*"])
def test_production_refuses_a_wildcard_in_allowed_hosts(hosts):
    done = manage("check", DJANGO_ENV="production", ALLOWED_HOSTS=hosts, SECRET_KEY=GOOD_KEY)

    assert done.returncode != 0
    assert "ALLOWED_HOSTS must name the site's hosts in production, not a wildcard" in done.stderr


def test_a_negative_trusted_proxy_count_names_the_variable():
    done = manage("check", TRUSTED_PROXY_COUNT="-1")

    assert done.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in done.stderr


def test_by_default_no_proxy_is_trusted_and_the_test_login_takes_synthetic_numbers_only():
    from django.conf import settings

    assert settings.TRUSTED_PROXY_COUNT == 0
    assert settings.ALLOW_REAL_NATIONAL_IDS is False
