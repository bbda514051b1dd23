"""The clinic admin's base: what «scoped to the staff user's organisations» means, and the audit hooks."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

import audit
from addressregistry.models import Organisation, Service
from core.admin_bases import ScopedAdmin

from ..models import (
    ClinicSettings,
    Location,
    PatientBlock,
    Practitioner,
    Slot,
    Timebook,
    TimebookListEntry,
    TimeType,
    VikarAssignment,
    WeekTemplate,
)
from ..selectors import organisations_for_staff

# How to get from each model to the organisation that owns it.
ORGANISATION_PATH: dict[type[models.Model], str] = {
    Organisation: "pk",
    Service: "organisation",
    Timebook: "service__organisation",
    TimeType: "organisation",
    Location: "organisation",
    WeekTemplate: "timebook__service__organisation",
    Slot: "timebook__service__organisation",
    PatientBlock: "organisation",
    TimebookListEntry: "timebook__service__organisation",
    Practitioner: "organisation",
    VikarAssignment: "fastlege__organisation",
    ClinicSettings: "organisation",
}


def staff_her_id(user: Any) -> int | None:
    """The HER-id of the one organisation the user works for; None for support and staff of several."""
    if user.is_superuser:
        return None
    her_ids = list(organisations_for_staff(user).values_list("her_id", flat=True)[:2])
    return her_ids[0] if len(her_ids) == 1 else None


class ListReadsAudited:
    """Records each showing of the list as a read of ``audit_list_type`` «liste», with its filter and search
    (the query string) in the summary: the lists show patients' names and reasons too."""

    audit_list_type = ""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        if self.audit_list_type and request.method == "GET" and response.status_code == 200:
            her_id, shown = staff_her_id(request.user), request.get_full_path()
            audit.record("read", self.audit_list_type, "liste", organisation_her_id=her_id, summary=shown)
        return response


class OrganisationScopedAdmin(ScopedAdmin):
    """Shows and offers only the objects of the staff user's own organisations.

    An admin that sets ``audit_type`` has every add, change and delete recorded in the audit trail, from the
    admin's own log hooks (which Django calls for each object it saves or deletes).
    """

    audit_type: str | None = None

    def _audit(self, action: str, obj: Any) -> None:
        if self.audit_type is None:
            return
        org: Any = obj
        for part in (self.organisation_path or ORGANISATION_PATH[type(obj)]).split("__"):
            org = org if part == "pk" else getattr(org, part)
        audit.record(action, self.audit_type, obj.pk, organisation_her_id=org.her_id, summary=str(obj))

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit("create", obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit("update", obj)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self._audit("delete", obj)
        return super().log_deletions(request, queryset)

    def scope(self, queryset: QuerySet, user: Any, path: str | None = None) -> QuerySet:
        return scope(queryset, user, path)

    def is_scoped_model(self, model: type[models.Model]) -> bool:
        return model in ORGANISATION_PATH


def scope(queryset: QuerySet, user: Any, path: str | None = None) -> QuerySet:
    if user.is_superuser:
        return queryset
    path = path or ORGANISATION_PATH[queryset.model]
    return queryset.filter(**{f"{path}__in": organisations_for_staff(user)})
