"""Requests and appointments in the clinic admin, scoped to the staff user's organisations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

import audit
from audit.reads import ChangeReadAudited, ReadPage
from core.admin_bases import SafeActionsMixin
from core.roles import is_nhn_support
from notifications.models import Notification
from notifications.services import notifications_retry
from resourcebooks.admin import ListReadsAudited, OrganisationScopedAdmin
from resourcebooks.selectors import organisations_for_staff

from . import admin_gp
from .models import Appointment, InvitationCampaign, TimeRequest
from .reads import APPOINTMENT_ADMIN_PAGE
from .services import (
    appointment_cancel_by_clinic,
    appointment_confirm,
    appointment_hidden_set,
    appointment_reject,
    campaign_create,
    campaign_pause,
    campaign_resume,
    hidden_refusal,
)
from .video_rules import may_hold_video_room


class AppointmentForm(forms.ModelForm):
    """Of an appointment, staff change only «Skjult time»; everything else is the citizen's or the system's."""

    class Meta:
        model = Appointment
        fields = ["hidden"]

    def clean_hidden(self) -> bool:
        hidden = bool(self.cleaned_data.get("hidden"))
        if hidden and not self.instance.hidden and (refusal := hidden_refusal(self.instance)):
            raise ValidationError(refusal)
        return hidden


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse til pasienten"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Står sist i meldingen pasienten får i Innboks. Høyst 300 tegn."),
        error_messages={
            "required": _("Skriv en begrunnelse til pasienten."),
            "max_length": _("Begrunnelsen kan være høyst %(limit_value)d tegn (den er %(show_value)d)."),
        },
    )


APPOINTMENT_TIMES = ["created_at", "decided_at", "cancelled_at", "reminder_claimed_at"]


@admin.register(Appointment)
class AppointmentAdmin(ChangeReadAudited, ListReadsAudited, OrganisationScopedAdmin):
    read_page = APPOINTMENT_ADMIN_PAGE
    organisation_path = "slot__timebook__service__organisation"
    audit_list_type = "appointment"
    view_on_site = False  # the appointment's own page is the citizen's
    form = AppointmentForm
    list_display = ["local_start", "timebook", "person", "reason", "status", "booked_by_other", "created_at"]
    list_filter = ["status", ("slot__timebook", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["citizen__first_name", "citizen__last_name", "reason", "slot__timebook__name"]
    list_select_related = ["slot__timebook", "slot__location", "citizen", "booked_by"]
    # Only «Skjult time» is editable (AppointmentForm); the idempotency key is not shown at all.
    fields = [
        *("slot", "behandler", "citizen", "booked_by", "reason", "status", "video", "hidden"),
        *(*APPOINTMENT_TIMES, "replaces"),
    ]
    readonly_fields = [
        *("slot", "behandler", "citizen", "booked_by", "reason", "status", "video"),
        *(*APPOINTMENT_TIMES, "replaces"),
    ]
    actions = ["confirm", "reject", "cancel_by_clinic", "move"]
    change_list_template = "admin/booking/appointment/change_list.html"
    ordering = ["slot__start"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # appointments come from citizens' requests

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("Tid"), ordering="slot__start")
    def local_start(self, obj: Appointment) -> str:
        return timezone.localtime(obj.slot.start).strftime("%d.%m.%Y %H:%M")

    @admin.display(description=_("Timebok"), ordering="slot__timebook__name")
    def timebook(self, obj: Appointment) -> str:
        return obj.slot.timebook.name

    @admin.display(description=_("Pasient"), ordering="citizen__last_name")
    def person(self, obj: Appointment) -> str:
        return f"{obj.citizen.full_name} ({obj.citizen.masked_national_id})"

    @admin.display(description=_("Bestilt av"))
    def booked_by_other(self, obj: Appointment) -> str:
        return "" if obj.booked_by_id == obj.citizen_id else obj.booked_by.full_name

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:  # «Start video» only for whom the room lets in as the practitioner
            obj.may_start_video = may_hold_video_room(request.user, obj)
        return obj

    @admin.display(description=_("Video"))
    def video(self, obj: Appointment) -> str:
        return admin_gp.video_link(obj, may_start=getattr(obj, "may_start_video", False))

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        book = path(
            "sett-opp/", view(lambda request: admin_gp.book_view(self, request)), name="booking_appointment_book"
        )
        return [book, *super().get_urls()]

    @admin.action(description=_("Flytt time"), permissions=["change"])
    def move(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> HttpResponse | None:
        return admin_gp.move_action(self, request, queryset)

    def save_model(self, request: HttpRequest, obj: Appointment, form: Any, change: bool) -> None:
        if "hidden" in form.changed_data:
            appointment_hidden_set(appointment=obj, hidden=form.cleaned_data["hidden"])

    def _apply(self, request: HttpRequest, queryset: QuerySet[Appointment], action: Any, done: Any) -> None:
        """``done`` gives the message for a count of changed appointments (the noun agrees with the count)."""
        changed = sum(1 for appointment in queryset if action(appointment))
        skipped = queryset.count() - changed
        text = done(changed)
        if skipped:
            text += f" {skipped} ble ikke endret fordi statusen ikke tillot det."
        self.message_user(request, text, messages.SUCCESS if changed else messages.WARNING)

    @admin.action(description=_("Bekreft reservasjon"), permissions=["change"])
    def confirm(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        self._apply(
            request,
            queryset,
            lambda a: appointment_confirm(appointment_id=a.pk),
            lambda n: (
                ngettext("%(count)d time bekreftet (Tildelt).", "%(count)d timer bekreftet (Tildelt).", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Avvis forespørsel"), permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> HttpResponse | None:
        """An intermediate page first: the reason staff write ends the message the patient gets in Innboks."""
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            note = form.cleaned_data["reason"]
            self._apply(
                request,
                queryset,
                lambda a: appointment_reject(appointment=a, note=note),
                lambda n: ngettext("%(count)d forespørsel avvist.", "%(count)d forespørsler avvist.", n) % {"count": n},
            )
            return None
        return render(
            request,
            "admin/resourcebooks/period_action.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Avvis forespørsel",
                "intro": (
                    "Timen blir ledig igjen, og pasienten får en melding i Innboks om at bestillingen ikke ble "
                    "godkjent, med begrunnelsen under. Bare forespørsler som venter på bekreftelse avvises."
                ),
                "objects": queryset,
                "form": form,
                "action": "reject",
                "submit": "Avvis forespørsel",
            },
        )

    @admin.action(description=_("Avlys time"), permissions=["change"])
    def cancel_by_clinic(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        self._apply(
            request,
            queryset,
            lambda a: appointment_cancel_by_clinic(appointment=a),
            lambda n: ngettext("%(count)d time avlyst.", "%(count)d timer avlyst.", n) % {"count": n},
        )


@admin.register(TimeRequest)
class TimeRequestAdmin(ListReadsAudited, OrganisationScopedAdmin):
    organisation_path = "service__organisation"
    audit_list_type = "time_request"
    list_display = ["created_at", "service", "timebook", "person", "subject", "suggested_times", "status"]
    list_filter = ["status", ("service", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["subject", "suggested_times", "citizen__last_name"]
    readonly_fields = ["service", "timebook", "citizen", "booked_by", "subject", "suggested_times", "created_at"]
    actions = ["mark_handled"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("Pasient"))
    def person(self, obj: TimeRequest) -> str:
        return f"{obj.citizen.full_name} ({obj.citizen.masked_national_id})"

    @admin.action(description=_("Merk som behandlet"), permissions=["change"])
    def mark_handled(self, request: HttpRequest, queryset: QuerySet[TimeRequest]) -> None:
        count = queryset.filter(status=TimeRequest.Status.NEW).update(status=TimeRequest.Status.HANDLED)
        text = ngettext(
            "%(count)d timeforespørsel merket som behandlet.", "%(count)d timeforespørsler merket som behandlet.", count
        )
        self.message_user(request, text % {"count": count}, messages.SUCCESS)


@admin.register(Notification)
class OutboxAdmin(ChangeReadAudited, ListReadsAudited, SafeActionsMixin, admin.ModelAdmin):
    """The outbox, for staff of the organisation that sent it: state, attempts, last error, and retry. Reads of
    the list and of one row are recorded."""

    read_page = ReadPage("notification", "object_id", Notification, "owner_her_id")

    audit_list_type = "notification"

    list_display = ["created_at", "recipient_name", "channel", "event", "state", "attempts", "short_error", "sent_at"]
    list_filter = ["state", "channel", "event"]
    search_fields = ["recipient_name", "text", "address"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notification]:
        qs = super().get_queryset(request)
        if request.user.is_superuser or is_nhn_support(request.user):
            return qs  # NHN support helps every organisation
        her_ids = organisations_for_staff(request.user).values("her_id")
        return qs.filter(owner_her_id__in=her_ids)

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_superuser or is_nhn_support(user) or organisations_for_staff(user).exists()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _own_or_404(self, request: HttpRequest, object_id: str) -> None:
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("Finnes ikke, eller tilhører en annen virksomhet.")

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        self._own_or_404(request, object_id)  # another organisation's row: 404, like every other admin here
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        self._own_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    @admin.display(description=_("Siste feil"))
    def short_error(self, obj: Notification) -> str:
        return obj.last_error[:80]

    @admin.action(description=_("Prøv å sende på nytt"), permissions=["view"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        """One row in the audit trail per organisation among the selected rows (notifications, below audit,
        records nothing itself)."""
        by_owner: dict[int | None, list[int]] = {}
        for pk, owner in queryset.order_by("pk").values_list("pk", "owner_her_id"):
            by_owner.setdefault(owner, []).append(pk)
        count = 0
        for owner, ids in by_owner.items():
            retried = notifications_retry(ids=ids)
            object_id = ids[0] if len(ids) == 1 else "utvalg"
            summary = f"Prøv å sende på nytt: {retried} av {len(ids)} valgte varsler (id {', '.join(map(str, ids))})"
            audit.record("update", "notification", object_id, organisation_her_id=owner, summary=summary)
            count += retried
        text = ngettext("%(count)d feilet varsel sendes på nytt.", "%(count)d feilede varsler sendes på nytt.", count)
        self.message_user(request, text % {"count": count}, messages.SUCCESS)


class CampaignForm(forms.ModelForm):
    class Meta:
        model = InvitationCampaign
        fields = ["timebook", "born_from", "born_to", "batch_size", "pause_seconds", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "maxlength": 320})}
        help_texts = {"text": "La stå tomt for standardteksten «Nå kan du bestille time til …»."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "text" in self.fields:  # read-only (absent) once the campaign has started
            self.fields["text"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("born_from") and data.get("born_to") and data["born_to"] < data["born_from"]:
            self.add_error("born_to", "«Født til og med» kan ikke være før «født fra og med».")
        return data


@admin.register(InvitationCampaign)
class InvitationCampaignAdmin(OrganisationScopedAdmin):
    """Source 002: send «time booking is open» SMS in batches with pauses, and watch the progress."""

    organisation_path = "timebook__service__organisation"
    form = CampaignForm
    list_display = ["__str__", "state", "progress", "batch_size", "pause_seconds", "next_batch_at", "created_at"]
    list_filter = ["state", ("timebook", admin.RelatedOnlyFieldListFilter)]
    actions = ["pause", "resume"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return [*CampaignForm.Meta.fields, "state", "total", "sent_count", "next_batch_at", "progress"]

    @admin.display(description=_("Fremdrift"))
    def progress(self, obj: InvitationCampaign) -> str:
        return format_html(
            '<progress max="{}" value="{}" aria-label="{} av {} sendt"></progress> {} / {}',
            obj.total or 1,
            obj.sent_count,
            obj.sent_count,
            obj.total,
            obj.sent_count,
            obj.total,
        )

    def save_model(self, request: HttpRequest, obj: InvitationCampaign, form: Any, change: bool) -> None:
        if change:
            return  # a started campaign is changed only by pausing and resuming
        created = campaign_create(
            timebook=form.cleaned_data["timebook"],
            born_from=form.cleaned_data["born_from"],
            born_to=form.cleaned_data["born_to"],
            batch_size=form.cleaned_data["batch_size"],
            pause_seconds=form.cleaned_data["pause_seconds"],
            text=form.cleaned_data.get("text") or "",
            created_by=request.user,
        )
        obj.pk = created.pk
        obj.refresh_from_db()

    @admin.action(description=_("Sett på pause"), permissions=["change"])
    def pause(self, request: HttpRequest, queryset: QuerySet[InvitationCampaign]) -> None:
        count = sum(campaign_pause(campaign=c) for c in queryset)
        text = ngettext("%(count)d utsendelse satt på pause.", "%(count)d utsendelser satt på pause.", count)
        self.message_user(request, text % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Fortsett utsendelsen"), permissions=["change"])
    def resume(self, request: HttpRequest, queryset: QuerySet[InvitationCampaign]) -> None:
        count = sum(campaign_resume(campaign=c) for c in queryset)
        text = ngettext("%(count)d utsendelse fortsetter.", "%(count)d utsendelser fortsetter.", count)
        self.message_user(request, text % {"count": count}, messages.SUCCESS)
