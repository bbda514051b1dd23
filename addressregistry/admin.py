"""AR in the Django admin, for superusers. Processes change only through the support pages (with history)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Organisation, ProcessChange, Service, ServiceProcess


class ServiceProcessInline(admin.TabularInline):
    model = ServiceProcess
    extra = 0
    can_delete = False
    readonly_fields = ["process", "active"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "her_id", "kind", "municipality_name", "municipality_number"]
    list_filter = ["kind"]
    search_fields = ["name", "her_id", "municipality_name"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "her_id", "service_type"]
    list_filter = ["service_type", "organisation"]
    search_fields = ["name", "her_id", "organisation__name"]
    inlines = [ServiceProcessInline]


@admin.register(ProcessChange)
class ProcessChangeAdmin(admin.ModelAdmin):
    list_display = ["changed_at", "service", "process", "active", "changed_by_label", "note"]
    list_filter = ["process", "active"]
    search_fields = ["service__name", "service__her_id", "changed_by_label"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
