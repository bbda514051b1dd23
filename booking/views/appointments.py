"""Home, Timeavtaler and one appointment: the page, «Avbestill time» and «Legg i egen kalender».

Another citizen's appointment answers 404, and so does a hidden appointment to a parent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from audit.reads import audited_read
from citizens.access import citizen_required
from core.requests import CitizenRequest
from resourcebooks.models import Practitioner

from .. import calendar_export, texts
from .. import selectors as sel
from ..access import appointment_for_viewer
from ..errors import BookingError
from ..models import Appointment
from ..reads import APPOINTMENT_PAGE
from ..services import appointment_can_cancel, appointment_cancel, cancellation_deadline
from ..video_rules import video_room_exists


@dataclass(frozen=True)
class AppointmentView:
    """What the appointment page and list show, in the sources' words."""

    appointment: Appointment

    @property
    def title(self) -> str:
        return texts.appointment_title(self.appointment)

    @property
    def description(self) -> str:
        return texts.appointment_description(self.appointment)

    @property
    def duration(self) -> int:
        return self.appointment.slot.duration_minutes

    @property
    def practitioner(self) -> Practitioner | None:
        """The fastlege of a practitioner's timebook: «Behandler: Fastlege August September» (source 003)."""
        return self.appointment.slot.timebook.practitioner

    @property
    def behandler_line(self) -> str:
        """«Behandler: Fastlege August September», or the vikar chosen (source 003, step 10; issue 22)."""
        return texts.appointment_behandler_line(self.appointment)

    @property
    def attendance_place(self) -> str:
        return texts.attendance_place(self.appointment.slot)

    @property
    def is_video(self) -> bool:
        time_type = self.appointment.slot.time_type
        return self.practitioner is not None and time_type is not None and time_type.mode == "video"

    @property
    def video_url(self) -> str:
        """**Start video**: the appointment's video room, when it has one (assigned, on a video time)."""
        if not video_room_exists(self.appointment):
            return ""
        return reverse("video:room", args=[self.appointment.pk])


@require_GET
def home(request: CitizenRequest) -> HttpResponse:
    return render(request, "booking/home.html", {"articles": texts.HOME_ARTICLES})


@require_GET
@never_cache
def alerts(request: CitizenRequest) -> HttpResponse:
    """*Varsler*: the unread messages in Innboks (the header's count, ``inbox.context_processors``)."""
    return render(request, "booking/alerts.html")


@require_GET
@never_cache
@citizen_required
def appointments(request: CitizenRequest) -> HttpResponse:
    return render(request, "booking/appointments.html", {"lists": sel.timeavtaler(request.person, request.citizen)})


@require_GET
@never_cache
@citizen_required
@audited_read(APPOINTMENT_PAGE)
def appointment_detail(request: CitizenRequest, pk: int) -> HttpResponse:
    appointment = appointment_for_viewer(request.citizen, pk)
    return render(
        request,
        "booking/appointment.html",
        {
            "a": appointment,
            "view": AppointmentView(appointment),
            "can_cancel": appointment_can_cancel(appointment),
            "deadline": cancellation_deadline(appointment),
            "related_messages": appointment.messages.all(),
        },
    )


@require_http_methods(["GET", "POST"])
@never_cache
@citizen_required
def appointment_cancel_view(request: CitizenRequest, pk: int) -> HttpResponse:
    appointment = appointment_for_viewer(request.citizen, pk)
    if request.method == "POST":
        try:
            appointment_cancel(appointment=appointment, by=request.citizen)
        except BookingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Timen er avbestilt. Du finner en kvittering i innboksen."))
        return redirect(appointment)
    return render(request, "booking/cancel.html", {"a": appointment, "view": AppointmentView(appointment)})


@require_GET
@never_cache
@citizen_required
@audited_read(APPOINTMENT_PAGE)
def appointment_ics(request: CitizenRequest, pk: int) -> HttpResponse:
    appointment = appointment_for_viewer(request.citizen, pk)
    body = calendar_export.appointment_ics(
        appointment, title=AppointmentView(appointment).title, host=request.get_host()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="timeavtale-{appointment.pk}.ics"'
    return response
