"""Sentences Innboks shows about a conversation (Norwegian; English through Språk/Language). Here, below the
apps that write conversations, so Innboks can say them without knowing who wrote the thread."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import Thread

# Source 003/004 for an e-konsultasjon; the same words for the other kinds, from the office.
CLOSED: dict[str, object] = {
    Thread.Kind.E_KONSULTASJON: _(
        "E-konsultasjonen er nå avsluttet fra behandlerens side. Denne meldingen kan ikke besvares."
    ),
}
CLOSED_OTHER = _("Samtalen er nå avsluttet fra legekontorets side. Denne meldingen kan ikke besvares.")
# The kinds the citizen may answer while the office keeps the conversation open.
ANSWERABLE = frozenset(Thread.Kind.values)


def closed_text(kind: str) -> str:
    return str(CLOSED.get(kind, CLOSED_OTHER))
