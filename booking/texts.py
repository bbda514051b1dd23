"""Every patient-visible sentence and title of booking, in one place, with the source it comes from.

Stored and sent texts (Innboks, SMS, e-mail) are Norwegian whatever the language of the request that wrote
them, as the sources give them. Page texts go through gettext with the same Norwegian msgid, so English
(``locale/en``) follows them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext, pgettext_lazy

from addressregistry.timebook_types import TimebookType
from core import formatting as fmt

if TYPE_CHECKING:
    from resourcebooks.models import Timebook

    from .models import Appointment

# --- Who offers the time ---------------------------------------------------------------------------------


def actor_name(timebook: Timebook) -> str:
    """«Influensavaksine, Smittevern (Feberpoliklinikk Test), Helsenorge kommune» (source 000) for a
    municipality; «Influensa, Helsenorge testlegekontor» (source 001) for a GP office."""
    service = timebook.service
    org = service.organisation
    if org.is_gp_office:
        return f"{timebook.name}, {org.name}"
    return f"{timebook.name}, {service.name}, {org.name}"


def description_owner(timebook: Timebook) -> str:
    """Who confirms: «Din timereservasjon er bekreftet. Smittevern (Feberpoliklinikk Test).»"""
    org = timebook.service.organisation
    return org.name if org.is_gp_office else timebook.service.name


# --- Titles by timebook type (DESIGN.md §4) -----------------------------------------------------------

TITLE_PREFIX_CONTEXT = "appointment title prefix"
# Sources 001/002: «Time til koronatest hos …», «Time til laboratoriet hos …». For vaksine the newest
# source (000, 15.06.2026) writes «Time for vaksine hos …», and the newer source wins.
APPOINTMENT_TITLE_PREFIX: dict[str, str] = {
    TimebookType.KORONATEST: "Time til koronatest",
    TimebookType.KORONAVAKSINE: "Time til koronavaksine",
    TimebookType.LAB: "Time til laboratoriet",
    TimebookType.VAKSINE: "Time for vaksine",
}
# What a confirmation SMS calls the type: «… du har fått time til [Timetype] hos …» (source 001).
TIMEBOOK_TYPE_IN_TEXT: dict[str, str] = {
    TimebookType.KORONATEST: "koronatest",
    TimebookType.KORONAVAKSINE: "koronavaksine",
    TimebookType.LAB: "laboratoriet",
    TimebookType.VAKSINE: "vaksine",
}

# Texts written elsewhere (core, resourcebooks) and translated by their own words, marked so that
# makemessages collects them. The titles' prefixes have a context, as Django's own Norwegian catalogue would
# otherwise translate the English word «Time».
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


def appointment_title(appointment: Appointment) -> str:
    """«6. februar 2025 kl. 11:15: Time for vaksine hos …» (sources 000, 002), in the request's language."""
    timebook = appointment.slot.timebook
    prefix = pgettext(TITLE_PREFIX_CONTEXT, APPOINTMENT_TITLE_PREFIX.get(timebook.type, "Time"))
    return _("%(moment)s: %(prefix)s hos %(actor)s") % {
        "moment": fmt.appointment_moment(appointment.slot.start),
        "prefix": prefix,
        "actor": actor_name(timebook),
    }


# --- The steps (sources 000, 001, 003) ---------------------------------------------------------------------

NO_FREE_TIMES = gettext_lazy("Tjenesten kunne ikke hente ledige timer. Prøv igjen senere.")  # source 001
CONFIRMED = "Din timereservasjon er bekreftet."  # source 000
# Source 001: a blocked patient's message is answered automatically.
BLOCKED_REPLY = (
    "Legekontoret har ikke gitt deg tilgang til denne tjenesten.\nKontakt fastlegekontoret ved eventuelle spørsmål."
)


def appointment_description(appointment: Appointment) -> str:
    """«Beskrivelse» on the appointment page, by status (source 000 for Tildelt), in the request's language."""
    from .models import Appointment

    owner = description_owner(appointment.slot.timebook)
    status = Appointment.Status
    texts = {
        status.ASSIGNED: _("Din timereservasjon er bekreftet. %(owner)s.") % {"owner": owner},
        status.REQUESTED: _("Bestillingen er kun en forespørsel. Timen er ikke tildelt før du mottar en bekreftelse."),
        status.REJECTED: _("Timebestillingen ble ikke godkjent av %(owner)s.") % {"owner": owner},
        status.CANCELLED_BY_CITIZEN: _("Du har avbestilt timen."),
        status.CANCELLED_BY_CLINIC: _("Timen er avlyst av %(owner)s.") % {"owner": owner},
        status.MOVED: _("Timen er flyttet til et nytt tidspunkt."),
    }
    return texts[appointment.status]  # type: ignore[index]


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
    """Source 003: «Du har fått tildelt en timeavtale 29. januar 2025 kl. 11:00 - 11:15 hos August.»"""
    slot = appointment.slot
    return (
        f"Du har fått tildelt en timeavtale {fmt.long_date(fmt.local(slot.start).date(), lang='nb')} kl. "
        f"{fmt.time_range(slot.start, slot.end)} hos {actor_name(slot.timebook)}.\n\n"
        f"{CONFIRMED} {description_owner(slot.timebook)}."
    )


def rejected_body(appointment: Appointment, note: str = "") -> str:
    slot = appointment.slot
    return _with_note(
        f"Timebestillingen din {_moment(slot.start)} hos {actor_name(slot.timebook)} ble ikke "
        "godkjent, og timen er ikke tildelt deg.",
        note,
    )


def receipt_body(appointment: Appointment, *, cancelled_by_name: str | None) -> str:
    """The cancellation receipt; ``cancelled_by_name`` when someone cancelled on the person's behalf."""
    slot = appointment.slot
    text = f"Du har avbestilt timen {_moment(slot.start)} hos {actor_name(slot.timebook)}."
    if cancelled_by_name:
        text += f"\n\nAvbestilt av {cancelled_by_name} på vegne av {appointment.citizen.full_name}."
    return text


def cancelled_body(appointment: Appointment, note: str = "") -> str:
    slot = appointment.slot
    return _with_note(f"Timen {_moment(slot.start)} hos {actor_name(slot.timebook)} er avlyst.", note)


def moved_body(old: Appointment, new: Appointment, note: str = "") -> str:
    return _with_note(
        f"Timen din {_moment(old.slot.start)} hos {actor_name(old.slot.timebook)} er flyttet til "
        f"{_moment(new.slot.start)}. Oppmøtested: {new.slot.location.attendance_place}.",
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
    actor = actor_name(slot.timebook)
    when = fmt.sms_moment(slot.start)
    place = slot.location.attendance_place
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
