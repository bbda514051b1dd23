"""The patient portal: test login, Timeavtaler, the six booking steps, Innboks, acting for others.

Every step keeps its state in the URL (contact, timebook, place, month, day, slot), so the flow works
with plain links and forms, the back button does what it says, and HTMX only swaps the calendar and
the day's slots in place. Another citizen's appointment, message or child answers 404.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from addressregistry.diagnosis import Offer
from addressregistry.models import Organisation, Service
from resourcebooks.models import Location, Slot, Timebook
from resourcebooks.national_id import parse_national_id

from . import calendar_export
from . import formatting as fmt
from . import selectors as sel
from .models import REASON_MAX, Appointment, Citizen, InboxMessage
from .services import (
    BookingError,
    SlotTaken,
    appointment_cancel,
    appointment_request,
    cancellation_deadline,
    time_request_send,
)

ACTING_FOR = "acting_for"
CALENDAR_HORIZON_DAYS = 400
BLOCKED_TEXT = gettext_lazy("Tjenesten kunne ikke hente ledige timer. Prøv igjen senere.")
# Texts written elsewhere (resourcebooks, addressregistry) and translated here by their own words, marked so
# that makemessages collects them; a text not in the catalogue is shown as it is. The titles' prefixes have a
# context, as Django's own Norwegian catalogue would otherwise translate the English word «Time».
TITLE_PREFIX = "appointment title prefix"
TRANSLATED_ELSEWHERE = (
    gettext_noop("Fødselsnummeret må bestå av 11 siffer."),
    gettext_noop("Fødselsnummeret er ikke gyldig: kontrollsifrene stemmer ikke. Sjekk at du har skrevet riktig."),
    gettext_noop("Fødselsnummeret inneholder ikke en gyldig fødselsdato."),
    gettext_noop("Fødselsnummeret har en fødselsdato fram i tid."),
    pgettext_lazy("appointment title prefix", "Time til koronatest"),
    pgettext_lazy("appointment title prefix", "Time til koronavaksine"),
    pgettext_lazy("appointment title prefix", "Time til laboratoriet"),
    pgettext_lazy("appointment title prefix", "Time for vaksine"),
    pgettext_lazy("appointment title prefix", "Time"),
)
View = Callable[..., HttpResponse]


# --- Who is asking ----------------------------------------------------------------------------------


def login_url(request: HttpRequest) -> str:
    """The test login, with the way back (its query string encoded, its slashes kept readable)."""
    return f"{reverse('booking:login')}?{urlencode({'next': request.get_full_path()}, safe='/')}"


def citizen_required(view: View) -> View:
    """Citizens only; anyone else goes to the test login and comes back afterwards."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated or not hasattr(request.user, "citizen"):
            return redirect(login_url(request))
        return view(request, *args, **kwargs)

    return wrapper


def _me(request: HttpRequest) -> Citizen:
    return request.user.citizen  # type: ignore[union-attr]


def _person(request: HttpRequest) -> Citizen:
    """Whom the citizen is acting for now: themself, a child under 16 or someone who gave a power of attorney."""
    me = _me(request)
    acting = request.session.get(ACTING_FOR)
    if acting and acting != me.pk:
        person = sel.may_act_for(me, acting, timezone.localdate())
        if person is not None:
            return person
        request.session.pop(ACTING_FOR, None)
    return me


def portal_context(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the person acted for, whom else one may act for, and unread messages."""
    user = request.user
    if not user.is_authenticated or not hasattr(user, "citizen"):
        return {}
    me = user.citizen
    person = _person(request)
    return {
        "me": me,
        "person": person,
        "acting_for_other": person.pk != me.pk,
        "represented": sel.represented_people(me, timezone.localdate()),
        "unread": sel.unread_count(person, me),
    }


# --- Test login ---------------------------------------------------------------------------------------


def _safe_next(request: HttpRequest, fallback: str) -> str:
    """A way back within this site: a path starting with one «/», else the fallback."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback


def _id(raw: str) -> int | None:
    """An id from the request, or None: ASCII digits only and bounded (a 5,000-digit number is not an id)."""
    return int(raw) if re.fullmatch(r"[0-9]{1,18}", raw) else None


def _citizen_from_number(number: str) -> Citizen:
    """An existing test person, or a new one for a valid number (like a test environment of ID-porten)."""
    parsed = parse_national_id(number)
    citizen = Citizen.objects.filter(national_id=parsed.number).select_related("user").first()
    if citizen is not None:
        return citizen
    municipality = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).order_by("her_id").first()
    if municipality is None:
        raise ValidationError(_("Simulatoren har ingen kommune ennå. Kjør «python manage.py seed_demo» først."))
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=f"innbygger-{parsed.number}", first_name="Testperson", last_name=parsed.number[-5:]
        )
        return Citizen.objects.create(
            user=user,
            national_id=parsed.number,
            first_name="Testperson",
            last_name=parsed.number[-5:],
            municipality=municipality,
        )


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    error = ""
    number = ""
    if request.method == "POST":
        chosen = request.POST.get("person", "")
        number = request.POST.get("national_id", "").strip()
        citizen: Citizen | None = None
        if chosen:
            chosen_id = _id(chosen)
            citizen = (
                Citizen.objects.filter(pk=chosen_id, listed_on_test_login=True).select_related("user").first()
                if chosen_id is not None
                else None
            )
            if citizen is None:
                error = _("Fant ikke testpersonen. Velg en person i listen.")
        elif not number:
            error = _("Skriv inn et fødselsnummer på 11 siffer, eller velg en testperson.")
        else:
            try:
                citizen = _citizen_from_number(number)
            except ValidationError as exc:
                error = " ".join(_(message) for message in exc.messages)
        if citizen is not None:
            request.session.cycle_key()
            login(request, citizen.user, backend="django.contrib.auth.backends.ModelBackend")
            request.session["citizen"] = citizen.pk
            return HttpResponseRedirect(_safe_next(request, reverse("booking:appointments")))
    identities = Citizen.objects.filter(listed_on_test_login=True).order_by("first_name", "last_name")
    return render(
        request,
        "booking/login.html",
        {"identities": identities, "error": error, "national_id": number, "next": _safe_next(request, "")},
        status=400 if error else 200,
    )


@require_POST
@citizen_required
def switch_person(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    raw = request.POST.get("person", "")
    person_id = _id(raw)
    person = sel.may_act_for(me, person_id, timezone.localdate()) if person_id is not None else None
    if person is None:
        raise Http404(_("Du kan ikke bruke Helsenorge på vegne av denne personen."))
    request.session[ACTING_FOR] = person.pk
    if person.pk == me.pk:
        messages.info(request, _("Du bruker nå Helsenorge for deg selv."))
    else:
        messages.info(request, _("Du bruker nå Helsenorge på vegne av %(name)s.") % {"name": person.full_name})
    return HttpResponseRedirect(_safe_next(request, reverse("booking:appointments")))


# --- Home, Timeavtaler, an appointment ----------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "booking/home.html")


@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    return render(request, "booking/alerts.html")


@require_GET
@citizen_required
def appointments(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    upcoming, past = sel.upcoming_and_past(person, _me(request))
    return render(request, "booking/appointments.html", {"upcoming": upcoming, "past": past})


def _get_appointment_for_viewer(request: HttpRequest, pk: int) -> Appointment:
    """The appointment if it is the viewer's own, or of someone they act for and not hidden; else 404."""
    me = _me(request)
    appointment = get_object_or_404(
        Appointment.objects.select_related(
            "slot__timebook__service__organisation", "slot__location", "citizen", "booked_by"
        ),
        pk=pk,
    )
    if appointment.citizen_id == me.pk:
        return appointment
    if appointment.hidden or sel.may_act_for(me, appointment.citizen_id, timezone.localdate()) is None:
        raise Http404
    return appointment


@dataclass(frozen=True)
class AppointmentView:
    """What the appointment page and list show, in the sources' words."""

    appointment: Appointment

    @property
    def title(self) -> str:
        from addressregistry.timebook_types import APPOINTMENT_TITLE_PREFIX

        timebook = self.appointment.slot.timebook
        prefix = pgettext(TITLE_PREFIX, APPOINTMENT_TITLE_PREFIX.get(timebook.type, "Time"))
        return _("%(moment)s: %(prefix)s hos %(actor)s") % {
            "moment": fmt.appointment_moment(self.appointment.slot.start),
            "prefix": prefix,
            "actor": sel.actor_name(timebook),
        }

    @property
    def description(self) -> str:
        a = self.appointment
        owner = sel.description_owner(a.slot.timebook)
        return {
            Appointment.Status.ASSIGNED: _("Din timereservasjon er bekreftet. %(owner)s.") % {"owner": owner},
            Appointment.Status.REQUESTED: _(
                "Bestillingen er kun en forespørsel. Timen er ikke tildelt før du mottar en bekreftelse."
            ),
            Appointment.Status.REJECTED: _("Timebestillingen ble ikke godkjent av %(owner)s.") % {"owner": owner},
            Appointment.Status.CANCELLED_BY_CITIZEN: _("Du har avbestilt timen."),
            Appointment.Status.CANCELLED_BY_CLINIC: _("Timen er avlyst av %(owner)s.") % {"owner": owner},
            Appointment.Status.MOVED: _("Timen er flyttet til et nytt tidspunkt."),
        }[a.status]  # type: ignore[index]

    @property
    def duration(self) -> int:
        return self.appointment.slot.duration_minutes


@require_GET
@citizen_required
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _get_appointment_for_viewer(request, pk)
    now = timezone.now()
    can_cancel = appointment.is_active and now <= cancellation_deadline(appointment) and appointment.slot.start > now
    return render(
        request,
        "booking/appointment.html",
        {
            "a": appointment,
            "view": AppointmentView(appointment),
            "can_cancel": can_cancel,
            "deadline": cancellation_deadline(appointment),
            "related_messages": appointment.messages.all(),
        },
    )


@require_http_methods(["GET", "POST"])
@citizen_required
def appointment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _get_appointment_for_viewer(request, pk)
    if request.method == "POST":
        try:
            appointment_cancel(appointment=appointment, by=_me(request))
        except BookingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Timen er avbestilt. Du finner en kvittering i innboksen."))
        return redirect(appointment)
    return render(request, "booking/cancel.html", {"a": appointment, "view": AppointmentView(appointment)})


@require_GET
@citizen_required
def appointment_ics(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _get_appointment_for_viewer(request, pk)
    body = calendar_export.appointment_ics(
        appointment, title=AppointmentView(appointment).title, host=request.get_host()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="timeavtale-{appointment.pk}.ics"'
    return response


# --- The booking steps ------------------------------------------------------------------------------


@require_GET
@citizen_required
def choose_contact(request: HttpRequest) -> HttpResponse:
    """Step 1: «Hvem vil du bestille time hos?»."""
    person = _person(request)
    return render(
        request,
        "booking/choose_contact.html",
        {"contacts": sel.contacts_for(person), "other_municipalities": sel.other_municipalities(person)},
    )


@require_GET
@citizen_required
def other_municipality(request: HttpRequest) -> HttpResponse:
    """«Bestill koronatest i annen kommune»: choose a municipality, then its Smittevern contacts."""
    person = _person(request)
    municipalities = sel.other_municipalities(person).order_by("name")
    chosen = None
    contacts: list[sel.Contact] = []
    raw = request.GET.get("kommune", "")
    if raw:
        her_id = _id(raw)
        chosen = municipalities.filter(her_id=her_id).first() if her_id is not None and her_id < 2**31 else None
        if chosen is None:
            raise Http404
        contacts = sel.other_municipality_contacts(chosen)
    return render(
        request,
        "booking/other_municipality.html",
        {"municipalities": municipalities, "chosen": chosen, "contacts": contacts},
    )


@dataclass
class Flow:
    me: Citizen
    person: Citizen
    contact: sel.Contact
    other_municipality: bool

    @property
    def service(self) -> Service:
        return self.contact.service


def _flow(request: HttpRequest, her_id: int) -> Flow:
    """The contact chosen in step 1: one of the person's own, or a Smittevern of another municipality."""
    me, person = _me(request), _person(request)
    contact = sel.contact_for(person, her_id)
    other = False
    if contact is None:
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
        other = True
    return Flow(me=me, person=person, contact=contact, other_municipality=other)


def _timebook_in_flow(flow: Flow, timebook_id: int) -> Timebook:
    timebook = next(
        (
            tb
            for tb in sel.timebooks_for(flow.person, flow.contact, other_municipality=flow.other_municipality)
            if tb.pk == timebook_id
        ),
        None,
    )
    if timebook is None:
        raise Http404
    return timebook


@require_http_methods(["GET", "POST"])
@citizen_required
def choose_timebook(request: HttpRequest, her_id: int) -> HttpResponse:
    """Step 2: «Hva trenger du?» (or, for a misconfigured or practitioner service, «Velg behandler»)."""
    flow = _flow(request, her_id)
    offer = flow.contact.offer
    timebooks = sel.timebooks_for(flow.person, flow.contact, other_municipality=flow.other_municipality)
    error = ""
    if request.method == "POST":
        choice = request.POST.get("timebook", "")
        if choice == "behandler" and offer in (Offer.PRACTITIONER, Offer.PRACTITIONER_ROLE):
            return redirect("booking:practitioner", her_id=her_id)
        choice_id = _id(choice)
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
def practitioner(request: HttpRequest, her_id: int) -> HttpResponse:
    """A practitioner role (the «mellomløsning» symptom) or a GP's own calendar, which the simulator does
    not hold: no free times can be fetched, and the citizen is offered a time request."""
    flow = _flow(request, her_id)
    if flow.contact.offer not in (Offer.PRACTITIONER, Offer.PRACTITIONER_ROLE):
        raise Http404
    return render(request, "booking/practitioner.html", {"flow": flow, "offer": flow.contact.offer})


@require_GET
@citizen_required
def choose_place(request: HttpRequest, her_id: int, timebook_id: int) -> HttpResponse:
    """«Velg sted» when the timebook offers free times at more than one place; otherwise straight on."""
    flow = _flow(request, her_id)
    timebook = _timebook_in_flow(flow, timebook_id)
    locations = sel.locations_with_free_slots(timebook)
    if len(locations) <= 1:
        url = reverse("booking:time", args=[her_id, timebook_id])
        return redirect(f"{url}?sted={locations[0].pk}" if locations else url)
    return render(request, "booking/choose_place.html", {"flow": flow, "timebook": timebook, "locations": locations})


def _parse_month(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(f"{raw}-01")
    except ValueError:
        return None


def _parse_day(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


@require_GET
@citizen_required
def choose_time(request: HttpRequest, her_id: int, timebook_id: int) -> HttpResponse:
    """Steps 3–4: «Velg time» with the month calendar, and «Ledige timer …» for the chosen day."""
    flow = _flow(request, her_id)
    timebook = _timebook_in_flow(flow, timebook_id)
    locations = sel.locations_with_free_slots(timebook)
    location: Location | None = None
    raw_place = request.GET.get("sted", "")
    if raw_place:
        location = next((loc for loc in locations if str(loc.pk) == raw_place), None)
        if location is None:
            location = (
                Location.objects.filter(pk=place_id, organisation=timebook.service.organisation).first()
                if (place_id := _id(raw_place)) is not None
                else None
            )
            if location is None:
                raise Http404
    elif len(locations) > 1:
        return redirect("booking:place", her_id=her_id, timebook_id=timebook_id)

    blocked = sel.is_blocked(flow.person, timebook.service.organisation_id)
    today = timezone.localdate()
    # Slots are published at most about a year ahead; a hand-edited date outside that is ignored.
    first_month, horizon = today.replace(day=1), today + dt.timedelta(days=CALENDAR_HORIZON_DAYS)
    day = _parse_day(request.GET.get("dag", ""))
    if day is not None and not today <= day <= horizon:
        day = None
    month = _parse_month(request.GET.get("maned", ""))
    if month is not None and not first_month <= month <= horizon:
        month = None
    month = month or (day.replace(day=1) if day else None)
    if month is None:
        first_free = None if blocked else sel.first_free_day(timebook, location)
        month = (first_free or today).replace(day=1)
    month = max(month, today.replace(day=1))
    context: dict[str, Any] = {
        "flow": flow,
        "timebook": timebook,
        "actor": sel.actor_name(timebook),
        "location": location,
        "several_places": len(locations) > 1,
        "blocked": blocked,
        "month": month,
        "month_title": fmt.month_title(month),
        "previous_month": (month - dt.timedelta(days=1)).replace(day=1) if month > today.replace(day=1) else None,
        "next_month": (month + dt.timedelta(days=32)).replace(day=1),
        "weekdays": fmt.WEEKDAYS_SHORT,
        "day": day,
        "phone": flow.service.phone,
    }
    if not blocked:
        context["weeks"] = sel.month_calendar(timebook, location, month, day)
        context["has_any_free"] = sel.first_free_day(timebook, location) is not None
        if day is not None:
            context["slots"] = [
                (slot, fmt.time_range(slot.start, slot.end)) for slot in sel.free_slots_on(timebook, location, day)
            ]
            context["day_title"] = fmt.short_date(day)
            slots_of_day = context["slots"]
            context["attendance_place"] = (
                location.attendance_place
                if location
                else (slots_of_day[0][0].location.attendance_place if slots_of_day else "")
            )
    template = "booking/choose_time.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#picker"
    return render(request, template, context)


def _calendar_url(flow: Flow, timebook: Timebook, slot: Slot) -> str:
    day = fmt.local(slot.start).date().isoformat()
    return f"{reverse('booking:time', args=[flow.service.her_id, timebook.pk])}?sted={slot.location_id}&dag={day}"


def _review_context(flow: Flow, timebook: Timebook, slot: Slot) -> dict[str, Any]:
    return {
        "flow": flow,
        "timebook": timebook,
        "slot": slot,
        "review_line": fmt.review_line(slot.start, slot.end),
        "actor": sel.actor_name(timebook),
        "reason_max": REASON_MAX,
        "back_url": _calendar_url(flow, timebook, slot),
    }


@require_http_methods(["GET", "POST"])
@citizen_required
def review(request: HttpRequest, her_id: int, timebook_id: int, slot_id: int) -> HttpResponse:
    """Step 5: «Se gjennom før du sender», «Hva gjelder det?», and «Send bestilling»."""
    flow = _flow(request, her_id)
    timebook = _timebook_in_flow(flow, timebook_id)
    slot = Slot.objects.filter(pk=slot_id, timebook=timebook).select_related("location").first()
    if slot is None:
        return render(
            request,
            "booking/review_problem.html",
            {
                "flow": flow,
                "timebook": timebook,
                "problem": _("Timen finnes ikke i denne timeboken. Velg en time i kalenderen."),
            },
            status=400,
        )
    if sel.is_blocked(flow.person, timebook.service.organisation_id):
        # Source 001: a blocked patient sees no free times, also not by opening a slot's address.
        return render(
            request,
            "booking/review_problem.html",
            {"flow": flow, "timebook": timebook, "problem": BLOCKED_TEXT},
            status=400,
        )
    context = _review_context(flow, timebook, slot)
    if request.method == "GET":
        if slot.state != Slot.State.FREE or slot.start <= timezone.now():
            context["taken"] = SlotTaken(sel.nearest_free_slots(timebook, slot.start, location=slot.location))
            return render(request, "booking/review.html", context, status=409)
        context |= {"idempotency_key": uuid.uuid4(), "reason": ""}
        return render(request, "booking/review.html", context)

    reason = request.POST.get("reason", "")
    context["reason"] = reason
    try:
        key = uuid.UUID(request.POST.get("idempotency_key", ""))
    except ValueError:
        context |= {
            "form_error": _("Skjemaet er ugyldig eller utløpt. Gå tilbake til kalenderen og velg timen på nytt."),
            "idempotency_key": uuid.uuid4(),
        }
        return render(request, "booking/review.html", context, status=400)
    context["idempotency_key"] = key
    try:
        outcome = appointment_request(
            person=flow.person,
            booked_by=flow.me,
            timebook=timebook,
            slot_id=slot.pk,
            reason=reason,
            idempotency_key=key,
            can_reserve=flow.contact.diagnosis.portal.can_reserve,
            other_municipality=flow.other_municipality,
        )
    except SlotTaken as taken:
        context["taken"] = taken
        return render(request, "booking/review.html", context, status=409)
    except BookingError as error:
        if error.field == "reason":
            context["reason_error"] = error.message
        else:
            context["form_error"] = error.message
        return render(request, "booking/review.html", context, status=400)
    return redirect("booking:sent", pk=outcome.appointment.pk)


@require_GET
@citizen_required
def sent(request: HttpRequest, pk: int) -> HttpResponse:
    """«Timebestillingen er sendt»."""
    appointment = get_object_or_404(Appointment, pk=pk, booked_by=_me(request))
    return render(request, "booking/sent.html", {"a": appointment})


@require_http_methods(["GET", "POST"])
@citizen_required
def time_request(request: HttpRequest, her_id: int) -> HttpResponse:
    """«Send timeforespørsel» (source 003): Emne (max 50) and times that suit (max 250)."""
    flow = _flow(request, her_id)
    timebook = None
    raw = request.GET.get("timebok") or request.POST.get("timebok") or ""
    if raw:
        timebook_id = _id(raw)
        timebook = _timebook_in_flow(flow, timebook_id) if timebook_id is not None else None
        if timebook is None:
            raise Http404
    context: dict[str, Any] = {"flow": flow, "timebook": timebook, "subject": "", "suggested": "", "errors": {}}
    if request.method == "POST":
        context["subject"] = request.POST.get("subject", "")
        context["suggested"] = request.POST.get("suggested_times", "")
        try:
            time_request_send(
                person=flow.person,
                booked_by=flow.me,
                service=flow.service,
                timebook=timebook,
                subject=context["subject"],
                suggested_times=context["suggested"],
            )
        except BookingError as error:
            context["errors"] = {error.field or "form": error.message}
            return render(request, "booking/time_request.html", context, status=400)
        messages.success(request, _("Timeforespørselen er sendt. Du får svar i innboksen."))
        return redirect("booking:appointments")
    return render(request, "booking/time_request.html", context)


# --- Innboks ------------------------------------------------------------------------------------------


@require_GET
@citizen_required
def inbox(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    return render(request, "booking/inbox.html", {"inbox_messages": sel.inbox_visible(person, _me(request))})


@require_GET
@citizen_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    message = get_object_or_404(InboxMessage.objects.select_related("appointment", "citizen"), pk=pk)
    if message.citizen_id != me.pk:
        if sel.may_act_for(me, message.citizen_id, timezone.localdate()) is None:
            raise Http404
        if message.appointment is not None and message.appointment.hidden:
            raise Http404
    if message.read_at is None:
        InboxMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "booking/message.html", {"message": message})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A missing or stale CSRF token: say so in Norwegian, in the portal's layout; nothing was changed."""
    return render(request, "403_csrf.html", status=403)


# --- Notifications the citizen has received, and how they want them -----------------------------------


@require_GET
@citizen_required
def phone(request: HttpRequest) -> HttpResponse:
    """The simulated phone: the SMS the logged-in citizen has received."""
    return render(request, "booking/phone.html", {"items": sel.received(_me(request), "sms")})


@require_GET
@citizen_required
def app_feed(request: HttpRequest) -> HttpResponse:
    """The simulated Helsenorge app: push notifications the logged-in citizen has received."""
    return render(request, "booking/app_feed.html", {"items": sel.received(_me(request), "push")})


@require_http_methods(["GET", "POST"])
@citizen_required
def contact_settings(request: HttpRequest) -> HttpResponse:
    """«Kontaktinformasjon og varseloppsett»: mobile number, e-mail and which channels to use."""
    from .forms import ContactSettingsForm

    me = _me(request)
    form = ContactSettingsForm(request.POST or None, instance=me)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Kontaktinformasjon og varseloppsett er lagret."))
            return redirect("booking:settings")
        return render(request, "booking/settings.html", {"form": form}, status=400)
    return render(request, "booking/settings.html", {"form": form})
