"""Bases for the clinic admin that know nothing of organisations: safe actions, bounded id fields, a base
for admins scoped to what the user may see, and superuser-only data.

``ScopedAdmin`` turns scoping into 404s (never a redirect that reveals an id exists); the app that knows
who works where (``resourcebooks``) says what "scoped" means by implementing ``scope``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBadRequest

from .ids import is_id


class BoundedIdsField(forms.ModelMultipleChoiceField):
    """Refuses ids that are not short whole numbers before they reach the database (SQLite overflows)."""

    def _check_values(self, value: Any) -> Any:
        if any(not is_id(v) for v in value or ()):
            raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": "?"})
        return super()._check_values(value)  # type: ignore[misc]


class SafeActionsMixin:
    """Django's own action handling turns a non-integer or huge selected id into a 500: answer 400 instead."""

    def response_action(self, request: HttpRequest, queryset: QuerySet, *args: Any, **kwargs: Any) -> Any:
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if any(not is_id(value) for value in selected):
            return HttpResponseBadRequest("Ugyldig utvalg.")
        return super().response_action(request, queryset, *args, **kwargs)  # type: ignore[misc]


class ScopedAdmin(SafeActionsMixin, admin.ModelAdmin):
    """Shows and offers only the objects the user may see; anything else answers 404.

    Subclasses implement ``scope`` (and ``is_scoped_model`` for the choices of foreign keys); models of higher
    apps set ``organisation_path``, the lookup from the model to what it is scoped by.
    """

    organisation_path: str | None = None

    # Date parts in a list's URL (?start__year=…) overflow for absurd values; the lists' own date filter
    # uses its own parameter instead, so these are refused (Django answers with its «?e=1» list).
    DATE_PARTS = frozenset(
        {
            "year",
            "iso_year",
            "month",
            "day",
            "week",
            "week_day",
            "iso_week_day",
            "quarter",
            "date",
            "time",
            "hour",
            "minute",
            "second",
        }
    )

    def scope(self, queryset: QuerySet, user: Any, path: str | None = None) -> QuerySet:
        raise NotImplementedError

    def is_scoped_model(self, model: type[models.Model]) -> bool:
        return False

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        if self.DATE_PARTS.intersection(lookup.split("__")[1:]):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.scope(super().get_queryset(request), request.user, self.organisation_path)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if self.is_scoped_model(db_field.related_model):
            kwargs["queryset"] = self.scope(db_field.related_model._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if self.is_scoped_model(db_field.related_model):
            kwargs["queryset"] = self.scope(db_field.related_model._default_manager.all(), request.user)
        kwargs.setdefault("form_class", BoundedIdsField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_scoped_object_or_404(self, request: HttpRequest, object_id: str) -> Any:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("Finnes ikke, eller tilhører en annen virksomhet.")
        return obj

    # Django's admin answers an unknown id with a redirect and a message; we answer 404 so that the
    # existence of another organisation's object is not revealed.
    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        self.get_scoped_object_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        self.get_scoped_object_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        self.get_scoped_object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Data that is not the clinics' to browse (memberships, citizens' own data): superusers only."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser
