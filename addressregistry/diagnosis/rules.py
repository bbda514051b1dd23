"""The rules of the sources, each a pure function from a service's setup to findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ..timebook_types import TimebookType

if TYPE_CHECKING:
    pass

from .dialogue_rules import DIALOGUE_RULES
from .facts import (
    BEHANDLEROVERSIKT,
    BOOKING_PROCESSES,
    LEGEVAKT,
    MUNICIPALITY,
    PROCESS_LABEL,
    RECOMMENDED_SERVICE_TYPES,
    RESSURSOVERSIKT,
    SMITTEVERN,
    TIMEBESTILLING,
    TIMERESERVASJON,
    VAKSINASJON,
    Finding,
    Level,
    ServiceSetup,
)
from .practitioner_rules import PRACTITIONER_RULES

# --- Rules ------------------------------------------------------------------------------------------


def expects_resource_booking(setup: ServiceSetup) -> bool:
    """Whether the service is meant for resource-timebook booking.

    Smittevern and Vaksinasjon are resource-timebook services by nature (sources 000 and 002); any other
    service is one as soon as it has Ressursoversikt on or resource timebooks attached. A Fastlege service with
    Behandleroversikt and only practitioner timebooks is ordinary practitioner booking, judged by
    ``practitioner_rules`` instead.
    """
    return (
        setup.service_type in {SMITTEVERN, VAKSINASJON} or setup.has(RESSURSOVERSIKT) or bool(setup.resource_timebooks)
    )


def _names(processes: Iterable[str]) -> str:
    labels = [PROCESS_LABEL[p] for p in processes]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " og " + labels[-1]


def rule_timebestilling(setup: ServiceSetup) -> Iterable[Finding]:
    if setup.has(TIMEBESTILLING):
        return
    if setup.processes & BOOKING_PROCESSES or setup.timebooks:
        yield Finding(
            "timebestilling_missing",
            Level.ERROR,
            "Prosessen Timebestilling er ikke aktivert. Uten den får tjenesten ingen «Bestill time»-knapp "
            "på Helsenorge, og innbyggeren finner den ikke under «Hvem vil du bestille time hos?».",
            "Aktiver Timebestilling på tjenesten.",
        )
    else:
        yield Finding(
            "no_booking",
            Level.INFO,
            "Tjenesten har ingen prosesser for timebestilling og vises ikke under «Bestill time».",
            "Skal tjenesten tilby timebestilling i ressurstimebok, aktiver Timebestilling, "
            "Timereservasjon og Ressursoversikt.",
        )


def rule_resource_processes(setup: ServiceSetup) -> Iterable[Finding]:
    if not setup.has(TIMEBESTILLING) or not expects_resource_booking(setup):
        return  # rule_timebestilling already says what is wrong
    missing = [p for p in (TIMERESERVASJON, RESSURSOVERSIKT) if not setup.has(p)]
    if not missing:
        return
    effects = []
    if RESSURSOVERSIKT in missing:
        effects.append("timebøkene ikke listes under «Hva trenger du?»")
    if TIMERESERVASJON in missing:
        effects.append("bestillingen ikke kan sendes, fordi timen ikke kan reserveres")
    yield Finding(
        "resource_processes_missing",
        Level.ERROR,
        "Timebestilling i ressurstimebok krever at Timebestilling, Timereservasjon og Ressursoversikt "
        f"alle er aktivert. Mangler: {_names(missing)}. Følgen er at " + " og ".join(effects) + ".",
        f"Aktiver {_names(missing)}.",
    )


def rule_mellomlosning(setup: ServiceSetup) -> Iterable[Finding]:
    if setup.has(BEHANDLEROVERSIKT) and expects_resource_booking(setup):
        yield Finding(
            "mellomlosning",
            Level.ERROR,
            "Behandleroversikt er aktivert på en tjeneste for ressurstimebøker (oppsettet fra "
            "«mellomløsningen»). Innbyggeren ser da en behandlerrolle, f.eks. «Helsefaglig kontakt», "
            "under «Velg behandler» i stedet for timebøkene.",
            "Slå på Ressursoversikt og Timebestilling, og slå av Behandleroversikt.",
        )


def rule_pairings(setup: ServiceSetup) -> Iterable[Finding]:
    """Sources 000 and 002: advice for municipalities, «ikke krav, men en anbefaling»."""
    if setup.organisation_kind != MUNICIPALITY or not setup.resource_timebooks:
        return
    if setup.service_type not in RECOMMENDED_SERVICE_TYPES:
        yield Finding(
            "pairing_service",
            Level.INFO,
            "Anbefaling: ressurstimebøker i en kommune kobles til smittevern-, vaksinasjons- eller legevakttjenesten.",
            "Vurder å flytte timebøkene til en av disse tjenestene (anbefaling, ikke krav).",
        )
    for tb in setup.resource_timebooks:
        if tb.type == TimebookType.KORONATEST and setup.service_type == LEGEVAKT:
            yield Finding(
                "koronatest_on_legevakt",
                Level.WARNING,
                f"Koronatest-timeboken «{tb.name}» ligger på legevakttjenesten. Den vises bare lokalt, "
                "ikke under «Bestill koronatest i annen kommune».",
                "Koble koronatest-timebøker til smitteverntjenesten (anbefaling, ikke krav).",
                tb.name,
            )
        elif tb.type == TimebookType.KORONATEST and setup.service_type != SMITTEVERN:
            yield Finding(
                "pairing_koronatest",
                Level.INFO,
                f"Anbefaling: timebøker av type koronatest, som «{tb.name}», kobles til smitteverntjenesten.",
                "Koble timeboken til smitteverntjenesten (anbefaling, ikke krav).",
                tb.name,
            )
        if tb.type == TimebookType.KORONAVAKSINE and setup.service_type != VAKSINASJON:
            yield Finding(
                "pairing_koronavaksine",
                Level.INFO,
                f"Anbefaling: timebøker av type koronavaksine, som «{tb.name}», kobles til vaksinasjonstjenesten.",
                "Koble timeboken til vaksinasjonstjenesten (anbefaling, ikke krav).",
                tb.name,
            )
        if tb.type != TimebookType.KORONATEST and setup.service_type == SMITTEVERN:
            yield Finding(
                "shown_in_other_municipality",
                Level.INFO,
                f"«{tb.name}» (type {tb.type_label.lower()}) ligger på smitteverntjenesten og vises derfor "
                "også under «Bestill koronatest i annen kommune», der innbyggere fra andre kommuner kan "
                "velge den.",
                "Ønsker dere ikke det, kobles timeboken til vaksinasjons- eller legevakttjenesten.",
                tb.name,
            )


def rule_timebooks(setup: ServiceSetup) -> Iterable[Finding]:
    if setup.timebooks is None:
        return
    if not setup.resource_timebooks and setup.has(RESSURSOVERSIKT):
        yield Finding(
            "no_timebooks",
            Level.WARNING,
            "Tjenesten har Ressursoversikt, men ingen ressurstimebøker. Innbyggeren får ingenting å velge "
            "under «Hva trenger du?».",
            "Opprett en ressurstimebok på tjenesten i journalsystemet.",
        )
    for tb in setup.resource_timebooks:
        if tb.is_practitioner_timebook:
            yield Finding(
                "resource_and_practitioner",
                Level.ERROR,
                f"«{tb.name}» er satt opp både som ressurstimebok og som behandlertimebok. Krav: man kan ikke "
                "ha ressurstimebøker brukt som ressurs og behandler. Timeboken vises ikke.",
                "Fjern behandlerkoblingen, eller bruk en egen timebok for behandleren.",
                tb.name,
            )
        if tb.time_type_count > 1:
            yield Finding(
                "multiple_time_types",
                Level.WARNING,
                f"«{tb.name}» har {tb.time_type_count} timetyper. Helsenorge støtter ikke flere timetyper på "
                "en ressursavtale: det feiler ikke, men timetypen vises blank.",
                "Bruk én timetype per timebok (ikke i kombinasjon med Hastetime eller MustCall).",
                tb.name,
            )
        if not tb.online:
            yield Finding(
                "timebook_offline",
                Level.INFO,
                f"«{tb.name}» er ikke tilgjengelig på nett og vises ikke for innbyggeren.",
                "Gjør timeboken tilgjengelig på nett når den skal kunne bestilles.",
                tb.name,
            )
        elif tb.has_future_free_slot is False and not tb.is_practitioner_timebook:
            yield Finding(
                "no_free_slots",
                Level.WARNING,
                f"«{tb.name}» er tilgjengelig på nett, men har ingen ledige timer fram i tid. Innbyggeren "
                "får beskjed om at det ikke finnes ledige timer.",
                "Publiser timer fra en ukemal.",
                tb.name,
            )


RULES: tuple[Callable[[ServiceSetup], Iterable[Finding]], ...] = (
    rule_timebestilling,
    rule_resource_processes,
    rule_mellomlosning,
    rule_timebooks,
    rule_pairings,
    *PRACTITIONER_RULES,
    *DIALOGUE_RULES,
)
