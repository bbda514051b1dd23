"""What a citizen is told, on which channels, about an appointment (sources 001 «Varsling», 004 «Varsler»).

Called inside the transaction of the change (confirm, move, cancel, reminder), so the outbox rows commit
with it. The texts follow source 001:
«[Fornavn], du har fått time til [Timetype] hos [Aktørnavn] [dd.mm.åååå, kl. tt:mm]. Oppmøtested:
[lokasjon]. Logg inn på Helsenorge for å se mer.»
"""

from __future__ import annotations

from addressregistry.timebook_types import TIMEBOOK_TYPE_IN_TEXT
from notifications.models import Notification
from notifications.services import Outgoing, notifications_enqueue
from resourcebooks.models import ClinicSettings

from . import formatting as fmt
from .models import Appointment, Citizen, Representation
from .selectors import CHILD_AGE_LIMIT, actor_name

EVENT = Notification.Event
LOGIN = "Logg inn på Helsenorge for å se mer."


def recipients(appointment: Appointment) -> list[Citizen]:
    """Who is told: the person themself, or whoever acts for them.

    A representative who booked is the one notified. A child under 16 is notified through the
    parents, except for a hidden appointment, which only the child may know of.
    """
    person = appointment.citizen
    if appointment.booked_by_id != person.pk:
        return [appointment.booked_by]
    if not appointment.hidden and person.age_on(fmt.local(appointment.slot.start).date()) < CHILD_AGE_LIMIT:
        parents = [
            r.representative
            for r in Representation.objects.filter(represented=person, kind=Representation.Kind.PARENT).select_related(
                "representative"
            )
        ]
        if parents:
            return parents
    return [person]


def genitive(name: str) -> str:
    """«Emmas», «Hans'»: Norwegian genitive of a first name."""
    return f"{name}'" if name[-1:].lower() in {"s", "x", "z"} else f"{name}s"


def _text(event: str, appointment: Appointment, recipient: Citizen) -> str:
    slot = appointment.slot
    timebook = slot.timebook
    what = TIMEBOOK_TYPE_IN_TEXT.get(timebook.type, "time")
    actor = actor_name(timebook)
    when = fmt.sms_moment(slot.start)
    place = slot.location.attendance_place
    person = appointment.citizen
    # «Kari, du har fått …» to the person; «Kurt, Emma har fått …» to someone acting for them.
    if recipient.pk == person.pk:
        who, has, your = "du", "du har", "timen din"
    else:
        who, has, your = person.first_name, f"{person.first_name} har", f"{genitive(person.first_name)} time"
    name = recipient.first_name
    if event == EVENT.CONFIRMED:
        return f"{name}, {has} fått time til {what} hos {actor} {when}. Oppmøtested: {place}. {LOGIN}"
    if event == EVENT.CHANGED:
        return f"{name}, {your} til {what} hos {actor} er flyttet til {when}. Oppmøtested: {place}. {LOGIN}"
    if event == EVENT.CANCELLED:
        return f"{name}, {your} til {what} hos {actor} {when} er avlyst. {LOGIN}"
    if event == EVENT.CANCELLATION_RECEIPT:
        return f"{name}, {your} til {what} hos {actor} {when} er avbestilt. {LOGIN}"
    if event == EVENT.REMINDER:
        return f"{name}, påminnelse: {who} har time til {what} hos {actor} {when}. Oppmøtested: {place}. {LOGIN}"
    raise ValueError(event)


SUBJECTS: dict[str, str] = {
    EVENT.CONFIRMED: "Du har fått en ny timeavtale",
    EVENT.CHANGED: "Timeavtalen din er endret",
    EVENT.CANCELLED: "Timeavtalen din er avlyst",
    EVENT.CANCELLATION_RECEIPT: "Kvittering for avbestilt time",
    EVENT.REMINDER: "Påminnelse om time",
}


def fallback_enabled(appointment: Appointment) -> bool:
    """Source 004: the clinic's own notifications need to be on for the clinic, the timebook and the time type."""
    timebook = appointment.slot.timebook
    clinic = ClinicSettings.objects.filter(organisation_id=timebook.service.organisation_id).first()
    time_types = list(timebook.time_types.all())
    return bool(
        clinic
        and clinic.fallback_notifications
        and timebook.fallback_notifications
        and time_types
        and all(t.fallback_notifications for t in time_types)
    )


def _message(
    appointment: Appointment,
    event: str,
    recipient: Citizen,
    channel: str,
    address: str,
    sender: str,
    *,
    fallback: bool = False,
) -> Outgoing:
    suffix = ":fallback" if fallback else ""
    return Outgoing(
        dedupe_key=f"appointment:{appointment.pk}:{event}:citizen:{recipient.pk}:{channel}{suffix}",
        recipient_key=f"citizen:{recipient.pk}",
        recipient_name=recipient.full_name,
        channel=channel,
        address=address,
        event=event,
        text=_text(event, appointment, recipient),
        subject=SUBJECTS[event],
        owner_her_id=appointment.slot.timebook.service.organisation.her_id,
        sender_name=sender,
    )


def appointment_notify(appointment: Appointment, event: str) -> int:
    """Write the outbox rows for one event of one appointment; returns how many were written."""
    org = appointment.slot.timebook.service.organisation
    outgoing: list[Outgoing] = []
    for recipient in recipients(appointment):
        if recipient.active_on_portal and recipient.digital_contact_consent:
            wanted = [
                (Notification.Channel.SMS, recipient.phone, recipient.notify_sms),
                (Notification.Channel.EMAIL, recipient.email, recipient.notify_email),
                (Notification.Channel.PUSH, "app", recipient.notify_push),
            ]
            outgoing += [
                _message(appointment, event, recipient, ch, address, "Helsenorge")
                for ch, address, on in wanted
                if on and address
            ]
        elif fallback_enabled(appointment):
            # Not on Helsenorge: the clinic's journal system sends its own SMS (or e-mail).
            if recipient.phone:
                outgoing.append(
                    _message(
                        appointment,
                        event,
                        recipient,
                        Notification.Channel.SMS,
                        recipient.phone,
                        org.name,
                        fallback=True,
                    )
                )
            elif recipient.email:
                outgoing.append(
                    _message(
                        appointment,
                        event,
                        recipient,
                        Notification.Channel.EMAIL,
                        recipient.email,
                        org.name,
                        fallback=True,
                    )
                )
    return len(notifications_enqueue(outgoing))
