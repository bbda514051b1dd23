"""The booking steps before the calendar: «Hvem vil du bestille time hos?», «Hva trenger du?», «Velg sted»,
and «Send timeforespørsel».

Every step keeps its state in the URL (contact, timebook, place, month, day, slot), so the flow works with
plain links and forms, the back button does what it says, and HTMX only swaps the calendar and the day's
slots in place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from addressregistry.diagnosis import Offer
from addressregistry.models import Service
from citizens.access import citizen_required
from citizens.models import Citizen
from core.ids import parse_id
from core.limits import HER_ID_MAX
from core.requests import CitizenRequest
from resourcebooks.models import Timebook

from .. import selectors as sel
from ..errors import BookingError
from ..forms import TimeRequestForm
from ..services import time_request_send


@dataclass
class Flow:
    me: Citizen
    person: Citizen
    contact: sel.Contact
    other_municipality: bool

    @property
    def service(self) -> Service:
        return self.contact.service


def flow_for(request: CitizenRequest, her_id: int) -> Flow:
    """The contact chosen in step 1: one of the person's own, or a Smittevern of another municipality."""
    me, person = request.citizen, request.person
    contact = sel.contact_for(person, her_id)
    if contact is not None:
        return Flow(me=me, person=person, contact=contact, other_municipality=False)
    service = (
        Service.objects.filter(her_id=her_id, service_type=Service.Type.SMITTEVERN)
        .select_related("organisation")
        .first()
    )
    if service is None or service.organisation_id == person.municipality_id:
        raise Http404
    contact = next(
        (c for c in sel.other_municipality_contacts(service.organisation) if c.service.her_id == her_id), None
    )
    if contact is None:
        raise Http404
    return Flow(me=me, person=person, contact=contact, other_municipality=True)


def timebook_in_flow(flow: Flow, timebook_id: int | None) -> Timebook:
    timebooks = sel.timebooks_for(flow.person, flow.contact, other_municipality=flow.other_municipality)
    timebook = next((tb for tb in timebooks if tb.pk == timebook_id), None)
    if timebook is None:
        raise Http404
    return timebook


@require_GET
@citizen_required
def choose_contact(request: CitizenRequest) -> HttpResponse:
    """Step 1: «Hvem vil du bestille time hos?»."""
    person = request.person
    return render(
        request,
        "booking/choose_contact.html",
        {"contacts": sel.contacts_for(person), "other_municipalities": sel.other_municipalities(person)},
    )


@require_GET
@citizen_required
def other_municipality(request: CitizenRequest) -> HttpResponse:
    """«Bestill koronatest i annen kommune»: choose a municipality, then its Smittevern contacts."""
    municipalities = sel.other_municipalities(request.person).order_by("name")
    chosen = None
    contacts: list[sel.Contact] = []
    raw = request.GET.get("kommune", "")
    if raw:
        her_id = parse_id(raw)
        chosen = municipalities.filter(her_id=her_id).first() if her_id is not None and her_id <= HER_ID_MAX else None
        if chosen is None:
            raise Http404
        contacts = sel.other_municipality_contacts(chosen)
    return render(
        request,
        "booking/other_municipality.html",
        {"municipalities": municipalities, "chosen": chosen, "contacts": contacts},
    )


@require_http_methods(["GET", "POST"])
@citizen_required
def choose_timebook(request: CitizenRequest, her_id: int) -> HttpResponse:
    """Step 2: «Hva trenger du?» (or, for a misconfigured or practitioner service, «Velg behandler»)."""
    flow = flow_for(request, her_id)
    offer = flow.contact.offer
    timebooks = sel.timebooks_for(flow.person, flow.contact, other_municipality=flow.other_municipality)
    error = ""
    if request.method == "POST":
        choice = request.POST.get("timebook", "")
        if choice == "behandler" and offer in (Offer.PRACTITIONER, Offer.PRACTITIONER_ROLE):
            return redirect("booking:practitioner", her_id=her_id)
        choice_id = parse_id(choice)
        if choice_id is not None and any(tb.pk == choice_id for tb in timebooks):
            return redirect("booking:place", her_id=her_id, timebook_id=choice_id)
        error = _("Du må velge hva du trenger")
    office_texts = list(dict.fromkeys(tb.office_information for tb in timebooks if tb.office_information))
    return render(
        request,
        "booking/choose_timebook.html",
        {"flow": flow, "offer": offer, "timebooks": timebooks, "office_texts": office_texts, "error": error},
        status=400 if error else 200,
    )


@require_GET
@citizen_required
def practitioner(request: CitizenRequest, her_id: int) -> HttpResponse:
    """A practitioner role (the «mellomløsning» symptom) or a GP's own calendar, which the simulator does
    not hold: no free times can be fetched, and the citizen is offered a time request."""
    flow = flow_for(request, her_id)
    if flow.contact.offer not in (Offer.PRACTITIONER, Offer.PRACTITIONER_ROLE):
        raise Http404
    return render(request, "booking/practitioner.html", {"flow": flow, "offer": flow.contact.offer})


@require_GET
@citizen_required
def choose_place(request: CitizenRequest, her_id: int, timebook_id: int) -> HttpResponse:
    """«Velg sted» when the timebook offers free times at more than one place; otherwise straight on."""
    flow = flow_for(request, her_id)
    timebook = timebook_in_flow(flow, timebook_id)
    locations = sel.locations_with_free_slots(timebook)
    if len(locations) <= 1:
        url = reverse("booking:time", args=[her_id, timebook_id])
        return redirect(f"{url}?sted={locations[0].pk}" if locations else url)
    return render(request, "booking/choose_place.html", {"flow": flow, "timebook": timebook, "locations": locations})


@require_http_methods(["GET", "POST"])
@citizen_required
def time_request(request: CitizenRequest, her_id: int) -> HttpResponse:
    """«Send timeforespørsel» (source 003): Emne (max 50) and times that suit (max 250)."""
    flow = flow_for(request, her_id)
    # The timebook comes with the link (?timebok=), then with the form; one outside the contact is a 404.
    form = TimeRequestForm(
        request.POST if request.method == "POST" else None,
        initial={"timebok": request.GET.get("timebok", "")},
        person=flow.person,
    )
    raw = form["timebok"].value()
    timebook = timebook_in_flow(flow, parse_id(raw)) if raw else None
    context = {"flow": flow, "timebook": timebook, "form": form}
    if form.is_valid():
        try:
            time_request_send(
                person=flow.person,
                booked_by=flow.me,
                service=flow.service,
                timebook=timebook,
                subject=form.cleaned_data["subject"],
                suggested_times=form.cleaned_data["suggested_times"],
            )
        except BookingError as error:
            form.add_booking_error(error)
        else:
            messages.success(request, _("Timeforespørselen er sendt. Du får svar i innboksen."))
            return redirect("booking:appointments")
    form.rebind_if_person_changed()
    return render(request, "booking/time_request.html", context, status=400 if form.errors else 200)
