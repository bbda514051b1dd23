"""Every patient-visible sentence and title of booking, in one place, with the source it comes from.

Stored and sent texts (Innboks, SMS, e-mail) are Norwegian whatever the language of the request that wrote
them, as the sources give them. Page texts go through gettext with the same Norwegian msgid, so English
(``locale/en``) follows them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext, pgettext, pgettext_lazy

from addressregistry.timebook_types import TimebookType
from core import formatting as fmt

if TYPE_CHECKING:
    from addressregistry.models import Organisation, Service
    from resourcebooks.models import Practitioner, Timebook, TimeType

    from .models import Appointment

# --- Who offers the time ---------------------------------------------------------------------------------


def actor_name(timebook: Timebook) -> str:
    """«Influensavaksine, Smittevern (Feberpoliklinikk Test), Helsenorge kommune» (source 000) for a
    municipality; «Influensa, Helsenorge testlegekontor» (source 001) for a GP office."""
    service = timebook.service
    org = service.organisation
    if timebook.practitioner is not None:
        # A fastlege's own timebook: Innboks's sender «August September (fastlege)» (source 003, step 9).
        return f"{timebook.practitioner.full_name} (fastlege)"
    if org.is_gp_office:
        return f"{timebook.name}, {org.name}"
    return f"{timebook.name}, {service.name}, {org.name}"


def short_actor_name(timebook: Timebook) -> str:
    """«… hos August.» (source 003, step 9): a fastlege by first name; otherwise ``actor_name``."""
    practitioner = timebook.practitioner
    return practitioner.first_name if practitioner is not None else actor_name(timebook)


def practitioner_calendar_title(behandler: Practitioner, timebook: Timebook) -> str:
    """«Elias Psa Rud (fastlege), Timebok Test» (source 003, step 6)."""
    return f"{behandler.listed_name}, {timebook.name}"


def description_owner(timebook: Timebook) -> str:
    """Who confirms: «Din timereservasjon er bekreftet. Smittevern (Feberpoliklinikk Test).»"""
    org = timebook.service.organisation
    return org.name if org.is_gp_office else timebook.service.name


# --- Titles by timebook type (DESIGN.md §4) -----------------------------------------------------------
#
# Where the sources disagree, the newer wins for the kind of office it describes (seeds/README):
#
# - Municipalities: 000 (15.06.2026) over 002 (09.06.2021). 002 gives the confirmed appointment as
#   «d.mmm.yyyy, kl. tt:mm: Time til <time/timebok type> hos <timeboknavn i EPJ> <Kommunenavn>» («1. mai 2021,
#   kl. 08:00: Time til koronatest hos Koronatest1 Beste kommune»); 000 as «6. februar 2025 kl. 11:15: Time for
#   vaksine hos Influensavaksine, Smittevern (Feberpoliklinikk Test), Helsenorge kommune». 000's format is used:
#   no comma before «kl.», and the actor as timebook, service, municipality, with commas. 000 shows only a
#   vaksine timebook, with «Time for»; for koronatest, koronavaksine and lab 002's words («Time til koronatest»,
#   «Time til koronavaksine», «Time til laboratoriet») are the only ones there are, so they are kept.
# - GP offices: 001 (11.06.2026) lists «Time til vaksine hos [navn på legekontor]» for each type: «til», and the
#   office's name alone (the timebook's name is on the review page's «Time hos …», not in the title).

TITLE_PREFIX_CONTEXT = "appointment title prefix"
APPOINTMENT_TITLE_PREFIX: dict[str, str] = {
    TimebookType.KORONATEST: "Time til koronatest",  # 002
    TimebookType.KORONAVAKSINE: "Time til koronavaksine",  # 002
    TimebookType.LAB: "Time til laboratoriet",  # 002
    TimebookType.VAKSINE: "Time for vaksine",  # 000
}
GP_OFFICE_TITLE_PREFIX: dict[str, str] = {  # 001
    TimebookType.KORONATEST: "Time til koronatest",
    TimebookType.KORONAVAKSINE: "Time til koronavaksine",
    TimebookType.LAB: "Time til laboratoriet",
    TimebookType.VAKSINE: "Time til vaksine",
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
    pgettext_lazy("appointment title prefix", "Time til vaksine"),
    pgettext_lazy("appointment title prefix", "Time"),
)


def appointment_title(appointment: Appointment) -> str:
    """«6. februar 2025 kl. 11:15: Time for vaksine hos …» (source 000) at a municipality, «… Time til vaksine
    hos Helsenorge testlegekontor» (source 001) at a GP office, in the request's language."""
    timebook = appointment.slot.timebook
    org = timebook.service.organisation
    prefixes = GP_OFFICE_TITLE_PREFIX if org.is_gp_office else APPOINTMENT_TITLE_PREFIX
    prefix = pgettext(TITLE_PREFIX_CONTEXT, prefixes.get(timebook.type, "Time"))
    time_type = appointment.slot.time_type
    if timebook.practitioner_id is not None and time_type is not None:
        prefix = time_type.name  # source 003: «28. januar 2025 kl. 09:00: Videotime hos DDFL Test»
    return _("%(moment)s: %(prefix)s hos %(actor)s") % {
        "moment": fmt.appointment_moment(appointment.slot.start),
        "prefix": prefix,
        "actor": org.name if org.is_gp_office else actor_name(timebook),
    }


# --- «Hva trenger du?» (step 2) -------------------------------------------------------------------------
#
# Source 000 labels each radio by the type of time («Konsultasjon», «Koronavaksine», «Koronatest», «Vaksine»)
# with the timebook's own text (max 200) under it; the timebook's EPJ name («Influensavaksine») first shows on
# «Velg time». Sources 001 and 003 word the lab type «Ta prøve på laboratoriet», and 003 lists the GP's own
# «Konsultasjon med fastlegen» first. Two timebooks of one type in one list would read alike: the timebook's
# name follows the type in brackets (no source shows the case).

CHOICE_LABEL: dict[str, Promise] = {
    TimebookType.KORONATEST: pgettext_lazy("what the citizen needs", "Koronatest"),
    TimebookType.KORONAVAKSINE: pgettext_lazy("what the citizen needs", "Koronavaksine"),
    TimebookType.LAB: pgettext_lazy("what the citizen needs", "Ta prøve på laboratoriet"),
    TimebookType.VAKSINE: pgettext_lazy("what the citizen needs", "Vaksine"),
}


def timebook_choice_labels(timebooks: list[Timebook]) -> list[str]:
    """The radios' labels under «Hva trenger du?», in the order given."""
    types = [str(CHOICE_LABEL.get(tb.type, tb.name)) for tb in timebooks]
    return [f"{t} ({tb.name})" if types.count(t) > 1 else t for t, tb in zip(types, timebooks, strict=True)]


def practitioner_choice_label(service: Service, *, role: bool) -> str:
    """«Konsultasjon med fastlegen» (source 003); a resource-timebook service with Behandleroversikt shows a role
    instead, «Helsefaglig kontakt …» (source 002, the «mellomløsning»)."""
    if role:
        return _("Helsefaglig kontakt %(service)s") % {"service": service.name}
    return _("Konsultasjon med fastlegen")


def booking_limit_reached(active: int, *, name: str | None = None) -> str:
    """Why a timebook cannot be chosen under «Hva trenger du?»: the words «Send bestilling» is refused with
    (``booking.services.requests``), said before a slot is picked and a reason written. ``name`` when acting
    for someone."""
    if name is None:
        return ngettext(
            "Du har allerede %(count)d aktiv bestilling i denne timeboken, som er det høyeste antallet "
            "som er tillatt. Avbestill en time før du bestiller en ny.",
            "Du har allerede %(count)d aktive bestillinger i denne timeboken, som er det høyeste antallet "
            "som er tillatt. Avbestill en time før du bestiller en ny.",
            active,
        ) % {"count": active}
    return ngettext(
        "%(name)s har allerede %(count)d aktiv bestilling i denne timeboken, som er det høyeste antallet "
        "som er tillatt. Avbestill en time før du bestiller en ny.",
        "%(name)s har allerede %(count)d aktive bestillinger i denne timeboken, som er det høyeste antallet "
        "som er tillatt. Avbestill en time før du bestiller en ny.",
        active,
    ) % {"count": active, "name": name}


# --- The steps (sources 000, 001, 003) ---------------------------------------------------------------------

NO_FREE_TIMES = gettext_lazy("Tjenesten kunne ikke hente ledige timer. Prøv igjen senere.")  # source 001
# Sources 001 and 003 under «Timebestilling: Velg time», on «Velg sted» and the calendar; not on the page of a
# blocked patient (001's screenshot of it has none: there is nothing to fill in).
ALL_FIELDS_REQUIRED = gettext_lazy("Alle felt må fylles ut")
CONFIRMED = "Din timereservasjon er bekreftet."  # source 000


def reason_hint(organisation: Organisation, max_length: int) -> str:
    """The hint under «Hva gjelder det?»: each source is the newest for the kind of office it shows, 001
    (11.06.2026, GP office) «Maks 50 tegn.», 000 (15.06.2026, municipality) «Maksimum 50 tegn.». (003's
    practitioner booking also says «Maksimum 50 tegn.», but 001 is newer and is the GP office's resource
    timebook.)"""
    if organisation.is_gp_office:
        return _("Maks %(max)s tegn.") % {"max": max_length}
    return _("Maksimum %(max)s tegn.") % {"max": max_length}


# Source 003, step 7 (a practitioner's timebook).
PRACTITIONER_JOURNAL_NOTE = gettext_lazy("Henvendelsen vil bli journalført.")
REASON_PLACEHOLDER = gettext_lazy("F. eks. magesmerter")


def reason_hint_practitioner(max_length: int) -> str:
    """Source 003, step 7: «Maksimum 50 tegn.»"""
    return _("Maksimum %(max)s tegn.") % {"max": max_length}


def practitioner_attendance_place(time_type: TimeType | None) -> str:
    """Source 003: «Legekontoret, hvis ikke annet er avtalt»; «Videotime» for a video time; «Telefon»."""
    mode = time_type.mode if time_type is not None else ""
    if mode == "video":
        return _("Videotime")
    if mode == "phone":
        return _("Telefon")
    return _("Legekontoret, hvis ikke annet er avtalt")


def journal_note(organisation: Organisation) -> str:
    """Source 001, a GP office's review page: «Henvendelsen lagres i legens journalsystem.» 000's municipal
    review page has no such line. (003's practitioner booking says «Henvendelsen vil bli journalført.»:
    ``PRACTITIONER_JOURNAL_NOTE``.)"""
    return _("Henvendelsen lagres i legens journalsystem.") if organisation.is_gp_office else ""


def suggested_times_hint(organisation: Organisation) -> str:
    """«Send timeforespørsel» (source 003, a GP office): «… hvorfor du trenger legetime (maks 250 tegn).» A
    municipality has no «legetime»: it keeps «time»."""
    if organisation.is_gp_office:
        return _(
            "Vennligst foreslå dager og tidspunkter som passer. Skriv gjerne en kort beskrivelse av hvorfor du "
            "trenger legetime (maks 250 tegn)."
        )
    return _(
        "Vennligst foreslå dager og tidspunkter som passer. Skriv gjerne en kort beskrivelse av hvorfor du "
        "trenger time (maks 250 tegn)."
    )


# Holding the slot on «Se gjennom før du sender»: renewed up to a cap, then free for everyone (issue 20).
HOLD_LINE = gettext_lazy("Timen er holdt av til deg til kl. %(time)s.")
HOLD_LINE_FINAL = gettext_lazy("Timen er holdt av til deg til kl. %(time)s, og kan ikke holdes av lenger.")
HOLD_SPENT = gettext_lazy(
    "Timen har vært holdt av til deg så lenge den kan, og er ledig for alle igjen. Du kan fortsatt sende "
    "bestillingen hvis ingen andre har tatt den."
)


# --- A time request in Innboks (source 001, the blocked patient; stored, so always Norwegian) ---------------

# Source 001: a blocked patient's message is answered automatically.
BLOCKED_REPLY = (
    "Legekontoret har ikke gitt deg tilgang til denne tjenesten.\nKontakt fastlegekontoret ved eventuelle spørsmål."
)
# Source 001: the reply is from «Testfastlege (fastlege)», the patient's own GP at the office, named as the office's
# answers are; the role alone when they have none there; a municipality's reply is the municipality's.
FASTLEGE_SENDER = "Fastlege (fastlege)"


def reply_sender(organisation: Organisation, fastlege: Practitioner | None = None) -> str:
    if not organisation.is_gp_office:
        return organisation.name
    mine = fastlege is not None and fastlege.organisation_id == organisation.pk
    return f"{fastlege.full_name} (fastlege)" if mine and fastlege else FASTLEGE_SENDER


def time_request_body(suggested_times: str) -> str:
    """The patient's own message, as it stands in their Innboks beside the answer."""
    return f"Foreslåtte tidspunkt: {suggested_times}"


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
        f"{fmt.time_range(slot.start, slot.end)} hos {short_actor_name(slot.timebook)}.\n\n"
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
    if slot.timebook.practitioner_id is not None and slot.time_type is not None:
        what = slot.time_type.name.lower()  # «… time til videotime hos August September (fastlege)»
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
