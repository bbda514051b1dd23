"""The video room of a video appointment (issue 13, source 003 «Start video»): one page for both sides, and the
two JSON endpoints its script signals through.

The appointment's patient (or someone who may act for them; a hidden appointment not for the parents) enters as
the patient, the appointment's practitioner (or a vikar set on them today, ``video_selectors``) as the
practitioner; anyone else, the rest of the office's staff too, gets 404, as for an appointment that does not
exist. Signalling answers JSON: 403 when logged out, 409 with the Norwegian reason
when the service refuses, 429 (with ``Retry-After`` when waiting helps) when a side has sent more than its share.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

import audit
from booking.access import appointment_for_viewer
from booking.errors import BookingError
from booking.models import Appointment
from booking.services.transitions import APPOINTMENT_RELATED
from booking.video_rules import may_hold_video_room, video_room_exists
from citizens.access import login_url
from core import formatting as fmt
from core.ids import parse_id
from core.requests import CitizenRequest

from .models import VideoSignal
from .services import (
    Phase,
    VideoSignalLimit,
    video_room_forget,
    video_room_opens_at,
    video_room_state,
    video_signal_send,
    video_signals_after,
    video_start_cursor,
)

Sender = VideoSignal.Sender


class VideoSignalForm(forms.Form):
    kind = forms.ChoiceField(choices=VideoSignal.Kind.choices)
    payload = forms.JSONField(required=False)  # its size is the service's rule


def _logged_in(request: CitizenRequest) -> bool:
    return request.user.is_authenticated


def _get_room_for_user(request: CitizenRequest, pk: int) -> tuple[Appointment, str]:
    """The appointment and the side the user enters on; 404 if it has no room or the user has no place in it."""
    related = ("slot__time_type", "slot__timebook__practitioner")
    if request.citizen is not None:  # the patient's side: whoever may see the appointment
        appointment, side = appointment_for_viewer(request.citizen, pk, *related), Sender.PATIENT
    else:
        appointment = get_object_or_404(Appointment.objects.select_related(*APPOINTMENT_RELATED, *related), pk=pk)
        side = Sender.PRACTITIONER
        if not may_hold_video_room(request.user, appointment):
            raise Http404
    if not video_room_exists(appointment):
        raise Http404
    return appointment, side


def _texts(role: str) -> dict[str, str]:
    """What the script shows, translated here: the script holds no words of its own."""
    other_is_patient = role == Sender.PRACTITIONER
    return {
        "lobby": _("Venter på at behandleren skal slippe deg inn"),
        "no_patient": _("Pasienten har ikke kommet inn i venterommet ennå."),
        "patient_waiting": _("Pasienten venter i venterommet."),
        "connecting": _("Kobler til …"),
        "in_call": _("Du er i videotimen."),
        "other_left": _("Pasienten har forlatt videotimen.")
        if other_is_patient
        else _("Behandleren har forlatt videotimen. Vent her, eller forlat rommet."),
        "you_left": _("Du har forlatt videotimen."),
        "camera_off": _("Slå av kamera"),
        "camera_on": _("Slå på kamera"),
        "microphone_off": _("Slå av mikrofon"),
        "microphone_on": _("Slå på mikrofon"),
        "other_camera_off": _("Pasienten har slått av kameraet.")
        if other_is_patient
        else _("Behandleren har slått av kameraet."),
        "other_microphone_off": _("Pasienten har slått av mikrofonen.")
        if other_is_patient
        else _("Behandleren har slått av mikrofonen."),
        "no_media": _(
            "Fikk ikke tilgang til kamera og mikrofon. Sjekk innstillingene i nettleseren, og last inn siden på nytt."
        ),
        "lost": _("Mistet forbindelsen til videorommet. Prøver igjen …"),
        "closed": _("Videorommet er stengt."),
    }


def _config(request: CitizenRequest, appointment: Appointment, role: str) -> dict[str, Any]:
    state = video_room_state(appointment=appointment)
    return {
        "role": role,
        "phase": state.phase,
        "cursor": video_start_cursor(state, me=role),
        "opens_in_ms": max(0, int((video_room_opens_at(appointment) - timezone.now()).total_seconds() * 1000)),
        "signals_url": reverse("video:signals", args=[appointment.pk]),
        "send_url": reverse("video:signal_send", args=[appointment.pk]),
        "csrf": get_token(request),
        "texts": _texts(role),
    }


def _way_back(appointment: Appointment, role: str) -> str:
    if role == Sender.PATIENT:
        return appointment.get_absolute_url()
    return reverse("admin:booking_appointment_change", args=[appointment.pk])


@require_GET
@never_cache
def video_room(request: CitizenRequest, pk: int) -> HttpResponse:
    """The room: a note of when it opens, the lobby and the call, or a note that it is closed."""
    if not _logged_in(request):
        return redirect(login_url(request))
    appointment, role = _get_room_for_user(request, pk)
    organisation = appointment.slot.timebook.service.organisation
    audit.record(
        "read", "video_room", appointment.pk, organisation_her_id=organisation.her_id, summary=f"Videorom ({role})"
    )
    config = _config(request, appointment, role)
    if config["phase"] == Phase.CLOSED:
        video_room_forget(appointment=appointment)
    practitioner = appointment.slot.timebook.practitioner
    return render(
        request,
        "video/room.html",
        {
            "a": appointment,
            "role": role,
            "is_patient": role == Sender.PATIENT,
            "phase": config["phase"],
            "organisation": organisation,
            "practitioner": practitioner,
            "moment": fmt.appointment_moment(appointment.slot.start),
            "opens_at_text": fmt.appointment_moment(video_room_opens_at(appointment)),
            "way_back": _way_back(appointment, role),
            "config": config,
        },
    )


@require_GET
@never_cache
def video_signals(request: CitizenRequest, pk: int) -> JsonResponse:
    """What the other side sent after the cursor ``?etter=``, and the room's state."""
    if not _logged_in(request):
        return JsonResponse({"error": _("Du er ikke logget inn.")}, status=403)
    appointment, role = _get_room_for_user(request, pk)
    cursor = parse_id(request.GET.get("etter", "0"))
    if cursor is None:
        return JsonResponse({"error": _("Ugyldig markør.")}, status=400)
    state = video_room_state(appointment=appointment)
    if state.phase == Phase.CLOSED:
        video_room_forget(appointment=appointment)
    signals = (
        [] if state.phase == Phase.CLOSED else video_signals_after(appointment=appointment, cursor=cursor, me=role)
    )
    return JsonResponse(
        {
            "cursor": signals[-1].pk if signals else cursor,
            "signals": [{"id": s.pk, "kind": s.kind, "payload": s.payload} for s in signals],
            "state": state.as_json(),
        }
    )


@require_POST
@never_cache
def video_signal_send_view(request: CitizenRequest, pk: int) -> JsonResponse:
    """One signal from this side (form-encoded ``kind`` and JSON ``payload``; the CSRF token in the header)."""
    if not _logged_in(request):
        return JsonResponse({"error": _("Du er ikke logget inn.")}, status=403)
    appointment, role = _get_room_for_user(request, pk)
    form = VideoSignalForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": _("Meldingen til videorommet er ugyldig.")}, status=400)
    try:
        signal = video_signal_send(
            appointment=appointment, sender=role, kind=form.cleaned_data["kind"], payload=form.cleaned_data["payload"]
        )
    except VideoSignalLimit as error:
        response = JsonResponse({"error": str(error.message)}, status=429)
        if error.retry_after:
            response["Retry-After"] = str(error.retry_after)
        return response
    except BookingError as error:
        return JsonResponse({"error": str(error.message)}, status=409)
    return JsonResponse({"id": signal.pk})
