"""The clinic admin's site: Django's own, except that «Vis på nettsted» no longer tells anyone what exists.

Django's ``admin:view_on_site`` (``/admin/r/<content type>/<id>/``) redirects for any object that exists
and answers 404 otherwise, to every staff user: staff of one organisation could learn which of another's
ids exist. Here it redirects only for an object the user may view through its model's admin, when that
admin offers the link at all; anything else is the same 404.

Installed through ``ClinicAdminConfig`` in ``INSTALLED_APPS`` (in place of ``django.contrib.admin``), which
makes ``admin.site`` this site. That happens while the app registry loads, so models are imported late.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path

from .ids import is_id


class ClinicAdminSite(admin.AdminSite):
    def get_urls(self) -> list[Any]:
        ours = path(
            "r/<int:content_type_id>/<path:object_id>/", self.admin_view(self.view_on_site), name="view_on_site"
        )
        return [
            ours if isinstance(url, URLPattern) and url.name == "view_on_site" else url for url in super().get_urls()
        ]

    def view_on_site(self, request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        if not is_id(content_type_id):
            raise Http404
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404 from None
        model_admin = self._registry.get(model) if model is not None else None
        if model_admin is None or not model_admin.view_on_site or not is_id(unquote(object_id)):
            raise Http404
        obj = model_admin.get_object(request, unquote(object_id))  # scoped to what the user may see
        if obj is None or not model_admin.has_view_permission(request, obj):
            raise Http404
        return shortcut(request, content_type_id, object_id)


class ClinicAdminConfig(AdminConfig):
    default_site = "core.admin_site.ClinicAdminSite"
