"""The clinic admin: time types, locations and timebooks (day view, chart, withdrawing free slots)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Min, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.reads import ChangeReadAudited, ReadPage, audited_read

from .. import charts
from ..models import (
    Location,
    Slot,
    Timebook,
    TimebookListEntry,
    TimeType,
)
from ..selectors import slot_bookings, slots_in_week, slots_on_day, utilisation
from ..services import slots_withdraw
from ..waiting import door_counts, door_rate, waiting_counts
from .base import OrganisationScopedAdmin

# --- Time types and locations -------------------------------------------------------------------


@admin.register(TimeType)
class TimeTypeAdmin(OrganisationScopedAdmin):
    list_display = ["name", "mode", "duration_minutes", "urgent", "online", "organisation", "fallback_notifications"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "mode", "urgent", "online"]
    search_fields = ["name", "description"]


@admin.register(Location)
class LocationAdmin(OrganisationScopedAdmin):
    audit_type = "location"
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
            "kind",
            "practitioner",
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
            "waiting_room_rate",
            "fallback_notifications",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2, "maxlength": 200}),
            "office_information": forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
            # Plain checkboxes: Django's two-box filter widget carries ARIA that axe reports as prohibited.
            "time_types": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A form sent without «slag» (older forms, scripts) keeps the timebook's kind, a resource timebook by default.
        self.fields["kind"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["kind"] = data.get("kind") or self.instance.kind or Timebook.Kind.RESOURCE
        service = data.get("service")
        foreign = [t for t in data.get("time_types") or () if service and t.organisation_id != service.organisation_id]
        if foreign:
            self.add_error("time_types", "Timetypene må høre til samme virksomhet som tjenesten.")
        _check_kind(self, data)
        return data


def _check_kind(form: forms.ModelForm, data: dict[str, Any]) -> None:
    """A resource timebook has a type and no owner; a practitioner's timebook an owner and no type (source 000:
    one timebook cannot be both). Said here in Norwegian before the database check refuses it."""
    practitioner, service = data.get("practitioner"), data.get("service")
    if data.get("kind") == Timebook.Kind.PRACTITIONER:
        if practitioner is None:
            form.add_error("practitioner", "En behandlertimebok må ha en behandler som eier.")
        elif service and practitioner.organisation_id != service.organisation_id:
            form.add_error("practitioner", "Behandleren må høre til samme virksomhet som tjenesten.")
        if data.get("type"):
            form.add_error("type", "En behandlertimebok har ingen timeboktype.")
    else:
        if practitioner is not None:
            form.add_error("practitioner", "En ressurstimebok kan ikke ha en behandler som eier.")
        if not data.get("type"):
            form.add_error("type", "Velg timeboktype for ressurstimeboken.")


TIMEBOOK_ADMIN_PAGE = ReadPage("timebook", "object_id", Timebook, "service__organisation__her_id")


@admin.register(Timebook)
class TimebookAdmin(ChangeReadAudited, OrganisationScopedAdmin):
    audit_type = "timebook"
    read_page = TIMEBOOK_ADMIN_PAGE
    form = TimebookForm
    list_display = [
        "name",
        "kind",
        "type",
        "practitioner",
        "service",
        "online",
        "next_free",
        "waiting",
        "overview_links",
    ]
    list_filter = ["kind", "type", "online", "confirmation", ("service", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "description", "service__name", "service__organisation__name"]
    inlines = [TimebookListEntryInline]
    actions = ["withdraw_free_slots"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "service",
                    "kind",
                    "practitioner",
                    "type",
                    "name",
                    "description",
                    "office_information",
                    "owner",
                ]
            },
        ),
        (_("Bestilling på Helsenorge"), {"fields": ["online", "time_types", "who_may_book", "confirmation"]}),
        (
            _("Regler"),
            {
                "fields": [
                    "cancellation_deadline_hours",
                    "max_active_bookings",
                    "waiting_room_rate",
                    "fallback_notifications",
                ]
            },
        ),
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

    @admin.display(description=_("Venterom"))
    def waiting(self, obj: Timebook) -> str:
        """«I kø: 3, i bestillingsstegene: 200» (issue 15), one Redis round trip; «–» when Redis cannot say."""
        counts = waiting_counts([obj.pk])
        if not counts:
            return "–"
        return _("I kø: %(queued)d, i bestillingsstegene: %(inside)d") % {
            "queued": counts[obj.pk].queued,
            "inside": counts[obj.pk].inside,
        }

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """Above the list: the portal's own door (issue 15), which holds back everyone's citizens when the
        whole portal is full, so staff know why people wait even when their timebook's room is empty."""
        counts = door_counts()
        if counts is not None and request.method == "GET":
            messages.info(
                request,
                _("Helsenorge-portalen: i kø ved inngangen: %(queued)d; slipper inn %(rate)d i minuttet.")
                % {"queued": counts.queued, "rate": door_rate()},
            )
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("Oversikt"))
    def overview_links(self, obj: Timebook) -> str:
        return format_html(
            '<a href="{}">Dagvisning</a> · <a href="{}">Uke</a> · <a href="{}">Belegg</a>',
            reverse("admin:resourcebooks_timebook_day", args=[obj.pk]),
            reverse("admin:resourcebooks_timebook_week", args=[obj.pk]),
            reverse("admin:resourcebooks_timebook_chart", args=[obj.pk]),
        )

    def get_urls(self) -> list:
        view, read = self.admin_site.admin_view, audited_read(TIMEBOOK_ADMIN_PAGE)
        return [
            path("<path:object_id>/dag/", view(read(self.day_view)), name="resourcebooks_timebook_day"),
            path("<path:object_id>/uke/", view(self.week_view), name="resourcebooks_timebook_week"),
            path("<path:object_id>/belegg/", view(read(self.chart_view)), name="resourcebooks_timebook_chart"),
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
            text = ngettext(
                "Trakk tilbake %(count)d ledig time %(day)s.", "Trakk tilbake %(count)d ledige timer %(day)s.", count
            )
            messages.success(request, text % {"count": count, "day": f"{day:%d.%m.%Y}"})
            return HttpResponseRedirect(f"{request.path}?dato={day.isoformat()}")
        slots = list(slots_on_day(timebook, day))
        bookings = slot_bookings(slots)
        rows = [(slot, bookings.get(slot.pk)) for slot in slots]
        context = self._context(request, timebook, f"{timebook.name}: {day:%d.%m.%Y}")
        context |= {
            "day": day,
            "rows": rows,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "free_count": sum(1 for s in slots if s.state == Slot.State.FREE),
            "can_change": self.has_change_permission(request, timebook),
            "monday": day - dt.timedelta(days=day.weekday()),
        }
        return render(request, "admin/resourcebooks/timebook_day.html", context)

    def week_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The week from Monday, day by day, with every appointment: who, type, reason and status."""
        timebook = self.get_scoped_object_or_404(request, object_id)
        if not self.has_view_permission(request, timebook):
            raise Http404
        try:
            day = dt.date.fromisoformat(request.GET["dato"]) if request.GET.get("dato") else timezone.localdate()
        except ValueError:
            day = None
        if day is None or not sane_date(day - dt.timedelta(days=7)) or not sane_date(day + dt.timedelta(days=7)):
            messages.error(request, "Ugyldig dato. Bruk formatet ÅÅÅÅ-MM-DD.")
            day = timezone.localdate()
        monday = day - dt.timedelta(days=day.weekday())
        slots = list(slots_in_week(timebook, monday))
        bookings = slot_bookings(slots)
        days: dict[dt.date, list[tuple[Slot, Any]]] = {monday + dt.timedelta(days=i): [] for i in range(7)}
        for slot in slots:
            days[timezone.localtime(slot.start).date()].append((slot, bookings.get(slot.pk)))
        context = self._context(request, timebook, f"{timebook.name}: uke {monday.isocalendar().week}")
        context |= {
            "monday": monday,
            "days": [(d, rows) for d, rows in days.items() if rows or d.weekday() < 5],
            "previous_week": monday - dt.timedelta(days=7),
            "next_week": monday + dt.timedelta(days=7),
            "booked_count": len(bookings),
        }
        return render(request, "admin/resourcebooks/timebook_week.html", context)

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
            text = ngettext("Trakk tilbake %(count)d ledig time.", "Trakk tilbake %(count)d ledige timer.", total)
            self.message_user(request, text % {"count": total}, messages.SUCCESS)
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
