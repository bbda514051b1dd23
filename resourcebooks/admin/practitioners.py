"""The clinic admin for a GP office (sources 003, 004): practitioners, their vikarer, and «Tilpass Helsenorge»."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..gp_services import vikar_refusal, vikar_remove, vikar_set
from ..models import ClinicSettings, Practitioner, VikarAssignment
from .base import OrganisationScopedAdmin, scope


class VikarForm(forms.Form):
    vikar = forms.ModelChoiceField(label=_("Vikar"), queryset=Practitioner.objects.none())
    valid_from = forms.DateField(
        label=_("Fra og med dato"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("Til og med dato"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Tomt: til vikaren fjernes."),
    )

    def __init__(self, *args: Any, vikarer: QuerySet[Practitioner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vikar"].queryset = vikarer  # type: ignore[attr-defined]


# Source 004, «Når du er tilbake», and what removing does to the vikar's inbox («Tilganger som vikar»).
REMOVE_VIKAR_INTRO = _(
    "Hvis du som fastlege hadde vikar, må vikaren fjernes fra ansattkortet ditt. Når vikaren fjernes, forsvinner "
    "de dialogene vikaren ikke var deltaker i fra innboksen."
)


class RemoveVikarForm(forms.Form):
    """«Fjern vikar fra fastlegen»: which of the vikarer set on the fastlege now, chosen one at a time."""

    assignment = forms.ModelChoiceField(
        label=_("Vikar som skal fjernes"),
        queryset=VikarAssignment.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Velg vikaren som skal fjernes."),
            "invalid_choice": _("Velg en av vikarene som er satt på fastlegen nå."),
        },
    )

    def __init__(self, *args: Any, fastlege: Practitioner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignment"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = fastlege.vikar_assignments.filter(removed_at__isnull=True).select_related("vikar")
        field.label_from_instance = _assignment_label  # type: ignore[method-assign,assignment]


def _assignment_label(assignment: VikarAssignment) -> str:
    until = (
        gettext("til og med %(day)s") % {"day": formats.date_format(assignment.valid_to, "d.m.Y")}
        if assignment.valid_to
        else gettext("til vikaren fjernes")
    )
    start = formats.date_format(assignment.valid_from, "d.m.Y")
    return gettext("%(name)s, fra og med %(start)s %(until)s") % {
        "name": assignment.vikar.display_name,
        "start": start,
        "until": until,
    }


@admin.register(Practitioner)
class PractitionerAdmin(OrganisationScopedAdmin):
    audit_type = "practitioner"
    list_display = ["listed_name", "her_id", "organisation", "timebook_count", "vikarer"]
    list_filter = ["role", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["first_name", "middle_name", "last_name", "her_id"]
    fields = ["organisation", "first_name", "middle_name", "last_name", "role", "her_id"]
    actions = ["set_vikar", "remove_vikar"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("organisation").annotate(n_timebooks=Count("timebooks"))

    @admin.display(description=_("Navn"), ordering="last_name")
    def listed_name(self, obj: Practitioner) -> str:
        return obj.listed_name

    @admin.display(description=_("Timebøker"), ordering="n_timebooks")
    def timebook_count(self, obj: Practitioner) -> int:
        return getattr(obj, "n_timebooks", 0)

    @admin.display(description=_("Vikar nå"))
    def vikarer(self, obj: Practitioner) -> str:
        active = obj.vikar_assignments.filter(removed_at__isnull=True).select_related("vikar")
        return ", ".join(a.vikar.display_name for a in active) or "–"

    @admin.action(description=_("Sett vikar på fastlegen"), permissions=["change"])
    def set_vikar(self, request: HttpRequest, queryset: QuerySet[Practitioner]) -> HttpResponse | None:
        fastleger = list(queryset.filter(role=Practitioner.Role.FASTLEGE))
        if len(fastleger) != 1:
            self.message_user(request, "Velg én fastlege.", messages.WARNING)
            return None
        fastlege = fastleger[0]
        vikarer = scope(Practitioner.objects.all(), request.user).filter(
            organisation=fastlege.organisation, role__in=[Practitioner.Role.VIKAR, Practitioner.Role.OTHER]
        )
        form = VikarForm(request.POST if "apply" in request.POST else None, vikarer=vikarer)
        if "apply" in request.POST and form.is_valid():
            try:
                vikar_set(fastlege=fastlege, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                vikar = form.cleaned_data["vikar"]
                self.message_user(
                    request, f"{vikar.display_name} er satt som vikar for {fastlege.display_name}.", messages.SUCCESS
                )
                return None
        return render(
            request,
            "admin/resourcebooks/period_action.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Sett vikar på fastlegen",
                "intro": "Vikaren bruker fastlegens timebok. Om pasienten ser vikaren under «Velg behandler», avgjør "
                "innstillingen «Journalsystemet støtter vikarløsningen».",
                "objects": [fastlege],
                "form": form,
                "action": "set_vikar",
                "submit": "Sett vikar",
            },
        )

    @admin.action(description=_("Fjern vikar fra fastlegen"), permissions=["change"])
    def remove_vikar(self, request: HttpRequest, queryset: QuerySet[Practitioner]) -> HttpResponse | None:
        """Choose one vikar set on one fastlege, confirm, and remove only that assignment."""
        fastleger = list(queryset.filter(role=Practitioner.Role.FASTLEGE))
        if len(fastleger) != 1:
            self.message_user(request, gettext("Velg én fastlege."), messages.WARNING)
            return None
        fastlege = fastleger[0]
        form = RemoveVikarForm(request.POST if "apply" in request.POST else None, fastlege=fastlege)
        choices = form.fields["assignment"].queryset  # type: ignore[attr-defined]
        if not choices.exists():
            self.message_user(request, gettext("Fastlegen har ingen vikar å fjerne."), messages.WARNING)
            return None
        if form.is_bound and form.is_valid():
            assignment = form.cleaned_data["assignment"]
            if vikar_remove(fastlege=fastlege, assignment_ids=[assignment.pk]):
                text = gettext("%(vikar)s er fjernet som vikar for %(fastlege)s.")
                names = {"vikar": assignment.vikar.display_name, "fastlege": fastlege.display_name}
                self.message_user(request, text % names, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Fjern vikar fra fastlegen"),
            "intro": REMOVE_VIKAR_INTRO,
            "objects": [fastlege],
            "form": form,
            "action": "remove_vikar",
            "submit": gettext("Fjern vikaren"),
        }
        return render(request, "admin/resourcebooks/period_action.html", context, status=400 if form.is_bound else 200)


class VikarAssignmentForm(forms.ModelForm):
    class Meta:
        model = VikarAssignment
        fields = ["fastlege", "vikar", "valid_from", "valid_to"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fastlege, vikar = data.get("fastlege"), data.get("vikar")
        if fastlege and vikar and (refusal := vikar_refusal(fastlege, vikar)):
            self.add_error("vikar", refusal)
        return data


@admin.register(VikarAssignment)
class VikarAssignmentAdmin(OrganisationScopedAdmin):
    audit_type = "vikarassignment"
    form = VikarAssignmentForm
    list_display = ["vikar", "fastlege", "valid_from", "valid_to", "removed_at"]
    list_filter = [("removed_at", admin.EmptyFieldListFilter)]
    search_fields = ["vikar__first_name", "vikar__last_name", "fastlege__first_name", "fastlege__last_name"]
    readonly_fields = ["removed_at"]


@admin.register(ClinicSettings)
class ClinicSettingsAdmin(OrganisationScopedAdmin):
    audit_type = "clinicsettings"
    list_display = ["organisation", "calendar_booking", "time_wish", "phone", "urgent_online"]
    fieldsets = [
        (None, {"fields": ["organisation", "fallback_notifications", "vikar_solution"]}),
        (
            _("Tilpass Helsenorge"),
            {
                "fields": [
                    "calendar_booking",
                    "time_wish",
                    "survey_choices",
                    "information",
                    "phone",
                    "urgent_online",
                    "urgent_online_hours_before",
                    "fastlege_max_active_bookings",
                ]
            },
        ),
    ]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "information":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "maxlength": 300})
        return super().formfield_for_dbfield(db_field, request, **kwargs)
