"""Who may see an appointment: the one place the citizen's pages ask (issue 21), as healthchecks'
``_get_check_for_user`` is for a check. Answers 404 for anyone else, so another person's appointment is not even
known to exist."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from citizens.models import Citizen
from citizens.selectors import may_act_for

from .models import Appointment
from .services.transitions import APPOINTMENT_RELATED


def appointment_for_viewer(viewer: Citizen, pk: int, *related: str) -> Appointment:
    """The appointment if it is the viewer's own, or of someone they may act for today and not hidden; else 404.
    ``related``: more relations to read with it."""
    appointment = get_object_or_404(Appointment.objects.select_related(*APPOINTMENT_RELATED, *related), pk=pk)
    if appointment.citizen_id == viewer.pk:
        return appointment
    if appointment.hidden or may_act_for(viewer, appointment.citizen_id, timezone.localdate()) is None:
        raise Http404
    return appointment
