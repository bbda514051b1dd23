"""The rules for booking with the fastlege (sources 003 and 004), each a pure function from a service's setup to
findings support reads on the AR service page.

Source 004 («Bestille time hos fastlege»): «Pasienten kan kun bestille time i sin egen fastleges timebok»;
«Fastlegen kan kun stå som eier av én timebok … Har fastlegen flere timebøker, vil pasienten forhindres fra å
bestille time»; «Timeboken må være tilgjengelig online»; «Timetypene må være tilgjengelig online»; «må vikaren
benytte fastlegens timebok. Vikaren kan ikke benytte egen timebok».
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .facts import (
    FASTLEGE,
    PRACTITIONER_PROCESSES,
    PROCESS_LABEL,
    RESSURSOVERSIKT,
    ROLE_FASTLEGE,
    ROLE_LIS1,
    ROLE_VIKAR,
    TIMEBESTILLING,
    Finding,
    Level,
    ServiceSetup,
)


def is_fastlege_service(setup: ServiceSetup) -> bool:
    """A fastlege's own service: of type Fastlege, or holding a practitioner's timebook."""
    return setup.service_type == FASTLEGE or bool(setup.practitioner_timebooks)


def _names(processes: Iterable[str]) -> str:
    labels = [PROCESS_LABEL[p] for p in processes]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " og " + labels[-1]


def rule_fastlege_processes(setup: ServiceSetup) -> Iterable[Finding]:
    """Timebestilling gives «Bestill time», Timereservasjon lets the booking be reserved in the EPJ, and
    Behandleroversikt lists the fastlege (and any vikar) under «Velg behandler». The «mellomløsning» rule
    (Behandleroversikt hides resource timebooks) is about resource-timebook services, not this one."""
    if not is_fastlege_service(setup) or not setup.has(TIMEBESTILLING):
        return  # rule_timebestilling says what is wrong without Timebestilling
    missing = [p for p in PRACTITIONER_PROCESSES if not setup.has(p)]
    if missing:
        yield Finding(
            "fastlege_processes_missing",
            Level.ERROR,
            "Timebestilling hos fastlegen krever at Timebestilling, Timereservasjon og Behandleroversikt alle er "
            f"aktivert på fastlegens tjeneste. Mangler: {_names(missing)}. Uten Behandleroversikt vises ikke "
            "fastlegen under «Velg behandler», og uten Timereservasjon kan bestillingen ikke sendes.",
            f"Aktiver {_names(missing)} på tjenesten i Adresseregisteret.",
        )
    if setup.has(RESSURSOVERSIKT) and not setup.resource_timebooks:
        yield Finding(
            "fastlege_ressursoversikt",
            Level.INFO,
            "Ressursoversikt er aktivert på fastlegens tjeneste, men tjenesten har ingen ressurstimebøker. "
            "Ressursoversikt gjelder ressurstimebøker (fellestjenester som vaksine og laboratorium).",
            "Slå av Ressursoversikt her, og legg ressurstimebøkene på en egen tjeneste.",
        )


def rule_own_fastlege(setup: ServiceSetup) -> Iterable[Finding]:
    if setup.timebooks is None or not is_fastlege_service(setup):
        return
    fastleger = [tb for tb in setup.practitioner_timebooks if tb.practitioner_role == ROLE_FASTLEGE]
    if not fastleger:
        yield Finding(
            "no_fastlege_timebook",
            Level.WARNING,
            "Tjenesten har ingen timebok der en fastlege står som eier. Innbyggeren får ingen timer å velge hos "
            "fastlegen.",
            "Sett opp timeboken slik at fastlegen står som eier, og at timeboken er tilgjengelig online.",
        )
        return
    yield Finding(
        "own_fastlege_only",
        Level.INFO,
        "Pasienten kan kun bestille time i sin egen fastleges timebok – dette er den eneste timeboken som er "
        "tilgjengelig for pasienten. Pasienten må være på fastlegens fastlegeliste for å kunne bestille time.",
        "Ingen endring er nødvendig. Står pasienten ikke på listen, må pasienten ringe legekontoret.",
    )


def rule_practitioner_timebooks(setup: ServiceSetup) -> Iterable[Finding]:
    for tb in setup.practitioner_timebooks:
        owner = tb.practitioner_name or tb.name
        if tb.practitioner_role == ROLE_FASTLEGE and tb.owner_timebook_count > 1:
            yield Finding(
                "fastlege_several_timebooks",
                Level.ERROR,
                f"{owner} står som eier av {tb.owner_timebook_count} timebøker. Fastlegen kan kun stå som eier av "
                "én timebok. Har fastlegen flere timebøker, vil pasienten forhindres fra å bestille time.",
                "La fastlegen eie én timebok, og gi de andre timebøkene en annen eier.",
                tb.name,
            )
        if tb.practitioner_role == ROLE_VIKAR:
            yield Finding(
                "vikar_own_timebook",
                Level.ERROR,
                f"Vikaren {owner} står som eier av timeboken «{tb.name}». Skal pasienten kunne bestille time via "
                "Helsenorge, må vikaren benytte fastlegens timebok. Vikaren kan ikke benytte egen timebok.",
                "Sett vikaren på fastlegen, og la vikaren bruke fastlegens timebok.",
                tb.name,
            )
        if tb.practitioner_role == ROLE_LIS1 and tb.online:
            yield Finding(
                "lis1_online",
                Level.WARNING,
                f"«{tb.name}» eies av LIS1 {owner} og er tilgjengelig online. LIS1 kan ikke bestilles på nett: "
                "innbyggeren ser ikke timeboken.",
                "Gjør timeboken utilgjengelig online, og la pasientene bestille hos fastlegen.",
                tb.name,
            )
        if tb.practitioner_role == ROLE_FASTLEGE:
            yield from _online_findings(tb.name, tb.online, tb.offline_time_types, tb.online_time_type_count)


def _online_findings(name: str, online: bool, offline: tuple[str, ...], online_count: int) -> Iterable[Finding]:
    if not online:
        yield Finding(
            "practitioner_timebook_offline",
            Level.ERROR,
            f"Fastlegens timebok «{name}» er ikke tilgjengelig online. Timeboken må være tilgjengelig online for "
            "at fastlegens timebok skal komme opp i Helsenorge.",
            "Gjør timeboken tilgjengelig online.",
            name,
        )
        return
    level = Level.ERROR if online_count == 0 else Level.WARNING
    for type_name in offline:
        consequence = (
            "Ingen timetyper i timeboken er online, så pasienten får ingen timer å velge."
            if level is Level.ERROR
            else "Timer av denne typen vises ikke for pasienten."
        )
        yield Finding(
            "time_type_offline",
            level,
            f"Timetypen «{type_name}» i «{name}» er ikke tilgjengelig online. Timetypene må være tilgjengelig "
            f"online. {consequence}",
            f"Gjør timetypen «{type_name}» tilgjengelig online hvis pasientene skal kunne bestille den.",
            name,
        )


PRACTITIONER_RULES: tuple[Callable[[ServiceSetup], Iterable[Finding]], ...] = (
    rule_fastlege_processes,
    rule_own_fastlege,
    rule_practitioner_timebooks,
)
