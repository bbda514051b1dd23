"""Writes of the citizen's side. Each service owns its transaction and says what it locks.

Claiming a slot is one conditional ``UPDATE … SET state='held' WHERE state='free'``: of two citizens on
the same slot exactly one gets a row back; the partial unique index on active appointments makes a
double booking impossible even if this code had a bug.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
import uuid
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from addressregistry.models import Service
from notifications.models import Notification
from notifications.services import Outgoing, notifications_enqueue
from resourcebooks.models import Slot, Timebook

from . import formatting as fmt
from .models import (
    REASON_MAX,
    Appointment,
    CampaignRecipient,
    Citizen,
    InboxMessage,
    InvitationCampaign,
    TimeRequest,
)
from .notify import appointment_notify
from .selectors import actor_name, description_owner, is_blocked, may_book, nearest_free_slots

log = logging.getLogger(__name__)

CONFIRMED_TEXT = "Din timereservasjon er bekreftet."
BLOCKED_REPLY = (
    "Legekontoret har ikke gitt deg tilgang til denne tjenesten.\nKontakt fastlegekontoret ved eventuelle spørsmål."
)


class BookingError(Exception):
    """A booking the citizen cannot make; ``message`` is Norwegian and shown as it is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class SlotTaken(BookingError):
    def __init__(self, alternatives: list[Slot]) -> None:
        super().__init__(
            _("Timen er ikke lenger ledig. Velg en av de nærmeste ledige timene, eller gå tilbake til kalenderen.")
        )
        self.alternatives = alternatives


def has_control_characters(text: str) -> bool:
    """NUL and other control characters (line breaks and tabs are fine): PostgreSQL refuses NUL outright."""
    return any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in text)


def reason_clean(raw: str) -> str:
    if has_control_characters(raw):
        raise BookingError(_("Teksten inneholder tegn som ikke kan brukes."), field="reason")
    reason = " ".join(raw.split())
    if not reason:
        raise BookingError(_("Du må skrive hva timen gjelder"), field="reason")
    if len(reason) > REASON_MAX:
        raise BookingError(
            _("Du kan skrive maks %(max)d tegn. Teksten din har %(length)d tegn.")
            % {"max": REASON_MAX, "length": len(reason)},
            field="reason",
        )
    return reason


# Lazy: translated into the language of the request it is raised in.
_FORM_EXPIRED = BookingError(
    cast(str, gettext_lazy("Skjemaet er ugyldig eller utløpt. Gå tilbake til kalenderen og velg timen på nytt."))
)


@dataclass(frozen=True)
class RequestOutcome:
    appointment: Appointment
    created: bool


def appointment_request(
    *,
    person: Citizen,
    booked_by: Citizen,
    timebook: Timebook,
    slot_id: int,
    reason: str,
    idempotency_key: uuid.UUID,
    can_reserve: bool = True,
    other_municipality: bool = False,
) -> RequestOutcome:
    """Send a booking: claim the slot (free → held) and create the requested appointment.

    A repeated submit with the same idempotency key returns the first appointment. Locks the booking
    person's citizen row first (so one person's concurrent bookings cannot exceed the timebook's limit),
    then claims the slot with a conditional update. The EPJ's confirmation is queued after commit.
    """
    existing = Appointment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.booked_by_id == booked_by.pk:
            return RequestOutcome(existing, created=False)
        raise _FORM_EXPIRED  # another person's form: never theirs to repeat
    reason = reason_clean(reason)
    if is_blocked(person, timebook.service.organisation_id):
        raise BookingError(_("Tjenesten kunne ikke hente ledige timer. Prøv igjen senere."))
    if not timebook.online or not may_book(person, timebook, other_municipality=other_municipality):
        raise BookingError(_("Du har ikke tilgang til å bestille time i denne timeboken."))
    if not can_reserve:
        # AR lacks Timereservasjon: Helsenorge cannot reserve the time in the EPJ.
        raise BookingError(_("Timebestillingen kunne ikke sendes. Prøv igjen senere."))

    now = timezone.now()
    try:
        with transaction.atomic():
            Citizen.objects.select_for_update().filter(pk=person.pk).get()
            # Under the lock, look again: the same form sent twice at once is one request, and the second
            # click must get the first one's answer, not «you already have a booking».
            again = Appointment.objects.filter(idempotency_key=idempotency_key).first()
            if again is not None:
                if again.booked_by_id != booked_by.pk:
                    raise _FORM_EXPIRED
                return RequestOutcome(again, created=False)
            active = Appointment.objects.filter(
                citizen=person, slot__timebook=timebook, status__in=Appointment.ACTIVE, slot__start__gt=now
            ).count()
            if active >= timebook.max_active_bookings:
                raise BookingError(
                    ngettext(
                        "Du har allerede %(count)d aktiv bestilling i denne timeboken, som er det høyeste antallet "
                        "som er tillatt. Avbestill en time før du bestiller en ny.",
                        "Du har allerede %(count)d aktive bestillinger i denne timeboken, som er det høyeste antallet "
                        "som er tillatt. Avbestill en time før du bestiller en ny.",
                        active,
                    )
                    % {"count": active}
                )
            claimed = Slot.objects.filter(pk=slot_id, timebook=timebook, state=Slot.State.FREE, start__gt=now).update(
                state=Slot.State.HELD
            )
            if claimed != 1:
                raise _NotClaimed
            appointment = Appointment.objects.create(
                slot_id=slot_id,
                citizen=person,
                booked_by=booked_by,
                reason=reason,
                idempotency_key=idempotency_key,
                created_at=now,
            )
            if timebook.confirmation == Timebook.Confirmation.AUTOMATIC:
                transaction.on_commit(partial(_queue_confirmation, appointment.pk))
    except IntegrityError:
        # The same idempotency key committed by a concurrent submit of the same form: one request.
        existing = Appointment.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None and existing.booked_by_id == booked_by.pk:
            return RequestOutcome(existing, created=False)
        if existing is not None:
            raise _FORM_EXPIRED from None
        raise
    except _NotClaimed:
        existing = Appointment.objects.filter(idempotency_key=idempotency_key, booked_by=booked_by).first()
        if existing is not None:  # our own first submit took it
            return RequestOutcome(existing, created=False)
        # Outside the transaction: say why, and find the nearest free times, without holding the lock.
        raise _why_not_claimed(timebook, slot_id, now) from None
    return RequestOutcome(appointment, created=True)


class _NotClaimed(Exception):
    """The conditional update claimed no slot (rolls the transaction back)."""


def _queue_confirmation(appointment_id: int) -> None:
    """Hand the EPJ's confirmation to Celery. A broker that is down must not fail the citizen's request:
    the booking is committed, and ``confirmations_sweep`` confirms it once the worker can."""
    from .tasks import appointment_confirm_task

    try:
        appointment_confirm_task.delay(appointment_id)
    except Exception:
        log.warning("Kunne ikke legge bekreftelsen av timeavtale %s i køen; sveipen tar den.", appointment_id)


def confirmations_sweep(*, older_than: dt.timedelta = dt.timedelta(0)) -> int:
    """Confirm requested appointments of automatic timebooks whose task never ran (a broker that was down).

    No grace period is needed: ``appointment_confirm`` is a conditional update, so a sweep that races a
    task still in flight confirms the appointment once, and the loser changes nothing.
    """
    now = timezone.now()
    waiting = Appointment.objects.filter(
        status=Appointment.Status.REQUESTED,
        slot__timebook__confirmation=Timebook.Confirmation.AUTOMATIC,
        created_at__lt=now - older_than,
    ).select_related("slot__timebook__service__organisation", "citizen")
    confirmed = 0
    for appointment in list(waiting):
        if appointment.slot.start <= now:
            # The time passed while the confirmation waited: never tell anyone «du har fått time» for it.
            appointment_reject(appointment=appointment, note="Timen var passert før bestillingen kunne bekreftes.")
        else:
            confirmed += appointment_confirm(appointment_id=appointment.pk)
    return confirmed


def _why_not_claimed(timebook: Timebook, slot_id: int, now: dt.datetime) -> BookingError:
    slot = Slot.objects.filter(pk=slot_id, timebook=timebook).first()
    if slot is None:
        return BookingError(_("Timen finnes ikke i denne timeboken. Velg en time i kalenderen."))
    if slot.start <= now:
        return BookingError(_("Tidspunktet har passert. Velg en annen time."))
    return SlotTaken(nearest_free_slots(timebook, slot.start, location=slot.location))


def _tell(appointment: Appointment, kind: str, subject: str, body: str, now: dt.datetime) -> None:
    """A message about the appointment in its person's Innboks, from whoever offers the timebook."""
    InboxMessage.objects.create(
        citizen=appointment.citizen,
        appointment=appointment,
        kind=kind,
        sender=actor_name(appointment.slot.timebook),
        subject=subject,
        body=body,
        sent_at=now,
    )


def _assigned_body(appointment: Appointment) -> str:
    slot = appointment.slot
    return (
        f"Du har fått tildelt en timeavtale {fmt.long_date(fmt.local(slot.start).date(), lang='nb')} kl. "
        f"{fmt.time_range(slot.start, slot.end)} hos {actor_name(slot.timebook)}.\n\n"
        f"{CONFIRMED_TEXT} {description_owner(slot.timebook)}."
    )


def appointment_confirm(*, appointment_id: int) -> bool:
    """The EPJ confirms a requested appointment: requested → assigned, slot held → booked, and a message
    «Du har fått en ny timeavtale» in the person's Innboks.

    Conditional updates make it idempotent: a second call (a redelivered task) changes nothing and
    returns False. Locks nothing beyond the rows it updates.
    """
    now = timezone.now()
    with transaction.atomic():
        if (
            Appointment.objects.filter(pk=appointment_id, status=Appointment.Status.REQUESTED).update(
                status=Appointment.Status.ASSIGNED, decided_at=now
            )
            != 1
        ):
            return False
        appointment = Appointment.objects.select_related("slot__timebook__service__organisation", "citizen").get(
            pk=appointment_id
        )
        Slot.objects.filter(pk=appointment.slot_id, state=Slot.State.HELD).update(state=Slot.State.BOOKED)
        _tell(
            appointment,
            InboxMessage.Kind.NEW_APPOINTMENT,
            "Du har fått en ny timeavtale",
            _assigned_body(appointment),
            now,
        )
        appointment_notify(appointment, Notification.Event.CONFIRMED)
    return True


def appointment_reject(*, appointment: Appointment, note: str = "") -> bool:
    """Staff reject a requested appointment: the slot is free again and the person is told in Innboks."""
    now = timezone.now()
    with transaction.atomic():
        if (
            Appointment.objects.filter(pk=appointment.pk, status=Appointment.Status.REQUESTED).update(
                status=Appointment.Status.REJECTED, decided_at=now
            )
            != 1
        ):
            return False
        Slot.objects.filter(pk=appointment.slot_id, state=Slot.State.HELD).update(state=Slot.State.FREE)
        slot = appointment.slot
        _tell(
            appointment,
            InboxMessage.Kind.REJECTED,
            "Timebestillingen ble ikke godkjent",
            (
                f"Timebestillingen din {fmt.appointment_moment(slot.start, lang='nb')} "
                f"hos {actor_name(slot.timebook)} ble ikke "
                "godkjent, og timen er ikke tildelt deg." + (f"\n\n{note}" if note else "")
            ),
            now,
        )
    return True


def cancellation_deadline(appointment: Appointment) -> dt.datetime:
    return appointment.slot.start - dt.timedelta(hours=appointment.slot.timebook.cancellation_deadline_hours)


def appointment_cancel(*, appointment: Appointment, by: Citizen) -> Appointment:
    """The citizen cancels (Avbestill time) before the timebook's deadline: the slot is free again and a
    receipt lands in Innboks. Conditional update: a double click cancels once."""
    now = timezone.now()
    if not appointment.is_active:
        raise BookingError(_("Timen er allerede avbestilt eller ikke lenger aktiv."))
    deadline = cancellation_deadline(appointment)
    if now > deadline:
        hours = appointment.slot.timebook.cancellation_deadline_hours
        raise BookingError(
            _(
                "Timen kan ikke avbestilles på nett senere enn %(hours)d timer før. "
                "Ta kontakt med %(organisation)s for å avbestille."
            )
            % {"hours": hours, "organisation": appointment.slot.timebook.service.organisation.name}
        )
    with transaction.atomic():
        if (
            Appointment.objects.filter(pk=appointment.pk, status__in=Appointment.ACTIVE).update(
                status=Appointment.Status.CANCELLED_BY_CITIZEN, cancelled_at=now
            )
            != 1
        ):
            raise BookingError(_("Timen er allerede avbestilt eller ikke lenger aktiv."))
        Slot.objects.filter(pk=appointment.slot_id, state__in=[Slot.State.HELD, Slot.State.BOOKED]).update(
            state=Slot.State.FREE
        )
        slot = appointment.slot
        _tell(
            appointment,
            InboxMessage.Kind.CANCELLATION_RECEIPT,
            "Kvittering for avbestilt time",
            (
                f"Du har avbestilt timen {fmt.appointment_moment(slot.start, lang='nb')} "
                f"hos {actor_name(slot.timebook)}."
                + (
                    f"\n\nAvbestilt av {by.full_name} på vegne av {appointment.citizen.full_name}."
                    if by != appointment.citizen
                    else ""
                )
            ),
            now,
        )
        appointment_notify(appointment, Notification.Event.CANCELLATION_RECEIPT)
    appointment.refresh_from_db()
    return appointment


def appointment_cancel_by_clinic(*, appointment: Appointment, note: str = "") -> bool:
    """The clinic cancels (Avlyst): the slot is withdrawn (the clinic cannot keep it) and the person told."""
    now = timezone.now()
    with transaction.atomic():
        if (
            Appointment.objects.filter(pk=appointment.pk, status__in=Appointment.ACTIVE).update(
                status=Appointment.Status.CANCELLED_BY_CLINIC, cancelled_at=now
            )
            != 1
        ):
            return False
        Slot.objects.filter(pk=appointment.slot_id).update(state=Slot.State.WITHDRAWN)
        slot = appointment.slot
        _tell(
            appointment,
            InboxMessage.Kind.CANCELLED_BY_CLINIC,
            "Timen din er avlyst",
            (
                f"Timen {fmt.appointment_moment(slot.start, lang='nb')} hos {actor_name(slot.timebook)} er avlyst."
                + (f"\n\n{note}" if note else "")
            ),
            now,
        )
        appointment_notify(appointment, Notification.Event.CANCELLED)
    return True


def time_request_send(
    *,
    person: Citizen,
    booked_by: Citizen,
    service: Service,
    timebook: Timebook | None,
    subject: str,
    suggested_times: str,
) -> TimeRequest:
    """«Send timeforespørsel». A blocked person's request is sent but answered automatically (source 001)."""
    for field, text in (("subject", subject), ("suggested_times", suggested_times)):
        if has_control_characters(text):
            raise BookingError(_("Teksten inneholder tegn som ikke kan brukes."), field=field)
    subject = " ".join(subject.split())
    suggested = suggested_times.strip()
    if not subject:
        raise BookingError(_("Du må skrive et emne"), field="subject")
    if len(subject) > REASON_MAX:
        raise BookingError(_("Emnet kan ha maks %(max)d tegn.") % {"max": REASON_MAX}, field="subject")
    if not suggested:
        raise BookingError(_("Du må foreslå ett eller flere tidspunkt som passer"), field="suggested_times")
    if len(suggested) > 250:
        raise BookingError(_("Du kan skrive maks 250 tegn."), field="suggested_times")
    blocked = is_blocked(person, service.organisation_id)
    now = timezone.now()
    with transaction.atomic():
        request = TimeRequest.objects.create(
            service=service,
            timebook=timebook,
            citizen=person,
            booked_by=booked_by,
            subject=subject,
            suggested_times=suggested,
            status=TimeRequest.Status.REFUSED_BLOCKED if blocked else TimeRequest.Status.NEW,
            created_at=now,
        )
        if blocked:
            InboxMessage.objects.create(
                citizen=person,
                kind=InboxMessage.Kind.AUTOMATIC_REPLY,
                sender=service.organisation.name,
                subject=subject,
                body=BLOCKED_REPLY,
                sent_at=now,
            )
    return request


def appointment_book_by_clinic(*, person: Citizen, slot: Slot, reason: str, hidden: bool = False) -> Appointment:
    """The clinic sets a patient up on a time (source 004, «Sette opp pasient på time»): assigned at once.

    ``hidden`` is «Skjult time»: a 12–16-year-old's appointment the parents do not see. Claims the slot
    with the same conditional update as a citizen's request.
    """
    reason = reason_clean(reason)
    now = timezone.now()
    with transaction.atomic():
        if Slot.objects.filter(pk=slot.pk, state=Slot.State.FREE).update(state=Slot.State.BOOKED) != 1:
            raise BookingError("Timen er ikke ledig.")
        appointment = Appointment.objects.create(
            slot=slot,
            citizen=person,
            booked_by=person,
            reason=reason,
            status=Appointment.Status.ASSIGNED,
            hidden=hidden,
            created_at=now,
            decided_at=now,
        )
        appointment.slot = slot
        _tell(
            appointment,
            InboxMessage.Kind.NEW_APPOINTMENT,
            "Du har fått en ny timeavtale",
            _assigned_body(appointment),
            now,
        )
        appointment_notify(appointment, Notification.Event.CONFIRMED)
    return appointment


REMINDER_WINDOW = (dt.timedelta(hours=24), dt.timedelta(hours=48))


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """The reminder 48–24 hours before (source 004): claim each assigned appointment that has entered the
    window with a conditional update, and write its reminders in the same transaction.

    Two runs at the same moment cannot both claim an appointment, and the dedupe keys would stop a second
    reminder anyway. The window is absolute time, so it is right across a DST change. An appointment
    confirmed when it was already inside the window gets no reminder: its confirmation came just now.
    Long ETA tasks are never used (Redis redelivers them); a beat task calls this every few minutes.
    """
    now = now or timezone.now()
    nearest, farthest = REMINDER_WINDOW
    due = list(
        Appointment.objects.filter(
            status=Appointment.Status.ASSIGNED,
            reminder_claimed_at__isnull=True,
            slot__start__gt=now + nearest,
            slot__start__lte=now + farthest,
            decided_at__lt=F("slot__start") - farthest,
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in due:
        with transaction.atomic():
            claimed = Appointment.objects.filter(
                pk=pk, reminder_claimed_at__isnull=True, status=Appointment.Status.ASSIGNED
            ).update(reminder_claimed_at=now)
            if claimed != 1:
                continue  # another run got there first
            appointment = Appointment.objects.select_related(
                "slot__timebook__service__organisation", "slot__location", "citizen", "booked_by"
            ).get(pk=pk)
            appointment_notify(appointment, Notification.Event.REMINDER)
            sent += 1
    return sent


def campaign_default_text(timebook: Timebook) -> str:
    from addressregistry.timebook_types import TIMEBOOK_TYPE_IN_TEXT

    what = TIMEBOOK_TYPE_IN_TEXT.get(timebook.type, "time")
    return (
        f"Nå kan du bestille time til {what} hos {actor_name(timebook)}. "
        "Logg inn på Helsenorge, velg Timeavtaler og Bestill time."
    )


def campaign_create(
    *,
    timebook: Timebook,
    born_from: int,
    born_to: int,
    batch_size: int,
    pause_seconds: int,
    text: str,
    created_by: Any = None,
) -> InvitationCampaign:
    """Pick the recipients (citizens of the timebook's municipality or GP list, born in the years, with a
    mobile number) and start sending at once, one batch at a time."""
    if born_to < born_from:
        raise BookingError("«Født til og med» kan ikke være før «født fra og med».")
    if batch_size < 1:
        raise BookingError("Antall per bolk må være minst 1.")
    org = timebook.service.organisation
    people = Citizen.objects.filter(Q(municipality=org) | Q(gp_office=org)).exclude(phone="")
    chosen = [c.pk for c in people.only("pk", "national_id") if born_from <= c.birth_date.year <= born_to]
    with transaction.atomic():
        campaign = InvitationCampaign.objects.create(
            timebook=timebook,
            born_from=born_from,
            born_to=born_to,
            batch_size=batch_size,
            pause_seconds=pause_seconds,
            text=text.strip() or campaign_default_text(timebook),
            total=len(chosen),
            created_by=created_by,
            state=InvitationCampaign.State.RUNNING if chosen else InvitationCampaign.State.DONE,
        )
        CampaignRecipient.objects.bulk_create(
            [CampaignRecipient(campaign=campaign, citizen_id=pk) for pk in chosen], batch_size=2000
        )
    return campaign


def campaign_pause(*, campaign: InvitationCampaign) -> bool:
    return (
        InvitationCampaign.objects.filter(pk=campaign.pk, state=InvitationCampaign.State.RUNNING).update(
            state=InvitationCampaign.State.PAUSED
        )
        == 1
    )


def campaign_resume(*, campaign: InvitationCampaign) -> bool:
    return (
        InvitationCampaign.objects.filter(pk=campaign.pk, state=InvitationCampaign.State.PAUSED).update(
            # What is left of the pause between batches is kept.
            state=InvitationCampaign.State.RUNNING,
            next_batch_at=Greatest(F("next_batch_at"), Value(timezone.now())),
        )
        == 1
    )


def campaigns_tick(*, now: dt.datetime | None = None) -> int:
    """Send the next batch of every running campaign whose pause is over; returns how many SMS were written.

    A campaign is claimed for a batch by moving its ``next_batch_at`` forward in one conditional update,
    so two ticks at once never send the same batch; each SMS also has its own dedupe key.
    """
    now = now or timezone.now()
    written = 0
    due = InvitationCampaign.objects.filter(state=InvitationCampaign.State.RUNNING, next_batch_at__lte=now)
    for campaign in due.select_related("timebook__service__organisation"):
        with transaction.atomic():
            claimed = InvitationCampaign.objects.filter(
                pk=campaign.pk, state=InvitationCampaign.State.RUNNING, next_batch_at=campaign.next_batch_at
            ).update(next_batch_at=now + dt.timedelta(seconds=campaign.pause_seconds))
            if claimed != 1:
                continue
            batch = list(
                CampaignRecipient.objects.filter(campaign=campaign, sent_at__isnull=True)
                .select_related("citizen")
                .order_by("pk")[: campaign.batch_size]
            )
            org = campaign.timebook.service.organisation
            notifications_enqueue(
                [
                    Outgoing(
                        dedupe_key=f"campaign:{campaign.pk}:citizen:{r.citizen_id}:sms",
                        recipient_key=f"citizen:{r.citizen_id}",
                        recipient_name=r.citizen.full_name,
                        channel=Notification.Channel.SMS,
                        address=r.citizen.phone,
                        event=Notification.Event.INVITATION,
                        text=campaign.text,
                        owner_her_id=org.her_id,
                        sender_name=org.name,
                    )
                    for r in batch
                ]
            )
            CampaignRecipient.objects.filter(pk__in=[r.pk for r in batch]).update(sent_at=now)
            remaining = CampaignRecipient.objects.filter(campaign=campaign, sent_at__isnull=True).exists()
            InvitationCampaign.objects.filter(pk=campaign.pk).update(
                sent_count=F("sent_count") + len(batch),
                state=InvitationCampaign.State.RUNNING if remaining else InvitationCampaign.State.DONE,
            )
            written += len(batch)
    return written
