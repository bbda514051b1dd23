"""Every patient-visible sentence and title of booking, in one place, with the source it comes from.

Stored and sent texts (Innboks, SMS, e-mail) are Norwegian whatever the language of the request that wrote
them, as the sources give them. Page texts go through gettext with the same Norwegian msgid, so English
(``locale/en``) follows them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext, pgettext, pgettext_lazy

from addressregistry.timebook_types import TimebookType
from core import formatting as fmt
from resourcebooks.models import ATTENDANCE_BY_MODE, Practitioner, TimeType

# Who offers the time, and what Innboks and the channels say: their own modules, named here as ever.
from .actors import actor_name as actor_name
from .actors import appointment_actor as appointment_actor
from .actors import behandler_of as behandler_of
from .actors import description_owner as description_owner
from .actors import practitioner_calendar_title as practitioner_calendar_title
from .actors import short_actor_name as short_actor_name
from .messages import CONFIRMED as CONFIRMED
from .messages import LOGIN as LOGIN
from .messages import NOTIFICATION_SUBJECTS as NOTIFICATION_SUBJECTS
from .messages import PASSED_BEFORE_CONFIRMATION as PASSED_BEFORE_CONFIRMATION
from .messages import SUBJECT_CANCELLED as SUBJECT_CANCELLED
from .messages import SUBJECT_MOVED as SUBJECT_MOVED
from .messages import SUBJECT_NEW_APPOINTMENT as SUBJECT_NEW_APPOINTMENT
from .messages import SUBJECT_RECEIPT as SUBJECT_RECEIPT
from .messages import SUBJECT_REJECTED as SUBJECT_REJECTED
from .messages import TIMEBOOK_TYPE_IN_TEXT as TIMEBOOK_TYPE_IN_TEXT
from .messages import assigned_body as assigned_body
from .messages import campaign_default_text as campaign_default_text
from .messages import cancelled_body as cancelled_body
from .messages import genitive as genitive
from .messages import moved_body as moved_body
from .messages import notification_text as notification_text
from .messages import receipt_body as receipt_body
from .messages import rejected_body as rejected_body

if TYPE_CHECKING:
    from addressregistry.models import Organisation, Service
    from resourcebooks.models import Slot, Timebook

    from ..models import Appointment

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


def behandler_line(behandler: Practitioner) -> str:
    """«Behandler: Fastlege August September» (source 003, step 10); a vikar by the same pattern, «Behandler: Vikar
    for fastlege Astrid Info»; anyone else as «Velg behandler» lists them."""
    if behandler.role == Practitioner.Role.FASTLEGE:
        return _("Behandler: Fastlege %(name)s") % {"name": behandler.full_name}
    if behandler.role == Practitioner.Role.VIKAR:
        return _("Behandler: Vikar for fastlege %(name)s") % {"name": behandler.full_name}
    return _("Behandler: %(name)s") % {"name": behandler.listed_name}


def appointment_behandler_line(appointment: Appointment) -> str:
    """``behandler_line`` of whom the appointment is with; empty at a resource timebook."""
    behandler = behandler_of(appointment)
    return behandler_line(behandler) if behandler is not None else ""


def attendance_place(slot: Slot) -> str:
    """«Oppmøtested» on a page, in the request's language: ``Slot.attendance_place``, the one the channels send."""
    place = slot.attendance_place
    return _(place) if place in ATTENDANCE_BY_MODE.values() else place


def practitioner_attendance_place(slot: Slot) -> str:
    """Source 003, step 7, before the time is booked: «Legekontoret, hvis ikke annet er avtalt» for a time at the
    office; a video or phone time as everywhere else («Videotime», «Telefon»)."""
    if slot.time_type is None or slot.time_type.mode == TimeType.Mode.IN_PERSON:
        return _("Legekontoret, hvis ikke annet er avtalt")
    return attendance_place(slot)


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
    from ..models import Appointment

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


# --- The front page (source 003) -----------------------------------------------------------------------

# «Kvalitetssikret helseinformasjon»: source 003 shows these three articles by title; the simulator has none.
HOME_ARTICLES = (
    gettext_lazy("Bestill reisen din selv"),
    gettext_lazy("Noe du lurer på om mensen, fødsel eller overgangsalder?"),
    gettext_lazy("Usikker på hvilke vaksiner du har tatt?"),
)
