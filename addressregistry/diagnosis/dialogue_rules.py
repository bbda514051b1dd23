"""The fastlege's dialogues (e-kontakt, e-konsultasjon, reseptfornyelse) and the «fastlegepanelet» (source 004).

Each dialogue the citizen can start in the «Din fastlege» panel on Helsenorge has its own process in the
Adresseregisteret: E-kontakt gives «Kontakt legekontoret», E-konsultasjon «Start e-konsultasjon» and
Reseptfornyelse «Forny resept». Source 004, «Ved ferie og fravær», alternative 3 «Alle tjenester skal være
utilgjengelige»: «Det anbefales ikke at alle tjenester skrus av, da "fastlegepanelet" ikke vil synes for
pasienten lenger» — switch off e-konsultasjon, e-kontakt and reseptfornyelse, but leave timebestilling on.

``dialogue_availability`` is a pure function of the active processes, so the support page and the citizen's
panel decide the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.utils.translation import gettext

from .facts import (
    DIALOGUE_PROCESSES,
    E_KONSULTASJON,
    E_KONTAKT,
    PROCESS_LABEL,
    RESEPTFORNYELSE,
    TIMEBESTILLING,
    Finding,
    Level,
    ServiceSetup,
)
from .practitioner_rules import is_fastlege_service

# What the citizen clicks in the «Din fastlege» panel for each dialogue process.
DIALOGUE_ACTION = {
    E_KONTAKT: "Kontakt legekontoret",
    E_KONSULTASJON: "Start e-konsultasjon",
    RESEPTFORNYELSE: "Forny resept",
}
# Without any of these the «fastlegepanelet» is not shown for the patient at all.
PANEL_PROCESSES = (TIMEBESTILLING, *DIALOGUE_PROCESSES)


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " og " + words[-1]


def dialogue_availability(active_processes: frozenset[str]) -> dict[str, str | None]:
    """For each dialogue ("e_kontakt", "e_konsultasjon", "reseptfornyelse"): None when the citizen should see it,
    else a short Norwegian reason why not, e.g. «E-konsultasjon er ikke aktivert i Adresseregisteret for
    tjenesten»."""
    return {
        process: None
        if process in active_processes
        else gettext("%(process)s er ikke aktivert i Adresseregisteret for tjenesten")
        % {"process": PROCESS_LABEL[process]}
        for process in DIALOGUE_PROCESSES
    }


def rule_fastlege_dialogues(setup: ServiceSetup) -> Iterable[Finding]:
    """Timebestilling on, some dialogue off: a warning naming what the citizen will not see (this is also the
    recommended set-up during holiday and absence, so the fix says so)."""
    if not is_fastlege_service(setup) or not setup.has(TIMEBESTILLING):
        return
    off = [p for p, reason in dialogue_availability(setup.processes).items() if reason]
    if not off:
        return
    labels = _join([PROCESS_LABEL[p] for p in off])
    actions = _join([f"«{DIALOGUE_ACTION[p]}»" for p in off])
    verb = "er" if len(off) == 1 else "er alle"
    yield Finding(
        "fastlege_dialogues_off",
        Level.WARNING,
        f"Timebestilling er aktivert, men {labels} {verb} skrudd av på fastlegens tjeneste. Pasienten ser derfor "
        f"ikke {actions} i fastlegepanelet på Helsenorge.",
        f"Aktiver {labels} i Adresseregisteret hvis pasientene skal kunne bruke dem. Er de skrudd av med vilje "
        "ved ferie eller fravær, er dette anbefalt oppsett: fastlegepanelet vises fortsatt fordi timebestilling "
        "er på.",
    )


def rule_fastlege_panel(setup: ServiceSetup) -> Iterable[Finding]:
    """All of Timebestilling, E-kontakt, E-konsultasjon and Reseptfornyelse off: the panel disappears."""
    if not is_fastlege_service(setup) or setup.processes & set(PANEL_PROCESSES):
        return
    yield Finding(
        "fastlege_panel_hidden",
        Level.ERROR,
        "Timebestilling, E-kontakt, E-konsultasjon og Reseptfornyelse er alle skrudd av på fastlegens tjeneste, så "
        "«fastlegepanelet» vil ikke synes for pasienten lenger. Pasienten finner ikke tjenestene de er vant til å "
        "se, og det vil oppleves som at de har mistet tilgang eller at fastlegen ikke er tilgjengelig i Helsenorge.",
        "Det anbefales ikke at alle tjenester skrus av, da «fastlegepanelet» ikke vil synes for pasienten lenger. "
        "Skru av e-konsultasjon, e-kontakt og reseptfornyelse, men la timebestilling være skrudd på. Ved ferie og "
        "fravær fjernes i tillegg ledige timer fra fastlegens timebok i perioden fastlegen er borte, så pasientene "
        "ikke kan bestille time.",
    )


DIALOGUE_RULES: tuple[Callable[[ServiceSetup], Iterable[Finding]], ...] = (
    rule_fastlege_panel,
    rule_fastlege_dialogues,
)
