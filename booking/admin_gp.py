"""The clinic's own booking work in the admin (source 004): «Sette opp pasient på time», «Flytt time», and what the
day and week views show of each appointment. The services tell the patient (Innboks and their channels)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citizens.models import Citizen
from core.national_id import validate_national_id
from resourcebooks.models import Slot
from resourcebooks.selectors import organisations_for_staff
from resourcebooks.slot_choices import SlotChoiceField, free_slots, slot_label

from .errors import BookingError
from .models import Appointment
from .services import appointment_book_by_clinic, appointment_move
from .staff_selectors import patients_of
from .video_rules import video_room_exists


class BookForm(forms.Form):
    national_id = forms.CharField(
        label=_("Fødselsnummer"), min_length=11, max_length=11, validators=[validate_national_id]
    )
    slot = SlotChoiceField(label=_("Ledig time"), queryset=Slot.objects.none())
    reason = forms.CharField(label=_("Hva gjelder det?"), max_length=50)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = organisations_for_staff(user)
        self.fields["slot"].queryset = free_slots(  # type: ignore[attr-defined]
            Q(timebook__service__organisation__in=self.organisations)
        )

    def clean_national_id(self) -> Citizen:
        citizen = patients_of(self.organisations).filter(national_id=self.cleaned_data["national_id"]).first()
        if citizen is None:
            raise ValidationError("Fant ingen pasient med dette fødselsnummeret på legekontorets liste.")
        return citizen


class MoveForm(forms.Form):
    to_slot = SlotChoiceField(label=_("Ny time"), queryset=Slot.objects.none())

    def __init__(self, *args: Any, appointment: Appointment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_slot"].queryset = free_slots(Q(timebook_id=appointment.slot.timebook_id))  # type: ignore[attr-defined]


def _page(request: HttpRequest, admin: Any, title: str, intro: str, form: forms.Form, **extra: Any) -> HttpResponse:
    context = {
        **admin.admin_site.each_context(request),
        "opts": admin.model._meta,
        "title": title,
        "intro": intro,
        "objects": [],
        "form": form,
        "submit": title,
        **extra,
    }
    return render(request, "admin/resourcebooks/period_action.html", context)


def book_view(admin: Any, request: HttpRequest) -> HttpResponse:
    """«Sett opp pasient på time»: a patient on the office's list, a free time of the office; assigned at once, and
    the patient is told «Du har fått en ny timeavtale»."""
    if not admin.has_change_permission(request):
        raise PermissionDenied
    form = BookForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = appointment_book_by_clinic(
                person=form.cleaned_data["national_id"],
                slot=form.cleaned_data["slot"],
                reason=form.cleaned_data["reason"],
            )
        except BookingError as error:
            form.add_error("slot", str(error))
        else:
            messages.success(request, f"{appointment.citizen.full_name} er satt opp på time. Pasienten er varslet.")
            return HttpResponseRedirect(reverse("admin:booking_appointment_change", args=[appointment.pk]))
    intro = "Timen blir tildelt med en gang, og pasienten får beskjed i Innboks og på sine varslingskanaler."
    return _page(request, admin, "Sett opp pasient på time", intro, form)


def move_action(admin: Any, request: HttpRequest, queryset: QuerySet[Appointment]) -> HttpResponse | None:
    """«Flytt time»: one active appointment to another free time of the same timebook; the patient is told."""
    appointments = list(queryset.filter(status__in=Appointment.ACTIVE).select_related("slot"))
    if len(appointments) != 1:
        admin.message_user(request, "Velg én aktiv time å flytte.", messages.WARNING)
        return None
    appointment = appointments[0]
    form = MoveForm(request.POST if "apply" in request.POST else None, appointment=appointment)
    if "apply" in request.POST and form.is_valid():
        try:
            new = appointment_move(appointment=appointment, to_slot=form.cleaned_data["to_slot"])
        except BookingError as error:
            form.add_error("to_slot", str(error))
        else:
            admin.message_user(request, f"Timen er flyttet til {slot_label(new.slot)}. Pasienten er varslet.")
            return None
    intro = f"Flytt {slot_label(appointment.slot)} til en annen ledig time i samme timebok. Pasienten får beskjed."
    return _page(request, admin, "Flytt time", intro, form, objects=[appointment], action="move")


def video_link(appointment: Appointment, *, may_start: bool) -> str:
    """«Start video» on a video appointment's admin page: the same room the patient enters. Only the appointment's
    practitioner (or the vikar covering them) holds the room; the rest of the office is told who does."""
    if not video_room_exists(appointment):
        return "–"
    if not may_start:
        return gettext("Bare behandleren timen er hos, eller vikaren for behandleren, kan starte video.")
    return format_html('<a class="button" href="{}">Start video</a>', reverse("video:room", args=[appointment.pk]))
