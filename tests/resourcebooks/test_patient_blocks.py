"""Patient blocks (sperring) in the clinic admin."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from addressregistry.models import Organisation
from resourcebooks.models import PatientBlock
from tests.factories import PatientBlockFactory

pytestmark = pytest.mark.django_db

SYNTHETIC = "17858010039"


@pytest.fixture
def lars(client):
    call_command("seed_demo", stdout=StringIO())
    assert client.login(username="legekontor-ansatt", password="legekontor-demo")
    return client


def test_staff_block_a_patient_with_reason_and_are_recorded_as_the_blocker(lars):
    office = Organisation.objects.get(name="Helsenorge testlegekontor")
    response = lars.post(
        reverse("admin:resourcebooks_patientblock_add"),
        {
            "organisation": office.pk,
            "national_id": SYNTHETIC,
            "reason": "Misbruk av tjenesten",
            "blocked_on": "2026-11-22",
        },
    )
    assert response.status_code == 302
    block = PatientBlock.objects.get(national_id=SYNTHETIC)
    assert block.blocked_by.username == "legekontor-ansatt"
    assert block.reason == "Misbruk av tjenesten"
    listing = lars.get(reverse("admin:resourcebooks_patientblock_changelist")).content.decode()
    assert "178580 *****" in listing
    assert SYNTHETIC not in listing  # the full number is not shown in the list


def test_a_wrong_check_digit_gets_a_clear_message_and_blocks_nobody(lars):
    office = Organisation.objects.get(name="Helsenorge testlegekontor")
    response = lars.post(
        reverse("admin:resourcebooks_patientblock_add"),
        {"organisation": office.pk, "national_id": "17858010038", "reason": "x", "blocked_on": "2026-11-22"},
    )
    assert "kontrollsifrene stemmer ikke" in " ".join(response.context["adminform"].form.errors["national_id"])
    assert not PatientBlock.objects.filter(national_id="17858010038").exists()


def test_a_patient_is_blocked_once_per_organisation():
    block = PatientBlockFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PatientBlock.objects.create(organisation=block.organisation, national_id=block.national_id, reason="igjen")
    PatientBlockFactory(national_id=block.national_id)  # another organisation may block the same person
