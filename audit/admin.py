"""The audit trail in the admin: NHN support reads it, nobody edits it."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from core.roles import is_nhn_support

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail: visible to NHN support and superusers, editable by nobody."""

    list_display = ["at", "actor_kind", "actor_label", "acting_for", "action", "object_type", "object_id", "summary"]
    list_filter = ["action", "actor_kind", "object_type"]
    search_fields = ["actor_label", "object_id", "summary", "acting_for"]
    date_hierarchy = "at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_nhn_support(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_nhn_support(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
