"""What the citizen is told about an appointment in Innboks, by SMS, e-mail and push (sources 000, 001, 003, 004).
Stored and sent, so always Norwegian."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from addressregistry.timebook_types import TimebookType
from core import formatting as fmt

from .actors import actor_name, appointment_actor, appointment_short_actor

if TYPE_CHECKING:
    from resourcebooks.models import Timebook

    from ..models import Appointment

# What a confirmation SMS calls the type: «… du har fått time til [Timetype] hos …» (source 001).
TIMEBOOK_TYPE_IN_TEXT: dict[str, str] = {
    TimebookType.KORONATEST: "koronatest",
    TimebookType.KORONAVAKSINE: "koronavaksine",
    TimebookType.LAB: "laboratoriet",
    TimebookType.VAKSINE: "vaksine",
}
CONFIRMED = "Din timereservasjon er bekreftet."  # source 000

# --- Innboks: what the citizen is told (stored, so always Norwegian) -------------------------------------

SUBJECT_NEW_APPOINTMENT = "Du har fått en ny timeavtale"  # sources 000, 003
SUBJECT_REJECTED = "Timebestillingen ble ikke godkjent"
SUBJECT_RECEIPT = "Kvittering for avbestilt time"
SUBJECT_CANCELLED = "Timen din er avlyst"
SUBJECT_MOVED = "Timeavtalen din er endret"  # source 004: «Endring i time / flyttet time»
PASSED_BEFORE_CONFIRMATION = "Timen var passert før bestillingen kunne bekreftes."


def _moment(start: dt.datetime) -> str:
    return fmt.appointment_moment(start, lang="nb")


def _with_note(text: str, note: str) -> str:
    return text + (f"\n\n{note}" if note else "")


def assigned_body(appointment: Appointment) -> str:
    """Source 003: «Du har fått tildelt en timeavtale 29. januar 2025 kl. 11:00 - 11:15 hos August.» and «Din
    timereservasjon er bekreftet.», without the office's name (the appointment's «Beskrivelse» has it)."""
    slot = appointment.slot
    return (
        f"Du har fått tildelt en timeavtale {fmt.long_date(fmt.local(slot.start).date(), lang='nb')} kl. "
        f"{fmt.time_range(slot.start, slot.end)} hos {appointment_short_actor(appointment)}.\n\n"
        f"{CONFIRMED}"
    )


def rejected_body(appointment: Appointment, note: str = "") -> str:
    slot = appointment.slot
    return _with_note(
        f"Timebestillingen din {_moment(slot.start)} hos {appointment_actor(appointment)} ble ikke "
        "godkjent, og timen er ikke tildelt deg.",
        note,
    )


def receipt_body(appointment: Appointment, *, cancelled_by_name: str | None) -> str:
    """The cancellation receipt; ``cancelled_by_name`` when someone cancelled on the person's behalf."""
    slot = appointment.slot
    text = f"Du har avbestilt timen {_moment(slot.start)} hos {appointment_actor(appointment)}."
    if cancelled_by_name:
        text += f"\n\nAvbestilt av {cancelled_by_name} på vegne av {appointment.citizen.full_name}."
    return text


def cancelled_body(appointment: Appointment, note: str = "") -> str:
    slot = appointment.slot
    return _with_note(f"Timen {_moment(slot.start)} hos {appointment_actor(appointment)} er avlyst.", note)


def moved_body(old: Appointment, new: Appointment, note: str = "") -> str:
    return _with_note(
        f"Timen din {_moment(old.slot.start)} hos {appointment_actor(old)} er flyttet til "
        f"{_moment(new.slot.start)}. Oppmøtested: {new.slot.attendance_place}.",
        note,
    )


# --- SMS, e-mail and push (source 001 «Varsling»; always Norwegian) ------------------------------------

LOGIN = "Logg inn på Helsenorge for å se mer."


def genitive(name: str) -> str:
    """«Emmas», «Hans'»: Norwegian genitive of a first name."""
    return f"{name}'" if name[-1:].lower() in {"s", "x", "z"} else f"{name}s"


def notification_text(event: str, appointment: Appointment, *, recipient_first_name: str, to_person: bool) -> str:
    """Source 001: «[Fornavn], du har fått time til [Timetype] hos [Aktørnavn] [dd.mm.åååå, kl. tt:mm].
    Oppmøtested: [lokasjon]. Logg inn på Helsenorge for å se mer.» To someone acting for the person:
    «Kurt Håkon, Emma har fått …», «Kurt Håkon, Emmas time til vaksine …»."""
    slot = appointment.slot
    what = TIMEBOOK_TYPE_IN_TEXT.get(slot.timebook.type, "time")
    if slot.timebook.practitioner_id is not None and slot.time_type is not None:
        what = slot.time_type.name.lower()  # «… time til videotime hos August September (fastlege)»
    actor = appointment_actor(appointment)
    when = fmt.sms_moment(slot.start)
    place = slot.attendance_place
    first = appointment.citizen.first_name
    who, has, your = ("du", "du har", "timen din") if to_person else (first, f"{first} har", f"{genitive(first)} time")
    name = recipient_first_name
    texts = {
        "confirmed": f"{name}, {has} fått time til {what} hos {actor} {when}. Oppmøtested: {place}. {LOGIN}",
        "changed": f"{name}, {your} til {what} hos {actor} er flyttet til {when}. Oppmøtested: {place}. {LOGIN}",
        "cancelled": f"{name}, {your} til {what} hos {actor} {when} er avlyst. {LOGIN}",
        "cancellation_receipt": f"{name}, {your} til {what} hos {actor} {when} er avbestilt. {LOGIN}",
        "reminder": (
            f"{name}, påminnelse: {who} har time til {what} hos {actor} {when}. Oppmøtested: {place}. {LOGIN}"
        ),
    }
    if event not in texts:
        raise ValueError(event)
    return texts[event]


NOTIFICATION_SUBJECTS: dict[str, str] = {
    "confirmed": SUBJECT_NEW_APPOINTMENT,
    "changed": SUBJECT_MOVED,
    "cancelled": "Timeavtalen din er avlyst",
    "cancellation_receipt": SUBJECT_RECEIPT,
    "reminder": "Påminnelse om time",
}


def campaign_default_text(timebook: Timebook) -> str:
    """The invitation SMS (source 002's advice: invite in batches)."""
    what = TIMEBOOK_TYPE_IN_TEXT.get(timebook.type, "time")
    return (
        f"Nå kan du bestille time til {what} hos {actor_name(timebook)}. "
        "Logg inn på Helsenorge, velg Timeavtaler og Bestill time."
    )
