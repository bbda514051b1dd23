"""The clinic admin: the staff's whole workplace, scoped to the organisations each staff user works for.

Every admin here derives from ``OrganisationScopedAdmin``: lists, foreign-key and many-to-many choices
and direct URLs only reach the user's own organisations' objects; anything else answers 404.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from addressregistry.models import Organisation, Service

from . import charts
from .models import (
    WEEKDAY_NAMES,
    Location,
    PatientBlock,
    Slot,
    StaffMembership,
    Timebook,
    TimebookListEntry,
    TimeType,
    WeekTemplate,
)
from .selectors import organisations_for_staff, slot_occupants, slots_on_day, utilisation
from .services import local_day_bounds, slots_publish, slots_withdraw, slots_withdraw_selected, template_validate

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
}


def scope(queryset: QuerySet, user: Any, path: str | None = None) -> QuerySet:
    if user.is_superuser:
        return queryset
    path = path or ORGANISATION_PATH[queryset.model]
    return queryset.filter(**{f"{path}__in": organisations_for_staff(user)})


class BoundedIdsField(forms.ModelMultipleChoiceField):
    """Refuses ids that are not short whole numbers before they reach the database (SQLite overflows)."""

    def _check_values(self, value: Any) -> Any:
        if any(not re.fullmatch(r"[0-9]{1,18}", str(v)) for v in value or ()):
            raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": "?"})
        return super()._check_values(value)  # type: ignore[misc]


class SafeActionsMixin:
    """Django's own action handling turns a non-integer or huge selected id into a 500: answer 400 instead."""

    def response_action(self, request: HttpRequest, queryset: QuerySet, *args: Any, **kwargs: Any) -> Any:
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if any(not re.fullmatch(r"[0-9]{1,18}", value) for value in selected):
            return HttpResponseBadRequest("Ugyldig utvalg.")
        return super().response_action(request, queryset, *args, **kwargs)  # type: ignore[misc]


class OrganisationScopedAdmin(SafeActionsMixin, admin.ModelAdmin):
    """Shows and offers only the objects of the staff user's own organisations.

    Models of higher apps set ``organisation_path`` (the lookup from the model to its organisation).
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

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        if self.DATE_PARTS.intersection(lookup.split("__")[1:]):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scope(super().get_queryset(request), request.user, self.organisation_path)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model in ORGANISATION_PATH:
            kwargs["queryset"] = scope(db_field.related_model._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model in ORGANISATION_PATH:
            kwargs["queryset"] = scope(db_field.related_model._default_manager.all(), request.user)
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


# --- Time types and locations -------------------------------------------------------------------


@admin.register(TimeType)
class TimeTypeAdmin(OrganisationScopedAdmin):
    list_display = ["name", "organisation", "description", "fallback_notifications"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "fallback_notifications"]
    search_fields = ["name", "description"]


@admin.register(Location)
class LocationAdmin(OrganisationScopedAdmin):
    list_display = ["name", "attendance_place", "organisation"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "attendance_place"]


# --- Timebooks --------------------------------------------------------------------------------------


EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(9998, 12, 31)


def sane_date(day: dt.date | None) -> bool:
    """Dates at the very ends of the calendar overflow when turned into instants; nobody means them."""
    return day is not None and EARLIEST <= day <= LATEST


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("Fra og med dato"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Til og med dato"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field in ("date_from", "date_to"):
            if field in data and not sane_date(data[field]):
                self.add_error(field, "Ugyldig dato.")
                data.pop(field, None)
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise ValidationError("Til-datoen kan ikke være før fra-datoen.")
        return data


class TimebookListEntryInline(admin.TabularInline):
    model = TimebookListEntry
    extra = 0
    verbose_name = _("pasient på listen")
    verbose_name_plural = _("Egendefinert pasientliste (brukes når «hvem kan bestille» er pasientlisten)")


class TimebookForm(forms.ModelForm):
    class Meta:
        model = Timebook
        fields = [
            "service",
            "type",
            "name",
            "description",
            "office_information",
            "owner",
            "online",
            "time_types",
            "who_may_book",
            "confirmation",
            "cancellation_deadline_hours",
            "max_active_bookings",
            "fallback_notifications",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2, "maxlength": 200}),
            "office_information": forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
            # Plain checkboxes: Django's two-box filter widget carries ARIA that axe reports as prohibited.
            "time_types": forms.CheckboxSelectMultiple,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        service = data.get("service")
        foreign = [t for t in data.get("time_types") or () if service and t.organisation_id != service.organisation_id]
        if foreign:
            self.add_error("time_types", "Timetypene må høre til samme virksomhet som tjenesten.")
        return data


@admin.register(Timebook)
class TimebookAdmin(OrganisationScopedAdmin):
    form = TimebookForm
    list_display = ["name", "type", "service", "online", "who_may_book", "confirmation", "next_free", "overview_links"]
    list_filter = ["type", "online", "confirmation", ("service", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "description", "service__name", "service__organisation__name"]
    inlines = [TimebookListEntryInline]
    actions = ["withdraw_free_slots"]
    fieldsets = [
        (None, {"fields": ["service", "type", "name", "description", "office_information", "owner"]}),
        (_("Bestilling på Helsenorge"), {"fields": ["online", "time_types", "who_may_book", "confirmation"]}),
        (_("Regler"), {"fields": ["cancellation_deadline_hours", "max_active_bookings", "fallback_notifications"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        now = timezone.now()
        return (
            super()
            .get_queryset(request)
            .select_related("service__organisation")
            .annotate(next_free_start=Min("slots__start", filter=Q(slots__state=Slot.State.FREE, slots__start__gt=now)))
        )

    @admin.display(description=_("Første ledige time"), ordering="next_free_start")
    def next_free(self, obj: Timebook) -> str:
        start = getattr(obj, "next_free_start", None)
        return timezone.localtime(start).strftime("%d.%m.%Y %H:%M") if start else "–"

    @admin.display(description=_("Oversikt"))
    def overview_links(self, obj: Timebook) -> str:
        return format_html(
            '<a href="{}">Dagvisning</a> · <a href="{}">Belegg</a>',
            reverse("admin:resourcebooks_timebook_day", args=[obj.pk]),
            reverse("admin:resourcebooks_timebook_chart", args=[obj.pk]),
        )

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/dag/", view(self.day_view), name="resourcebooks_timebook_day"),
            path("<path:object_id>/belegg/", view(self.chart_view), name="resourcebooks_timebook_chart"),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, timebook: Timebook, title: str) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": timebook,
            "timebook": timebook,
            "title": title,
        }

    def day_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The slots of one local day, with their state; staff can withdraw the day's free slots here."""
        timebook = self.get_scoped_object_or_404(request, object_id)
        if not self.has_view_permission(request, timebook):
            raise Http404
        day: dt.date | None
        try:
            day = (
                dt.date.fromisoformat(request.GET.get("dato", "")) if request.GET.get("dato") else timezone.localdate()
            )
        except ValueError:
            day = None
        if day is None or not sane_date(day):
            messages.error(request, "Ugyldig dato. Bruk formatet ÅÅÅÅ-MM-DD.")
            day = timezone.localdate()
        if request.method == "POST":
            if not self.has_change_permission(request, timebook):
                raise Http404
            count = slots_withdraw(timebook=timebook, date_from=day, date_to=day)
            messages.success(request, f"Trakk tilbake {count} ledige timer {day:%d.%m.%Y}.")
            return HttpResponseRedirect(f"{request.path}?dato={day.isoformat()}")
        slots = list(slots_on_day(timebook, day))
        occupants = slot_occupants(slots)
        rows = [(slot, occupants.get(slot.pk, "")) for slot in slots]
        context = self._context(request, timebook, f"{timebook.name}: {day:%d.%m.%Y}")
        context |= {
            "day": day,
            "rows": rows,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "free_count": sum(1 for s in slots if s.state == Slot.State.FREE),
            "can_change": self.has_change_permission(request, timebook),
        }
        return render(request, "admin/resourcebooks/timebook_day.html", context)

    def chart_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Free, held and booked slots per day for the coming weeks, as an SVG bar chart and a table."""
        timebook = self.get_scoped_object_or_404(request, object_id)
        if not self.has_view_permission(request, timebook):
            raise Http404
        try:
            weeks = min(max(int(request.GET.get("uker", "8")), 1), 26)
        except ValueError:
            weeks = 8
        loads = utilisation(timebook, timezone.localdate(), weeks * 7)
        context = self._context(request, timebook, f"Belegg: {timebook.name}")
        context |= {"weeks": weeks, "loads": loads, "chart": charts.utilisation_chart(loads)}
        return render(request, "admin/resourcebooks/timebook_chart.html", context)

    @admin.action(description=_("Trekk tilbake ledige timer"), permissions=["change"])
    def withdraw_free_slots(self, request: HttpRequest, queryset: QuerySet[Timebook]) -> HttpResponse | None:
        """Withdraw the free slots of the selected timebooks over a period (absence, holidays)."""
        form = PeriodForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            total = sum(
                slots_withdraw(
                    timebook=tb, date_from=form.cleaned_data["date_from"], date_to=form.cleaned_data["date_to"]
                )
                for tb in queryset
            )
            self.message_user(request, f"Trakk tilbake {total} ledige timer.", messages.SUCCESS)
            return None
        return render(
            request,
            "admin/resourcebooks/period_action.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Trekk tilbake ledige timer",
                "intro": "Ledige timer i perioden trekkes tilbake. Reserverte og bestilte timer berøres ikke.",
                "objects": queryset,
                "form": form,
                "action": "withdraw_free_slots",
                "submit": "Trekk tilbake ledige timer",
            },
        )


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
            "valid_from",
            "valid_to",
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
    form = WeekTemplateForm
    list_display = ["__str__", "timebook", "location", "valid_from", "valid_to", "publish_link"]
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
                    "Timene lages fra ukemalen for dagene i perioden. Timer som finnes fra før lages ikke på nytt."
                ),
                "objects": templates,
                "form": form,
                "action": action,
                "submit": "Publiser timer",
            },
        )

    def _initial(self) -> dict[str, dt.date]:
        today = timezone.localdate()
        return {"date_from": today, "date_to": today + dt.timedelta(weeks=4) - dt.timedelta(days=1)}

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        template = self.get_scoped_object_or_404(request, object_id)
        if not self.has_change_permission(request, template):
            raise Http404
        if request.method == "POST":
            form = PublishForm(request.POST)
            if form.is_valid() and self._publish(request, [template], form):
                return HttpResponseRedirect(reverse("admin:resourcebooks_timebook_chart", args=[template.timebook_id]))
        else:
            form = PublishForm(initial=self._initial())
        return self._publish_page(request, [template], form, action="")

    @admin.action(description=_("Publiser timer"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[WeekTemplate]) -> HttpResponse | None:
        templates = list(queryset)
        if "apply" in request.POST:
            form = PublishForm(request.POST)
            if form.is_valid() and self._publish(request, templates, form):
                return None
        else:
            form = PublishForm(initial=self._initial())
        return self._publish_page(request, templates, form, action="publish")


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
        text = f"Trakk tilbake {count} ledige timer."
        if skipped:
            text += f" {skipped} timer var ikke ledige og ble ikke endret."
        self.message_user(request, text, messages.SUCCESS)


# --- Patient blocks ---------------------------------------------------------------------------------


@admin.register(PatientBlock)
class PatientBlockAdmin(OrganisationScopedAdmin):
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


# --- Staff memberships (superusers only) --------------------------------------------------------------


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


@admin.register(StaffMembership)
class StaffMembershipAdmin(SuperuserOnlyAdmin):
    list_display = ["user", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["user__username", "organisation__name"]
