"""What a citizen is told, on which channels, about an appointment (sources 001 «Varsling», 004 «Varsler»).

Called inside the transaction of the change (confirm, move, cancel, reminder), so the outbox rows commit
with it. The texts are in ``booking.texts``.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from citizens.models import Citizen, Representation
from citizens.selectors import representatives_of
from core.limits import CHILD_AGE_LIMIT
from notifications.models import Notification
from notifications.services import Outgoing, notifications_enqueue, portal_channels
from resourcebooks.models import ClinicSettings

from . import texts
from .models import Appointment


def recipients(appointment: Appointment, today: dt.date | None = None) -> list[Citizen]:
    """Who is told, worked out when the message is written, from the representations valid then.

    A child under 16 is told through the parents (a hidden appointment only to the child, who alone may
    know of it); a child who has turned 16 is told themself. Anyone else is told themself, and so is a
    representative who booked for them while their power of attorney still holds — not once it is revoked
    or has run out.
    """
    today = today or timezone.localdate()
    person = appointment.citizen
    reps = representatives_of(person, today)
    if person.age_on(today) < CHILD_AGE_LIMIT:
        parents = [r.representative for r in reps if r.kind == Representation.Kind.PARENT]
        return [person] if appointment.hidden or not parents else parents
    booked_for = appointment.booked_by_id != person.pk
    attorney = [r.representative for r in reps if booked_for and r.representative_id == appointment.booked_by_id]
    return [person, *attorney]


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
        text=texts.notification_text(
            event,
            appointment,
            recipient_first_name=recipient.first_name,
            to_person=recipient.pk == appointment.citizen_id,
        ),
        subject=texts.NOTIFICATION_SUBJECTS[event],
        owner_her_id=appointment.slot.timebook.service.organisation.her_id,
        sender_name=sender,
    )


def _portal_messages(appointment: Appointment, event: str, recipient: Citizen) -> list[Outgoing]:
    return [
        _message(appointment, event, recipient, channel, address, "Helsenorge")
        for channel, address in portal_channels(**recipient.contact_choices())
    ]


def _fallback_messages(appointment: Appointment, event: str, recipient: Citizen) -> list[Outgoing]:
    """Not on Helsenorge: the clinic's journal system sends its own SMS (or, without a mobile, e-mail)."""
    org_name = appointment.slot.timebook.service.organisation.name
    if recipient.phone:
        channel, address = Notification.Channel.SMS, recipient.phone
    elif recipient.email:
        channel, address = Notification.Channel.EMAIL, recipient.email
    else:
        return []
    return [_message(appointment, event, recipient, channel, address, org_name, fallback=True)]


def appointment_notify(appointment: Appointment, event: str) -> int:
    """Write the outbox rows for one event of one appointment; returns how many were written."""
    outgoing: list[Outgoing] = []
    for recipient in recipients(appointment):
        if recipient.active_on_portal and recipient.digital_contact_consent:
            outgoing += _portal_messages(appointment, event, recipient)
        elif fallback_enabled(appointment):
            outgoing += _fallback_messages(appointment, event, recipient)
    return len(notifications_enqueue(outgoing))
