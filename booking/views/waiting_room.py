"""«Du er i kø»: a timebook's waiting room, the page and the place it polls (the queue itself, and the decorator
that sends a citizen here, are in ``queueing`` and ``booking.waiting_room``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect

from citizens.access import citizen_required
from core.requests import CitizenRequest
from queueing.admission import waiting_room_enter
from queueing.rooms import local_path, queue_context, waiting_room_member
from resourcebooks.waiting import waiting_rate

from ..waiting_room import flow_prefix, waiting_room_url
from .flow import flow_for, timebook_in_flow


def _next_url(request: HttpRequest, her_id: int, timebook_id: int) -> str:
    """Where the citizen was going: a page of this timebook's steps, else its first step (no open redirect)."""
    prefix = flow_prefix(her_id, timebook_id)
    target = local_path(request.GET.get("neste", ""), under=lambda path: path.startswith(prefix))
    return target or reverse("booking:place", args=[her_id, timebook_id])


def _waiting(request: CitizenRequest, her_id: int, timebook_id: int, *, partial: bool) -> HttpResponse:
    flow = flow_for(request, her_id)
    timebook = timebook_in_flow(flow, timebook_id)
    next_url = _next_url(request, her_id, timebook_id)
    member = waiting_room_member(request)
    assert member is not None  # citizen_required
    admission = waiting_room_enter(room=timebook.pk, member=member, rate=waiting_rate(timebook))
    if admission.admitted:
        return HttpResponseClientRedirect(next_url) if request.htmx else redirect(next_url)
    context = {
        "flow": flow,
        "timebook": timebook,
        "next_url": next_url,
        **queue_context(
            admission,
            self_url=waiting_room_url(her_id, timebook_id, next_url),
            place_url=waiting_room_url(her_id, timebook_id, next_url, place_only=True),
        ),
    }
    template = "queueing/queue_place.html" if partial else "booking/waiting_room.html"
    return render(request, template, context)


@require_GET
@citizen_required
def waiting_room_page(request: CitizenRequest, her_id: int, timebook_id: int) -> HttpResponse:
    """«Du er i kø»: the citizen's place and an estimate; the page asks again by itself and lets them in."""
    return _waiting(request, her_id, timebook_id, partial=False)


@require_GET
@citizen_required
def waiting_room_place(request: CitizenRequest, her_id: int, timebook_id: int) -> HttpResponse:
    """The place and estimate alone, which the page polls; when it is their turn, htmx goes on (HX-Redirect)."""
    return _waiting(request, her_id, timebook_id, partial=True)
