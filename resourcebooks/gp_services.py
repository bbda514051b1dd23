"""Writes of the GP office's side (source 004, «Ved ferie og fravær»): setting and removing a vikar on a fastlege.

Whether the patient sees the vikar under «Velg behandler» is the office's ``ClinicSettings.vikar_solution``: source
003 lists «(vikar for fastlege)» there; source 004's journal system does not support it («Merk at det ikke vil
synes for pasienten at fastlegen har vikar når timen bestilles.»).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

import audit
from core.locking import lock_rows

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


def vikar_remove(*, fastlege: Practitioner, assignment_ids: Collection[int] | None = None) -> int:
    """Remove vikarer set on ``fastlege`` (source 004, «Når du er tilbake»: «Hvis du som fastlege hadde vikar, må
    vikaren fjernes fra ansattkortet ditt»): the assignments named, or every one when none are named. Another
    fastlege's assignment among the ids is not touched. The rows are kept with ``removed_at``. Locks the
    assignments removed (so two removals at once name each vikar once in the audit trail). Returns how many
    were removed."""
    with transaction.atomic():
        active = VikarAssignment.objects.filter(fastlege=fastlege, removed_at__isnull=True)
        if assignment_ids is not None:
            active = active.filter(pk__in=list(assignment_ids))
        chosen = lock_rows(active.order_by("pk"))
        count = VikarAssignment.objects.filter(pk__in=[a.pk for a in chosen]).update(removed_at=timezone.now())
        vikarer = Practitioner.objects.in_bulk([a.vikar_id for a in chosen])
        for assignment in chosen:
            audit.record(
                "update",
                "practitioner",
                fastlege.pk,
                organisation_her_id=fastlege.organisation.her_id,
                summary=f"Fjernet {vikarer[assignment.vikar_id].display_name} som vikar for {fastlege.display_name}",
            )
    return count
