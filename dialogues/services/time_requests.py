"""A time request (source 003, «Send timeforespørsel») as a dialogue the office answers like the others, or by
putting the patient on a time (source 004, «Sette opp pasient på time»)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from booking.errors import BookingError
from booking.models import Appointment, TimeRequest
from booking.services import appointment_book_by_clinic
from core import formatting as fmt
from inbox.models import Thread
from resourcebooks.models import Slot

from ..errors import DialogueError
from ..models import Dialogue, Kind
from ..routing import routes_write
from .staff import dialogue_answer


def time_request_routed(sender: object, *, request: TimeRequest, thread: Thread, **kwargs: object) -> None:
    """The receiver of ``booking.signals.time_request_sent`` (connected in ``apps.py``): in the request's
    transaction."""
    dialogue_for_time_request(request, thread)


def dialogue_for_time_request(request: TimeRequest, thread: Thread) -> None:
    """A time request as a dialogue the clinic's staff handle."""
    person = request.citizen
    fastlege = (
        person.fastlege if person.fastlege and person.fastlege.organisation_id == thread.organisation_id else None
    )
    dialogue = Dialogue.objects.create(
        thread=thread,
        fastlege=fastlege,
        time_request=request,
        created_at=thread.created_at,
        patient_wrote_at=thread.created_at,
    )
    if request.status != TimeRequest.Status.REFUSED_BLOCKED:
        routes_write(dialogue, timezone.localdate())


def time_request_book(*, dialogue: Dialogue, user, slot: Slot, body: str = "") -> Appointment:  # type: ignore[no-untyped-def]
    """Answer a time request by putting the patient on ``slot`` of the office: the appointment (and its own
    Innboks message and notifications) and the answer in the thread, closed, in one transaction."""
    if dialogue.kind != Kind.TIMEFORESPORSEL or dialogue.time_request_id is None:
        raise DialogueError(_("Bare en timeforespørsel kan besvares med en time."))
    if slot.timebook.service.organisation_id != dialogue.organisation_id:
        raise DialogueError(_("Velg en ledig time ved legekontoret."), field="slot")
    request = dialogue.time_request
    assert request is not None
    with transaction.atomic():
        try:
            appointment = appointment_book_by_clinic(person=dialogue.citizen, slot=slot, reason=request.subject)
        except BookingError as exc:
            raise DialogueError(exc.message, field="slot") from exc
        # Stored in Norwegian, like every Innboks text.
        when = fmt.appointment_moment(slot.start, lang="nb")
        text = body.strip() or f"Du har fått time {when}. Du finner den under Timeavtaler."
        dialogue_answer(dialogue=dialogue, user=user, body=text, close=True)
    return appointment
