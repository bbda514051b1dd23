"""Staff groups at an organisation («Resepsjonen», «LAB-gruppen»): recipients of dialogues (source 004)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin_bases import BoundedIdsField

from ..models import StaffGroup, StaffMembership
from ..selectors import organisations_for_staff
from .base import OrganisationScopedAdmin


class StaffGroupForm(forms.ModelForm):
    class Meta:
        model = StaffGroup
        fields = ["organisation", "name", "members"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation, members = data.get("organisation"), data.get("members")
        if organisation is not None and any(m.organisation_id != organisation.pk for m in members or ()):
            self.add_error("members", _("Medlemmene må være ansatt i samme virksomhet som gruppen."))
        return data


@admin.register(StaffGroup)
class StaffGroupAdmin(OrganisationScopedAdmin):
    audit_type = "staff_group"
    organisation_path = "organisation"
    form = StaffGroupForm
    list_display = ["name", "organisation", "member_names"]
    search_fields = ["name"]
    filter_horizontal = ["members"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("organisation").prefetch_related("members__user")

    @admin.display(description=_("Medlemmer"))
    def member_names(self, obj: StaffGroup) -> str:
        return ", ".join(m.user.get_full_name() or m.user.get_username() for m in obj.members.all()) or "–"

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is StaffMembership:
            kwargs["queryset"] = StaffMembership.objects.filter(
                organisation__in=organisations_for_staff(request.user)
            ).select_related("user", "organisation")
            kwargs.setdefault("form_class", BoundedIdsField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
