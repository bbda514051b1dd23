"""The clinic admin: week templates and publishing them into slots."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.limits import MAX_PUBLISH_DAYS

from ..models import (
    WEEKDAY_NAMES,
    WeekTemplate,
)
from ..services import slots_publish, template_validate
from .base import OrganisationScopedAdmin
from .timebooks import PeriodForm

# --- Week templates ----------------------------------------------------------------------------------


class WeekTemplateForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Ukedager"),
        choices=[(i, name.capitalize()) for i, name in enumerate(WEEKDAY_NAMES)],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WeekTemplate
        fields = [
            "timebook",
            "location",
            "name",
            "weekdays",
            "start_time",
            "end_time",
            "slot_minutes",
            "time_type",
            "valid_from",
            "valid_to",
            "skip_holidays",
        ]
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        timebook, location = data.get("timebook"), data.get("location")
        if timebook and location and location.organisation_id != timebook.service.organisation_id:
            self.add_error("location", "Lokasjonen må høre til samme virksomhet som timeboken.")
        time_type = data.get("time_type")
        if timebook and time_type and time_type.organisation_id != timebook.service.organisation_id:
            self.add_error("time_type", "Timetypen må høre til samme virksomhet som timeboken.")
        candidate = WeekTemplate(
            weekdays=data.get("weekdays") or [],
            slot_minutes=data.get("slot_minutes") or 0,
            **{k: data.get(k) for k in ("start_time", "end_time", "valid_from", "valid_to")},
        )
        try:
            template_validate(candidate)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, errors)
        return data


class PublishForm(PeriodForm):
    pass


@admin.register(WeekTemplate)
class WeekTemplateAdmin(OrganisationScopedAdmin):
    audit_type = "week_template"
    form = WeekTemplateForm
    list_display = ["__str__", "timebook", "location", "valid_from", "valid_to", "skip_holidays", "publish_link"]
    list_filter = [("timebook", admin.RelatedOnlyFieldListFilter), ("location", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "timebook__name"]
    actions = ["publish"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("timebook__service__organisation", "location")

    @admin.display(description=_("Publiser"))
    def publish_link(self, obj: WeekTemplate) -> str:
        return format_html(
            '<a href="{}">Publiser timer</a>', reverse("admin:resourcebooks_weektemplate_publish", args=[obj.pk])
        )

    def get_urls(self) -> list:
        return [
            path(
                "<path:object_id>/publiser/",
                self.admin_site.admin_view(self.publish_view),
                name="resourcebooks_weektemplate_publish",
            ),
            *super().get_urls(),
        ]

    def _publish(self, request: HttpRequest, templates: list[WeekTemplate], form: PublishForm) -> bool:
        ok = True
        for template in templates:
            try:
                result = slots_publish(
                    template=template, date_from=form.cleaned_data["date_from"], date_to=form.cleaned_data["date_to"]
                )
            except ValidationError as error:
                ok = False
                for message in error.messages:
                    form.add_error(None, f"{template}: {message}" if len(templates) > 1 else message)
            else:
                self.message_user(request, f"{template.timebook.name}: {result.message}", messages.SUCCESS)
        return ok

    def _publish_page(
        self, request: HttpRequest, templates: list[WeekTemplate], form: PublishForm, action: str
    ) -> HttpResponse:
        return render(
            request,
            "admin/resourcebooks/period_action.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Publiser timer",
                "intro": (
                    "Timene lages fra ukemalen for dagene i perioden. Timer som finnes fra før lages ikke på nytt. "
                    "En ukemal som hopper over helligdager, lager ingen timer på offentlige helligdager, julaften "
                    "og nyttårsaften."
                ),
                "objects": templates,
                "form": form,
                "action": action,
                "submit": "Publiser timer",
            },
        )

    def _initial(self, templates: list[WeekTemplate]) -> dict[str, dt.date]:
        """The templates' own period: from today or their first start, to their last end, within the horizon
        publishing allows."""
        if not templates:
            return {}
        today = timezone.localdate()
        date_from = max(today, min(t.valid_from for t in templates))
        date_to = min(today + dt.timedelta(days=MAX_PUBLISH_DAYS), max(t.valid_to for t in templates))
        return {"date_from": date_from, "date_to": max(date_from, date_to)}

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        template = self.get_scoped_object_or_404(request, object_id)
        if not self.has_change_permission(request, template):
            raise Http404
        if request.method == "POST":
            form = PublishForm(request.POST)
            if form.is_valid() and self._publish(request, [template], form):
                return HttpResponseRedirect(reverse("admin:resourcebooks_timebook_chart", args=[template.timebook_id]))
        else:
            form = PublishForm(initial=self._initial([template]))
        return self._publish_page(request, [template], form, action="")

    @admin.action(description=_("Publiser timer"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[WeekTemplate]) -> HttpResponse | None:
        templates = list(queryset)
        if "apply" in request.POST:
            form = PublishForm(request.POST)
            if form.is_valid() and self._publish(request, templates, form):
                return None
        else:
            form = PublishForm(initial=self._initial(templates))
        return self._publish_page(request, templates, form, action="publish")
