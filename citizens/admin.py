"""Citizens' own data in the admin: superusers only (clinics see patients through their appointments)."""

from __future__ import annotations

from django.contrib import admin

from core.admin_bases import SuperuserOnlyAdmin

from .models import Citizen, Representation


@admin.register(Citizen)
class CitizenAdmin(SuperuserOnlyAdmin):
    list_display = ["full_name", "masked_national_id", "municipality", "gp_office", "active_on_portal"]
    search_fields = ["first_name", "last_name", "national_id"]


@admin.register(Representation)
class RepresentationAdmin(SuperuserOnlyAdmin):
    list_display = ["representative", "represented", "kind"]
