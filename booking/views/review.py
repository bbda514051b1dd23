"""Step 5: «Se gjennom før du sender», «Hva gjelder det?» and «Send bestilling»; then «Timebestillingen er
sendt». Two citizens on one slot: exactly one gets it, the other is told at once and offered the nearest."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from citizens.access import citizen_required
from citizens.selectors import is_blocked
from core import formatting as fmt
from core.limits import REASON_MAX
from core.requests import CitizenRequest
from resourcebooks.models import Slot, Timebook

from .. import selectors as sel
from .. import texts
from ..errors import BookingError, SlotTaken
from ..forms import ReviewForm
from ..hold_selectors import hold_of
from ..models import Appointment
from ..services import appointment_request, cancellation_deadline
from ..services.holds import Held, Spent, hold_nearest, hold_release, slot_hold
from ..waiting_room import waiting_room, waiting_room_leave, waiting_room_member
from .flow import Flow, flow_and_timebook, flow_for, gp_choices_forget, timebook_in_flow
from .gp import chosen_behandler, gp_choices


def _calendar_url(flow: Flow, timebook: Timebook, slot: Slot) -> str:
    day = fmt.local(slot.start).date().isoformat()
    return f"{reverse('booking:time', args=[flow.service.her_id, timebook.pk])}?sted={slot.location_id}&dag={day}"


def _review_context(flow: Flow, timebook: Timebook, slot: Slot) -> dict[str, Any]:
    organisation = timebook.service.organisation
    # Told before «Send bestilling» (issue 12), by the rule that later decides «Avbestill time».
    slot.timebook = timebook
    deadline = cancellation_deadline(Appointment(slot=slot))
    return {
        "flow": flow,
        "timebook": timebook,
        "slot": slot,
        "review_line": fmt.review_line(slot.start, slot.end),
        "attendance_place": texts.attendance_place(slot),
        "actor": texts.actor_name(timebook),
        "back_url": _calendar_url(flow, timebook, slot),
        "reason_hint": texts.reason_hint(organisation, REASON_MAX),
        "journal_note": texts.journal_note(organisation),
        "deadline": deadline,
        "deadline_passed": deadline < timezone.now(),
    }


def _practitioner_context(request: CitizenRequest, flow: Flow, timebook: Timebook, slot: Slot) -> dict[str, Any]:
    """Source 003, step 7: «Time hos August», «Oppmøtested: Legekontoret, hvis ikke annet er avtalt» (or
    Videotime, Telefon), «Type: Konsultasjon», «Henvendelsen vil bli journalført.»"""
    behandler = chosen_behandler(request, flow, timebook)
    return {
        "actor": behandler.first_name,
        "behandler": behandler,
        "attendance_place": texts.practitioner_attendance_place(slot),
        "time_type": slot.time_type,
        "journal_note": texts.PRACTITIONER_JOURNAL_NOTE,
        "reason_hint": texts.reason_hint_practitioner(REASON_MAX),
        "placeholder": texts.REASON_PLACEHOLDER,
        "survey_answer": gp_choices(request, flow, timebook).get("gjelder", ""),
    }


def _problem(request: CitizenRequest, flow: Flow, timebook: Timebook, problem: Any) -> HttpResponse:
    context = {"flow": flow, "timebook": timebook, "problem": problem}
    return render(request, "booking/review_problem.html", context, status=400)


def _send(request: CitizenRequest, flow: Flow, timebook: Timebook, slot: Slot, context: dict) -> HttpResponse:
    """«Send bestilling»: the form's idempotency key makes a double click one request."""
    form = context["form"] = ReviewForm(request.POST, person=flow.person)
    if not form.is_valid():
        if form.has_error("idempotency_key"):
            form.renew_key()
        form.rebind_if_person_changed()
        if (mine := hold_of(flow.person.pk, slot)) is not None:
            context["hold_text"] = _hold_text(Held(mine, slot))
        return render(request, "booking/review.html", context, status=400)
    try:
        outcome = appointment_request(
            person=flow.person,
            booked_by=flow.me,
            timebook=timebook,
            slot_id=slot.pk,
            reason=form.cleaned_data["reason"],
            idempotency_key=form.cleaned_data["idempotency_key"],
            can_reserve=flow.contact.diagnosis.portal.can_reserve,
            other_municipality=flow.other_municipality,
            behandler=context.get("behandler"),
        )
    except SlotTaken as taken:
        return _taken(request, flow, timebook, slot, context, taken)
    except BookingError as error:
        form.add_service_error(error)
        return render(request, "booking/review.html", context, status=400)
    gp_choices_forget(request, flow)
    return redirect("booking:sent", pk=outcome.appointment.pk)


def _hold_text(held: Held) -> str:
    """«Timen er holdt av til deg til kl. 11:23.», and once reopening no longer extends it, that it cannot."""
    line = texts.HOLD_LINE_FINAL if held.final else texts.HOLD_LINE
    return line % {"time": f"{fmt.local(held.hold.until):%H:%M}"}


def _hold(flow: Flow, timebook: Timebook, slot: Slot, context: dict) -> bool:
    """Opening the page holds a free slot for the person (or keeps their hold on it, up to its cap; past that the
    page still shows, unheld). Where Helsenorge cannot reserve in the EPJ (no Timereservasjon in AR) nothing can be
    sent, so nothing is held: the page only shows."""
    if slot.start <= timezone.now():
        return False
    if not flow.contact.diagnosis.portal.can_reserve:
        return slot.state == Slot.State.FREE
    held = slot_hold(person=flow.person, held_by=flow.me, timebook=timebook, slot_id=slot.pk)
    if isinstance(held, Spent):
        context["hold_text"] = texts.HOLD_SPENT
        return True
    if held is not None:
        context["hold_text"] = _hold_text(held)
    return held is not None


def _taken(
    request: CitizenRequest, flow: Flow, timebook: Timebook, slot: Slot, context: dict, taken: SlotTaken
) -> HttpResponse:
    """The slot was taken in between: say so at once, and hold the nearest free slot for the person in the same
    request (the others still offered), so that a crowd on one slot ends with each holding a different one."""
    held = hold_nearest(
        person=flow.person, held_by=flow.me, timebook=timebook, around=slot.start, location=slot.location
    )
    context["taken"] = taken
    if held is not None:
        context["held"] = held
        context["held_text"] = _hold_text(held)
        context["held_line"] = fmt.review_line(held.slot.start, held.slot.end)
        taken.alternatives = [alt for alt in taken.alternatives if alt.pk != held.slot.pk]
    return render(request, "booking/review.html", context, status=409)


def _slot_of(timebook: Timebook, slot_id: int) -> Slot | None:
    """The slot if it is the timebook's, with its place and time type. Read by its key alone, unordered, and
    checked here: a condition on the timebook and an ordering cost more to build into the query than to check."""
    slot = next(iter(Slot.objects.filter(pk=slot_id).select_related("location", "time_type").order_by()), None)
    return slot if slot is not None and slot.timebook_id == timebook.pk else None


@require_http_methods(["GET", "POST"])
@citizen_required
@waiting_room
def review(request: CitizenRequest, her_id: int, timebook_id: int, slot_id: int) -> HttpResponse:
    flow, timebook = flow_and_timebook(request, her_id, timebook_id)
    slot = _slot_of(timebook, slot_id)
    if slot is None:
        return _problem(request, flow, timebook, _("Timen finnes ikke i denne timeboken. Velg en time i kalenderen."))
    if is_blocked(flow.person, timebook.service.organisation_id):
        # Source 001: a blocked patient sees no free times, also not by opening a slot's address.
        return _problem(request, flow, timebook, texts.NO_FREE_TIMES)
    context = _review_context(flow, timebook, slot)
    if timebook.kind == Timebook.Kind.PRACTITIONER:
        context |= _practitioner_context(request, flow, timebook, slot)
    if request.method == "POST":
        return _send(request, flow, timebook, slot, context)
    if not _hold(flow, timebook, slot, context):
        taken = SlotTaken(sel.nearest_free_slots(timebook, slot.start, location=slot.location))
        return _taken(request, flow, timebook, slot, context, taken)
    answer = context.get("survey_answer", "")
    initial = {"reason": answer} if 0 < len(answer) <= REASON_MAX else {}
    context["form"] = ReviewForm(person=flow.person, initial=initial | {"idempotency_key": uuid.uuid4()})
    return render(request, "booking/review.html", context)


@require_POST
@citizen_required
def release(request: CitizenRequest, her_id: int, timebook_id: int, slot_id: int) -> HttpResponse:
    """«Tilbake» or «Avbryt» on «Se gjennom før du sender»: leaving the flow ends the hold at once, so the slot is
    free for others; then on to the calendar, or to Timeavtaler."""
    flow = flow_for(request, her_id)
    timebook = timebook_in_flow(flow, timebook_id)
    hold_release(person=flow.person, timebook=timebook)
    slot = Slot.objects.filter(pk=slot_id, timebook=timebook).first()
    if request.POST.get("til") == "kalender" and slot is not None:
        return redirect(_calendar_url(flow, timebook, slot))
    waiting_room_leave(timebook.pk, waiting_room_member(request))  # «Avbryt»: their place goes to the next
    return redirect("booking:appointments")


@require_GET
@citizen_required
def sent(request: CitizenRequest, pk: int) -> HttpResponse:
    """«Timebestillingen er sendt»."""
    appointment = get_object_or_404(
        Appointment.objects.select_related("slot__timebook"), pk=pk, booked_by=request.citizen
    )
    practitioner = appointment.slot.timebook.kind == Timebook.Kind.PRACTITIONER
    return render(request, "booking/sent.html", {"a": appointment, "practitioner": practitioner})
