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

from .. import gp_selectors as gp
from .. import selectors as sel
from .. import texts
from ..errors import BookingError
from ..forms import TimeRequestForm
from ..services import time_request_send
from ..waiting_room import waiting_room


@dataclass
class Flow:
    me: Citizen
    person: Citizen
    contact: sel.Contact
    other_municipality: bool
    # «Ditt fastlegekontor» on its «Hva trenger du?»; ``contact`` is then its service for a time request
    office: sel.GpOfficeContact | None = None

    @property
    def service(self) -> Service:
        return self.contact.service

    @property
    def acting_for_other(self) -> bool:
        return self.person.pk != self.me.pk

    @property
    def contact_her_id(self) -> int:
        """Where «Tilbake» to «Hva trenger du?» goes: the GP office's services are one contact (source 003)."""
        org = self.service.organisation
        return org.her_id if org.pk == self.person.gp_office_id else self.service.her_id


def gp_choices_key(person: Citizen, timebook: Timebook | None = None) -> str:
    """Where the session keeps what the person chose in steps 5 and 6 of booking with the fastlege (``views.gp``)."""
    return f"booking.gp.{person.pk}.{timebook.pk if timebook is not None else ''}"


def gp_choices_forget(request: CitizenRequest, flow: Flow) -> None:
    """Each booking starts clean (issue 22): what the person chose in steps 5 and 6 is forgotten when a booking is
    sent and when «Konsultasjon med fastlegen» is chosen again, so the survey is asked again and its answer does
    not fill «Hva gjelder det?» of the next booking."""
    prefix = gp_choices_key(flow.person)
    for key in [k for k in request.session.keys() if k.startswith(prefix)]:  # noqa: SIM118 - no __iter__
        del request.session[key]


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
    """One of the contact's timebooks the person may book in: a listed resource timebook, or, for booking with
    a practitioner, the person's own fastlege's timebook (source 004)."""
    if flow.contact.offer is Offer.PRACTITIONER:
        own = gp.fastlege_timebook(flow.person, flow.service.organisation_id)
        if own is not None and own.pk == timebook_id:
            return own
    timebooks = sel.timebooks_for(
        flow.person, flow.contact, other_municipality=flow.other_municipality, only=timebook_id
    )
    timebook = next((tb for tb in timebooks if tb.pk == timebook_id), None)
    if timebook is None:
        raise Http404
    return timebook


def flow_and_timebook(request: CitizenRequest, her_id: int, timebook_id: int) -> tuple[Flow, Timebook]:
    """``flow_for`` and ``timebook_in_flow`` together: a resource timebook of one of the person's own services,
    the common case, is read with its service in one query where it took two, and the same rules are applied
    to it; anything else is asked as those two ask it."""
    timebook = sel.own_resource_timebook(request.person, her_id, timebook_id)
    contact = sel.contact_of(timebook.service) if timebook is not None else None
    if timebook is None or contact is None:
        flow = flow_for(request, her_id)
        return flow, timebook_in_flow(flow, timebook_id)
    if not sel.timebook_listed_for(request.person, contact, timebook):
        raise Http404
    return Flow(me=request.citizen, person=request.person, contact=contact, other_municipality=False), timebook


@require_GET
@citizen_required
def choose_contact(request: CitizenRequest) -> HttpResponse:
    """Step 1: «Hvem vil du bestille time hos?»."""
    person = request.person
    return render(
        request,
        "booking/choose_contact.html",
        # Only whether there are any: the page links to the list, it does not show it.
        {"contacts": sel.contacts_for(person), "other_municipalities": sel.other_municipalities(person).exists()},
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


def _step_2_flow(request: CitizenRequest, her_id: int) -> Flow:
    """«Ditt fastlegekontor» by the office's HER-id or one of its services' (all show the one page), else the
    contact of ``flow_for``."""
    office = sel.gp_office_contact(request.person, her_id)
    if office is None:
        return flow_for(request, her_id)
    return Flow(me=request.citizen, person=request.person, contact=office.main, other_municipality=False, office=office)


def _chosen(choices: list[sel.Choice], raw: str) -> sel.Choice | None:
    """The radio chosen; a bare «behandler» (a form from before the GP office's services were one contact)
    means the practitioner when there is one."""
    practitioners = [c for c in choices if c.timebook is None]
    if raw == sel.PRACTITIONER_CHOICE and len(practitioners) == 1:
        return practitioners[0]
    return next((c for c in choices if c.value == raw), None)


@require_http_methods(["GET", "POST"])
@citizen_required
def choose_timebook(request: CitizenRequest, her_id: int) -> HttpResponse:
    """Step 2: «Hva trenger du?» (or, for a municipal service on the «mellomløsning», «Velg behandler»)."""
    flow = _step_2_flow(request, her_id)
    contacts = flow.office.services if flow.office else (flow.contact,)
    choices = sel.choices_for(
        flow.person, contacts, acting_for_other=flow.acting_for_other, other_municipality=flow.other_municipality
    )
    error = ""
    if request.method == "POST":
        choice = _chosen(choices, request.POST.get("timebook", ""))
        if choice is None:
            error = _("Du må velge hva du trenger")
        elif choice.unavailable:
            error = choice.unavailable
        elif choice.timebook is None:
            gp_choices_forget(request, flow)
            return redirect("booking:practitioner", her_id=choice.service.her_id)
        else:
            return redirect("booking:place", her_id=choice.service.her_id, timebook_id=choice.timebook.pk)
    timebooks = [c.timebook for c in choices if c.timebook is not None]
    # «Informasjon fra legekontoret» (source 003, step 4): the office's own text, then its timebooks'.
    own = [gp.clinic_settings(flow.office.organisation.pk).information] if flow.office else []
    office_texts = list(dict.fromkeys(t for t in [*own, *(tb.office_information for tb in timebooks)] if t))
    role_page = flow.office is None and flow.contact.offer is Offer.PRACTITIONER_ROLE
    context = {"flow": flow, "role_page": role_page, "choices": choices, "office_texts": office_texts, "error": error}
    return render(request, "booking/choose_timebook.html", context, status=400 if error else 200)


@require_GET
@citizen_required
@waiting_room
def choose_place(request: CitizenRequest, her_id: int, timebook_id: int) -> HttpResponse:
    """«Velg sted» when the timebook offers free times at more than one place; otherwise straight on."""
    flow, timebook = flow_and_timebook(request, her_id, timebook_id)
    locations = sel.locations_with_free_slots(timebook)
    if len(locations) <= 1:
        url = reverse("booking:time", args=[her_id, timebook_id])
        return redirect(f"{url}?sted={locations[0].pk}" if locations else url)
    context = {"flow": flow, "timebook": timebook, "locations": locations, "required_note": texts.ALL_FIELDS_REQUIRED}
    return render(request, "booking/choose_place.html", context)


def _time_request_back(flow: Flow, timebook: Timebook | None) -> str:
    """«Forrige» goes back where the citizen came from (issue 22): with a timebook, its calendar («Finner du ikke
    ledig time?»), unless it is a fastlege's at an office without calendar booking, whose «Hva trenger du?» led
    straight here (source 003, step 5); without one, «Hva trenger du?»."""
    if timebook is not None and (
        timebook.kind != Timebook.Kind.PRACTITIONER or gp.clinic_settings(flow.service.organisation_id).calendar_booking
    ):
        return reverse("booking:time", args=[flow.service.her_id, timebook.pk])
    return reverse("booking:choose_timebook", args=[flow.contact_her_id])


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
    context = {
        "flow": flow,
        "timebook": timebook,
        "form": form,
        "back_url": _time_request_back(flow, timebook),
        "suggested_hint": texts.suggested_times_hint(flow.service.organisation),
    }
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
            form.add_service_error(error)
        else:
            messages.success(request, _("Timeforespørselen er sendt. Du får svar i innboksen."))
            return redirect("booking:appointments")
    form.rebind_if_person_changed()
    return render(request, "booking/time_request.html", context, status=400 if form.errors else 200)
