"""A username that differs from another user's only in case or in character form (``ａ`` for ``a``, capitals) is
refused, wherever a user is created or renamed: no two accounts share the name the login counts tries on."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.pages import text_of

LOOKALIKE = "bare skiller seg fra det i store og små bokstaver eller tegnvarianter"
User = get_user_model()


@pytest.fixture
def august(django_user_model):
    return django_user_model.objects.create_user(username="august-september", password="pw-august-123", is_staff=True)


@pytest.fixture
def per(django_user_model):
    return django_user_model.objects.create_user(username="per", password="pw-per-123", is_staff=True)


def change_data(username: str) -> dict[str, str]:
    return {
        "username": username,
        "first_name": "Per",
        "last_name": "Persen",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2025-01-02",
        "date_joined_1": "12:00:00",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["AUGUST-SEPTEMBER", "August-September", "ａugust-september", "ＡＵＧＵＳＴ－ＳＥＰＴＥＭＢＥＲ"]
)
def test_create_user_refuses_a_name_that_differs_only_in_case_or_character_form(august, name):
    with pytest.raises(ValidationError) as refused:
        User.objects.create_user(username=name, password="pw-ny-123")

    assert LOOKALIKE in " ".join(refused.value.messages)
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_create_user_still_takes_a_name_that_only_looks_similar_in_print(august):
    User.objects.create_user(username="august-september-2", password="pw-ny-123")

    assert User.objects.count() == 2


@pytest.mark.django_db
def test_a_user_saved_again_keeps_their_own_name(august):
    august.first_name = "August"
    august.save()

    august.refresh_from_db()
    assert august.first_name == "August"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["August-September", "ａugust-september"])
def test_renaming_a_user_in_the_admin_to_a_lookalike_name_is_refused_with_a_norwegian_message(
    admin_client, august, per, name
):
    response = admin_client.post(reverse("admin:auth_user_change", args=[per.pk]), change_data(name))

    assert response.status_code == 200
    assert LOOKALIKE in text_of(response)
    per.refresh_from_db()
    assert per.username == "per"


@pytest.mark.django_db
def test_renaming_a_user_in_the_admin_to_a_free_name_works(admin_client, august, per):
    response = admin_client.post(reverse("admin:auth_user_change", args=[per.pk]), change_data("per-persen"))

    assert response.status_code == 302
    per.refresh_from_db()
    assert per.username == "per-persen"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["AUGUST-SEPTEMBER", "ａugust-september"])
def test_adding_a_user_in_the_admin_with_a_lookalike_name_is_refused_with_a_norwegian_message(
    admin_client, august, name
):
    data = {"username": name, "usable_password": "false", "password1": "", "password2": ""}
    response = admin_client.post(reverse("admin:auth_user_add"), data)

    assert response.status_code == 200
    assert LOOKALIKE in text_of(response)
    assert not User.objects.filter(username__iexact="august-september").exclude(pk=august.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("name", ["AUGUST-SEPTEMBER", "ａugust-september"])
def test_the_database_refuses_a_lookalike_name_written_past_the_checks(august, per, name):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=per.pk).update(username=name)

    per.refresh_from_db()
    assert per.username == "per"
