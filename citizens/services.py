"""Writes about citizens: the test login's test person."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from addressregistry.models import Organisation
from core.national_id import parse_national_id

from .models import Citizen


def citizen_for_test_login(*, number: str) -> Citizen:
    """An existing test person, or a new one for a valid number (like a test environment of ID-porten).

    Raises ``ValidationError`` with Norwegian messages for a number that is not a valid fødselsnummer or
    D-number.
    """
    parsed = parse_national_id(number)
    citizen = Citizen.objects.filter(national_id=parsed.number).select_related("user").first()
    if citizen is not None:
        return citizen
    municipality = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).order_by("her_id").first()
    if municipality is None:
        raise ValidationError(_("Simulatoren har ingen kommune ennå. Kjør «python manage.py seed_demo» først."))
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=f"innbygger-{parsed.number}", first_name="Testperson", last_name=parsed.number[-5:]
        )
        return Citizen.objects.create(
            user=user,
            national_id=parsed.number,
            first_name="Testperson",
            last_name=parsed.number[-5:],
            municipality=municipality,
        )
