"""Writes to the Adresseregisteret. Each service owns its transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

import audit
from core.locking import lock_rows

from .diagnosis import setup_changed
from .models import ProcessChange, Service, ServiceProcess

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _label_for(user: User | None, fallback: str) -> str:
    if user is None:
        return fallback
    full_name = getattr(user, "get_full_name", lambda: "")()
    return full_name or user.get_username()


def service_process_set(
    *,
    service: Service,
    process: str,
    active: bool,
    changed_by: User | None,
    changed_by_label: str = "system",
    note: str = "",
) -> ProcessChange | None:
    """Switch one process on or off for a service and record the change in its history.

    Locks the service row (``SELECT … FOR UPDATE``, waiting at most the lock timeout) so that two support
    users switching the same service are serialised and the history always ends in the state that is
    stored. Returns the history row, or None when the process already was in that state (nothing is
    written). The change is in the audit trail.
    """
    if process not in ServiceProcess.Process.values:
        raise ValidationError(f"Ukjent prosess: {process!r}.")
    with transaction.atomic():
        lock_rows(Service.objects.filter(pk=service.pk))
        row, _created = ServiceProcess.objects.get_or_create(
            service=service, process=process, defaults={"active": False}
        )
        if row.active == active:
            return None
        row.active = active
        row.save(update_fields=["active"])
        # Now, not on commit: a rolled-back change only costs the portal one recomputed diagnosis.
        setup_changed()
        change = ProcessChange.objects.create(
            service=service,
            process=process,
            active=active,
            changed_by=changed_by if changed_by is not None and changed_by.pk else None,
            changed_by_label=_label_for(changed_by, changed_by_label),
            note=note,
        )
        audit.record(
            "update",
            "ar_service",
            service.her_id,
            organisation_her_id=service.organisation.her_id,
            summary=f"{change.get_process_display()} {'på' if active else 'av'}",
        )
        return change


def service_processes_apply(
    *,
    service: Service,
    active: Iterable[str],
    changed_by: User | None,
    changed_by_label: str = "system",
    note: str = "",
) -> list[ProcessChange]:
    """Make exactly ``active`` the processes that are on; every other known process is switched off.

    One transaction around ``service_process_set`` calls (which lock the service row). Only real
    changes are recorded, so applying the same set twice writes nothing.
    """
    wanted = set(active)
    unknown = wanted - set(ServiceProcess.Process.values)
    if unknown:
        raise ValidationError(f"Ukjente prosesser: {', '.join(sorted(unknown))}.")
    changes = []
    with transaction.atomic():
        for process in ServiceProcess.Process.values:
            change = service_process_set(
                service=service,
                process=process,
                active=process in wanted,
                changed_by=changed_by,
                changed_by_label=changed_by_label,
                note=note,
            )
            if change is not None:
                changes.append(change)
    return changes
