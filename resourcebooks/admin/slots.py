"""The clinic admin: slots, patient blocks and staff memberships."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.reads import ChangeReadAudited, ReadPage
from core.admin_bases import SuperuserOnlyAdmin

from ..models import (
    PatientBlock,
    Slot,
    StaffMembership,
)
from ..services import local_day_bounds, slots_withdraw_selected
from .base import OrganisationScopedAdmin

# --- Slots -----------------------------------------------------------------------------------------


class LocalDateListFilter(admin.SimpleListFilter):
    title = _("dato")
    parameter_name = "dato"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("i-dag", "I dag"),
            ("i-morgen", "I morgen"),
            ("7-dager", "Neste 7 dager"),
            ("passert", "Passert"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        today = timezone.localdate()
        value = self.value()
        if value == "i-dag":
            start, end = local_day_bounds(today, today)
        elif value == "i-morgen":
            start, end = local_day_bounds(today + dt.timedelta(days=1), today + dt.timedelta(days=1))
        elif value == "7-dager":
            start, end = local_day_bounds(today, today + dt.timedelta(days=6))
        elif value == "passert":
            return queryset.filter(start__lt=timezone.now())
        else:
            return queryset
        return queryset.filter(start__gte=start, start__lt=end)


@admin.register(Slot)
class SlotAdmin(OrganisationScopedAdmin):
    list_display = ["local_start", "local_end", "timebook", "location", "state"]
    list_filter = ["state", LocalDateListFilter, ("timebook", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["timebook__name", "location__attendance_place"]
    actions = ["withdraw_selected"]
    list_select_related = ["timebook__service__organisation", "location"]
    readonly_fields = ["timebook", "location", "template", "start", "end", "state", "created_at"]
    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # slots come from week templates

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # state changes go through actions and services only

    @admin.display(description=_("Start"), ordering="start")
    def local_start(self, obj: Slot) -> str:
        return timezone.localtime(obj.start).strftime("%d.%m.%Y %H:%M")

    @admin.display(description=_("Slutt"), ordering="end")
    def local_end(self, obj: Slot) -> str:
        return timezone.localtime(obj.end).strftime("%H:%M")

    @admin.action(description=_("Trekk tilbake ledige timer"), permissions=["view"])
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet[Slot]) -> None:
        count = slots_withdraw_selected(slots=queryset)
        skipped = queryset.count() - count
        text = ngettext("Trakk tilbake %(count)d ledig time.", "Trakk tilbake %(count)d ledige timer.", count) % {
            "count": count
        }
        if skipped:
            text += " " + ngettext(
                "%(count)d time var ikke ledig og ble ikke endret.",
                "%(count)d timer var ikke ledige og ble ikke endret.",
                skipped,
            ) % {"count": skipped}
        self.message_user(request, text, messages.SUCCESS)


# --- Patient blocks ---------------------------------------------------------------------------------


@admin.register(PatientBlock)
class PatientBlockAdmin(ChangeReadAudited, OrganisationScopedAdmin):
    audit_type = "patient_block"
    read_page = ReadPage("patient_block", "object_id", PatientBlock, "organisation__her_id")
    list_display = ["masked_national_id", "organisation", "reason", "blocked_on", "blocked_by"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "blocked_on"]
    search_fields = ["national_id", "reason"]
    exclude = ["blocked_by"]

    @admin.display(description=_("Fødselsnummer"))
    def masked_national_id(self, obj: PatientBlock) -> str:
        return f"{obj.national_id[:6]} *****"

    def save_model(self, request: HttpRequest, obj: PatientBlock, form: Any, change: bool) -> None:
        if not change:
            obj.blocked_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(StaffMembership)
class StaffMembershipAdmin(SuperuserOnlyAdmin):
    list_display = ["user", "organisation", "role", "practitioner"]
    list_filter = ["organisation", "role"]
    fields = ["user", "organisation", "role", "practitioner"]
    search_fields = ["user__username", "organisation__name"]
