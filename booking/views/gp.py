"""Booking with the fastlege, source 003 steps 5 and 6: the office's kartleggingsskjema («Timebestilling hos
fastlegen»), or the simple time request when the office has no calendar booking, then «Velg behandler ved
<kontor>» (the fastlege and any vikar set on him), before the calendar of the fastlege's timebook.

What was chosen is kept in the session per person and timebook: the calendar's and the review's links stay
the resource timebooks' own.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from addressregistry.diagnosis import Offer
from citizens.access import citizen_required
from core.requests import CitizenRequest
from resourcebooks.models import Practitioner, Timebook

from .. import gp_selectors as gp
from .. import texts
from ..forms import BehandlerForm, SurveyForm
from .flow import Flow, flow_for, gp_choices_key


def _key(flow: Flow, timebook: Timebook) -> str:
    return gp_choices_key(flow.person, timebook)


def gp_choices(request: CitizenRequest, flow: Flow, timebook: Timebook) -> dict[str, Any]:
    """What the person chose in steps 5 and 6 for this timebook: ``gjelder`` and ``behandler`` (an id)."""
    return dict(request.session.get(_key(flow, timebook), {}))


def chosen_behandler(request: CitizenRequest, flow: Flow, timebook: Timebook) -> Practitioner:
    """The behandler chosen under «Velg behandler», while still listed; else the fastlege."""
    listed = gp.behandlere(timebook)
    chosen = gp_choices(request, flow, timebook).get("behandler")
    return next((p for p in listed if p.pk == chosen), listed[0])


def _remember(request: CitizenRequest, flow: Flow, timebook: Timebook, **values: Any) -> None:
    request.session[_key(flow, timebook)] = gp_choices(request, flow, timebook) | values


@require_GET
@citizen_required
def practitioner(request: CitizenRequest, her_id: int) -> HttpResponse:
    """«Konsultasjon med fastlegen»: the person's own fastlege's timebook when the rules let it be booked;
    otherwise (a practitioner role of the «mellomløsning», no fastlege here, more than one timebook, not
    online) no free times can be fetched, and the citizen is offered a time request."""
    flow = flow_for(request, her_id)
    offer = flow.contact.offer
    if offer not in (Offer.PRACTITIONER, Offer.PRACTITIONER_ROLE):
        raise Http404
    organisation = flow.service.organisation
    timebook = gp.fastlege_timebook(flow.person, organisation.pk) if offer is Offer.PRACTITIONER else None
    if timebook is None:
        return render(request, "booking/practitioner.html", {"flow": flow, "offer": offer})
    office = gp.clinic_settings(organisation.pk)
    if not office.calendar_booking:
        # Source 003: without calendar booking, the simple time request, if the office takes time wishes.
        if not office.time_wish:
            closed = {"flow": flow, "offer": offer, "request_button": False}
            return render(request, "booking/practitioner.html", closed)
        return redirect(f"{reverse('booking:time_request', args=[her_id])}?timebok={timebook.pk}")
    context: dict[str, Any] = {"flow": flow, "timebook": timebook, "office": office}
    survey_choices = [line.strip() for line in office.survey_choices.splitlines() if line.strip()]
    # «Tilbake» from «Velg behandler» asks again; «Neste» on the survey sends «svar», chosen or not.
    answered = "gjelder" in request.GET or "svar" in request.GET
    asked = answered or "kartlegging" in request.GET
    if survey_choices and (asked or "gjelder" not in gp_choices(request, flow, timebook)):
        initial = {"gjelder": gp_choices(request, flow, timebook).get("gjelder")}
        bound = request.GET if answered else None
        survey = SurveyForm(bound, initial=initial, choices=survey_choices)
        if not survey.is_valid():
            context["form"] = survey
            status = 400 if survey.is_bound else 200
            return render(request, "booking/gp_survey.html", context, status=status)
        _remember(request, flow, timebook, gjelder=survey.cleaned_data["gjelder"])
    listed = gp.behandlere(timebook)
    form = BehandlerForm(
        request.GET if "behandler" in request.GET else None,
        initial={"behandler": chosen_behandler(request, flow, timebook).pk},
        practitioners=listed,
    )
    if form.is_bound and form.is_valid():
        _remember(request, flow, timebook, behandler=form.cleaned_data["behandler"])
        return redirect("booking:time", her_id=her_id, timebook_id=timebook.pk)
    context |= {"form": form, "survey": bool(survey_choices), "required_note": texts.ALL_FIELDS_REQUIRED}
    return render(request, "booking/gp_behandler.html", context, status=400 if form.is_bound else 200)
