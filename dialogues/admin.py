"""The clinic admin's «HelseNorge-oppsett» (source 004): who receives each kind of dialogue, who handles a
fastlege's dialogues while they are away, and read-only views of prescriptions and journalled dialogues. Each
scoped to the staff user's own organisations; anything else answers 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.reads import ChangeReadAudited
from resourcebooks.admin import ListReadsAudited, OrganisationScopedAdmin
from resourcebooks.models import StaffGroup, StaffMembership
from resourcebooks.selectors import organisations_for_staff

from . import texts
from .models import JournalEntry, Prescription, RoutingAbsence, RoutingRecipient, RoutingSetting
from .reads import JOURNAL_ENTRY_ADMIN_PAGE, PRESCRIPTION_ADMIN_PAGE
from .selectors import journal_entries_shown

# Source 004: what holds when the office has set nothing.
ROUTING_DEFAULTS = (
    _("eKonsultasjon: Pasientens behandler."),
    _("eKontakt: Fast (klinikken velger mottaker). Mottaker: Hele klinikken."),
    _("Reseptfornyelse: Fast (klinikken velger mottaker). Mottaker: Hele klinikken."),
)


class RecipientFormSet(forms.BaseInlineFormSet):
    """A recipient is a member or group of the setting's own organisation."""

    def clean(self) -> None:
        super().clean()
        organisation_id = self.instance.organisation_id
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE"):
                continue
            for key in ("membership", "group"):
                chosen = data.get(key)
                if chosen is not None and chosen.organisation_id != organisation_id:
                    form.add_error(key, _("Mottakeren må høre til samme legekontor."))


class RoutingRecipientInline(admin.TabularInline):
    model = RoutingRecipient
    formset = RecipientFormSet
    extra = 1
    fields = ["target", "membership", "group", "role"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        # The setting's organisation, for the choices below (on the request: the admin is shared).
        request._routing_organisations = (  # type: ignore[attr-defined]
            [obj.organisation_id] if obj is not None else organisations_for_staff(request.user)
        )
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        organisations = getattr(request, "_routing_organisations", organisations_for_staff(request.user))
        if db_field.related_model is StaffMembership:
            kwargs["queryset"] = StaffMembership.objects.filter(organisation__in=organisations).select_related("user")
        elif db_field.related_model is StaffGroup:
            kwargs["queryset"] = StaffGroup.objects.filter(organisation__in=organisations)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RoutingSettingForm(forms.ModelForm):
    class Meta:
        model = RoutingSetting
        fields = ["organisation", "kind", "mode"]


@admin.register(RoutingSetting)
class RoutingSettingAdmin(OrganisationScopedAdmin):
    """«Mottakere av dialoger»: the «mottakerformat» and «mottaker» per kind of message."""

    audit_type = "routing_setting"
    organisation_path = "organisation"
    form = RoutingSettingForm
    inlines = [RoutingRecipientInline]
    list_display = ["kind", "mode", "organisation", "recipients_shown"]
    list_filter = ["kind", "mode"]
    change_list_template = "dialogues/staff/routing_change_list.html"

    @admin.display(description=_("Mottakere"))
    def recipients_shown(self, obj: RoutingSetting) -> str:
        return ", ".join(str(r) for r in obj.recipients.all()) or "–"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("organisation").prefetch_related("recipients")

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        extra = {**(extra_context or {}), "routing_defaults": ROUTING_DEFAULTS}
        return super().changelist_view(request, extra)


class RoutingAbsenceForm(forms.ModelForm):
    class Meta:
        model = RoutingAbsence
        fields = ["fastlege", "substitute", "valid_from", "valid_to"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fastlege, substitute = data.get("fastlege"), data.get("substitute")
        if fastlege is not None and substitute is not None and fastlege.organisation_id != substitute.organisation_id:
            self.add_error("substitute", _("Velg en ansatt ved samme legekontor som fastlegen."))
        return data


@admin.register(RoutingAbsence)
class RoutingAbsenceAdmin(OrganisationScopedAdmin):
    """«Dialoger skal håndteres av noen andre» for a period (source 004 «Ved ferie og fravær»)."""

    audit_type = "routing_absence"
    organisation_path = "fastlege__organisation"
    form = RoutingAbsenceForm
    list_display = ["fastlege", "substitute", "valid_from", "valid_to"]
    change_form_template = "dialogues/staff/absence_change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("fastlege", "substitute__user")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is StaffMembership:
            kwargs["queryset"] = StaffMembership.objects.filter(
                organisation__in=organisations_for_staff(request.user)
            ).select_related("user")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyScopedAdmin(OrganisationScopedAdmin):
    """Read only: these rows are written by the dialogues themselves."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Prescription)
class PrescriptionAdmin(ChangeReadAudited, ListReadsAudited, ReadOnlyScopedAdmin):
    read_page = PRESCRIPTION_ADMIN_PAGE
    organisation_path = "citizen__gp_office"
    audit_list_type = "prescription"
    list_display = ["medication", "strength", "citizen", "prescribed_on", "prescriber"]
    search_fields = ["medication"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("citizen")


@admin.register(JournalEntry)
class JournalEntryAdmin(ChangeReadAudited, ListReadsAudited, ReadOnlyScopedAdmin):
    """«Journalnotater», as the patient's journal page shows them (``journal_entries_shown``): an entry whose dialogue
    the user was not sent is listed without its title, its own page answers 404, and the title is neither filtered
    nor sorted on (either would tell what it is about)."""

    organisation_path = "organisation"
    audit_list_type = "journal_entry"
    read_page = JOURNAL_ENTRY_ADMIN_PAGE
    list_display = ["shown_title", "citizen", "written_at", "organisation"]
    list_display_links = None  # the title links, when shown

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        entries = super().get_queryset(request).select_related("citizen", "organisation")
        return journal_entries_shown(request.user, entries)

    @admin.display(description=_("tittel"))
    def shown_title(self, obj: JournalEntry) -> str:
        if not getattr(obj, "title_shown", False):
            return format_html('{} <span class="help">({})</span>', texts.JOURNAL_HIDDEN, texts.JOURNAL_HIDDEN_NOTE)
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:dialogues_journalentry_change", args=[obj.pk]), obj.title
        )

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        entry = super().get_object(request, object_id, from_field)
        return entry if entry is not None and entry.title_shown else None

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        if lookup.split("__")[0] in ("title", "dialogue"):
            return False
        return super().lookup_allowed(lookup, value, request)
