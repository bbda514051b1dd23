"""Writes of the GP office's side (source 004, «Ved ferie og fravær»): setting and removing a vikar on a fastlege.

The patient is not told: «Merk at det ikke vil synes for pasienten at fastlegen har vikar når timen bestilles.»
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

import audit

from .models import Practitioner, VikarAssignment


def vikar_refusal(fastlege: Practitioner, vikar: Practitioner) -> str:
    """Why ``vikar`` cannot be set on ``fastlege``, or "" (the one place the rule lives; forms call it too)."""
    if fastlege.role != Practitioner.Role.FASTLEGE:
        return "Vikar kan bare settes på en fastlege."
    if vikar.pk == fastlege.pk or vikar.organisation_id != fastlege.organisation_id:
        return "Vikaren må være en annen behandler ved samme legekontor."
    if vikar.role == Practitioner.Role.LIS1:
        return "En LIS1 kan ikke settes som vikar for fastlege på Helsenorge."
    return ""


def vikar_set(
    *, fastlege: Practitioner, vikar: Practitioner, valid_from: dt.date, valid_to: dt.date | None = None
) -> VikarAssignment:
    """Set ``vikar`` on ``fastlege`` for the period; the vikar then books into the fastlege's timebook. Setting the
    same vikar again replaces the earlier (not removed) assignment's period."""
    if refusal := vikar_refusal(fastlege, vikar):
        raise ValidationError(refusal)
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": "Til-datoen kan ikke være før fra-datoen."})
    with transaction.atomic():
        assignment, _ = VikarAssignment.objects.update_or_create(
            fastlege=fastlege,
            vikar=vikar,
            removed_at=None,
            defaults={"valid_from": valid_from, "valid_to": valid_to},
        )
        audit.record(
            "update",
            "practitioner",
            fastlege.pk,
            organisation_her_id=fastlege.organisation.her_id,
            summary=f"Satte {vikar.display_name} som vikar for {fastlege.display_name}",
        )
    return assignment


def vikar_remove(*, fastlege: Practitioner) -> int:
    """Remove every vikar set on ``fastlege`` («Når du er tilbake: … vikaren fjernes fra ansattkortet»). The rows
    are kept with ``removed_at``. Returns how many were removed."""
    with transaction.atomic():
        count = VikarAssignment.objects.filter(fastlege=fastlege, removed_at__isnull=True).update(
            removed_at=timezone.now()
        )
        if count:
            audit.record(
                "update",
                "practitioner",
                fastlege.pk,
                organisation_her_id=fastlege.organisation.her_id,
                summary=f"Fjernet {count} vikar(er) for {fastlege.display_name}",
            )
    return count
