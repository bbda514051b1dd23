"""What the citizen reads on their own pages about consent to digital contact, in one place, with its source.

Source 004 says it from the clinic's side: «Pasienten må også ha samtykket til å bli kontaktet digitalt i
HelseNorge-portalen» (or no dialogue can be sent to them), and «dersom pasienten … ikke har samtykket til å bli
kontaktet digitalt, vil pasienten ikke motta varsel om oppsatt time via HelseNorge». The citizen is told the same,
in the same words where they fit, and what «Din fastlege» offers with it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CONSENT_TITLE = _("Samtykke til digital kontakt")
CONSENT_MEANING = _(
    "Samtykker du til å bli kontaktet digitalt, kan du bruke «Kontakt legekontoret», «Start e-konsultasjon» og "
    "«Forny resept» under Din fastlege, og legekontoret kan sende deg dialoger på Helsenorge. Har du ikke samtykket "
    "til å bli kontaktet digitalt, kan legekontoret ikke sende deg dialoger, og du vil ikke motta varsel om oppsatt "
    "time via Helsenorge. Du kan trekke samtykket når du vil."
)
CONSENT_GIVEN = _("Du har samtykket til å bli kontaktet digitalt.")
CONSENT_NOT_GIVEN = _("Du har ikke samtykket til å bli kontaktet digitalt.")
CONSENT_GIVE = _("Gi samtykke")
CONSENT_WITHDRAW = _("Trekk samtykke")
CONSENT_SAVED_GIVEN = _("Samtykket er registrert. Du kan nå kontakte legekontoret digitalt.")
CONSENT_SAVED_WITHDRAWN = _("Samtykket er trukket tilbake.")
CONSENT_INVALID = _("Velg om du vil gi eller trekke samtykket til digital kontakt.")
