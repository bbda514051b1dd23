"""Every sentence a patient or the clinic reads about dialogues, in one place (Norwegian; English through
Språk/Language)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from inbox import texts as inbox_texts
from inbox.models import Thread

Kind = Thread.Kind

# What «Din fastlege» calls each dialogue (Helsenorge's own labels).
ACTION = {
    Kind.E_KONTAKT: _("Kontakt legekontoret"),
    Kind.E_KONSULTASJON: _("Start e-konsultasjon"),
    Kind.RESEPTFORNYELSE: _("Forny resept"),
}
ACTION_HELP = {
    Kind.E_KONTAKT: _("Praktiske spørsmål til legekontoret, for eksempel om timer, attester eller betaling."),
    Kind.E_KONSULTASJON: _("Medisinske spørsmål til fastlegen. Henvendelsen journalføres og kan koste en egenandel."),
    Kind.RESEPTFORNYELSE: _("Be om å få fornyet en resept du har fått tidligere."),
}
# Before an e-konsultasjon is sent (source 003's review says «Henvendelsen vil bli journalført.»).
CONSULTATION_NOTICE = _(
    "Henvendelsen vil bli journalført. En e-konsultasjon kan koste det samme som en vanlig konsultasjon "
    "(egenandel), og legekontoret sender i så fall regning."
)
# The closed texts live in Innboks (below dialogues), which shows them; re-exported for the staff pages.
CLOSED, CLOSED_OTHER = inbox_texts.CLOSED, inbox_texts.CLOSED_OTHER
# Source 004: what staff are told when a patient cannot receive a dialogue.
NOT_CONTACTABLE = _(
    "Pasienten kan ikke kontaktes digitalt. Dialoger kan kun sendes til pasienter med fullt fødselsnummer eller "
    "D-nummer som er aktive i Helsenorge-portalen og har samtykket til å bli kontaktet digitalt."
)
NOT_CONTACTABLE_WHY = {
    "national_id": _("Pasienten har ikke fullt fødselsnummer eller D-nummer."),
    "inactive": _("Pasienten er ikke aktiv i Helsenorge-portalen."),
    "consent": _("Pasienten har ikke samtykket til å bli kontaktet digitalt."),
}
NO_CONSENT_CITIZEN = _(
    "Du har ikke gitt samtykke til digital kontakt med legekontoret. Gi samtykke under Kontaktinformasjon og "
    "varseloppsett for å bruke tjenesten."
)
NO_FASTLEGE = _("Du står ikke på listen til en fastlege. Tjenestene fra fastlegekontoret er derfor ikke tilgjengelige.")
# The notification never holds health content (not even the subject): only that there is a message.
NOTIFICATION_SUBJECT = "Ny melding på Helsenorge"


def notification_text(first_name: str, office_name: str, *, to_person: bool, patient_name: str) -> str:
    whose = "" if to_person else f" om {patient_name}"
    return (
        f"{first_name}, du har fått en ny melding{whose} fra {office_name} på Helsenorge. "
        "Logg inn på Helsenorge for å lese den."
    )


def closed_text(kind: str) -> str:
    return inbox_texts.closed_text(kind)


# A journal note whose dialogue the reader was not sent: that there is one, not what it is about (staff pages).
JOURNAL_HIDDEN = _("E-konsultasjon (helsenorge.no)")
JOURNAL_HIDDEN_NOTE = _("sendt til en annen mottaker")
