"""Writes about citizens: the test login's test person, and consent to digital contact."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

import audit
from addressregistry.models import Organisation
from core.national_id import parse_national_id

from .models import Citizen

# A new test person is «Testperson» with one of these, picked at random: a name made from the number (its last
# five digits, once) would give back the digits that the admin and the outbox mask.
TEST_SURNAMES = (
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Berg",
    "Haugen",
)


def citizen_for_test_login(*, number: str) -> Citizen:
    """An existing test person, or a new one for a valid synthetic number (like a test environment of
    ID-porten; a real-format number only with ``ALLOW_REAL_NATIONAL_IDS``).

    Raises ``ValidationError`` with Norwegian messages for a number that is not a valid fødselsnummer or
    D-number, or is not a synthetic test number.
    """
    parsed = parse_national_id(number, synthetic_only=not settings.ALLOW_REAL_NATIONAL_IDS)
    citizen = Citizen.objects.filter(national_id=parsed.number).select_related("user").first()
    if citizen is not None:
        return citizen
    municipality = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).order_by("her_id").first()
    if municipality is None:
        raise ValidationError(_("Simulatoren har ingen kommune ennå. Kjør «python manage.py seed_demo» først."))
    last_name = secrets.choice(TEST_SURNAMES)
    try:
        with transaction.atomic():
            # Neither the name nor the username carries any of the number.
            user = get_user_model().objects.create_user(
                username=f"innbygger-{uuid.uuid4().hex[:12]}", first_name="Testperson", last_name=last_name
            )
            return Citizen.objects.create(
                user=user,
                national_id=parsed.number,
                first_name="Testperson",
                last_name=last_name,
                municipality=municipality,
            )
    except IntegrityError:
        # Two first logins with one new number at once (a double click): the other made the person; this one
        # logs in as them (the unique number decides, and the loser's user row went with its transaction).
        return Citizen.objects.select_related("user").get(national_id=parsed.number)


def citizen_consent_set(*, citizen: Citizen, consent: bool) -> bool:
    """Give or withdraw the citizen's consent to digital contact (source 004: without it no dialogue can be sent
    to them, and no portal notification of an appointment). One conditional UPDATE, so two clicks at once change
    it and record it once; locks nothing. Returns whether it changed."""
    with transaction.atomic():
        changed = Citizen.objects.filter(pk=citizen.pk, digital_contact_consent=not consent).update(
            digital_contact_consent=consent
        )
        if changed:
            what = "Ga samtykke" if consent else "Trakk samtykke"
            audit.record("update", "citizen", citizen.pk, summary=f"{what} til digital kontakt")
    citizen.digital_contact_consent = consent
    return bool(changed)
