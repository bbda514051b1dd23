"""Where a dialogue goes (source 004 «Motta dialog»), fixed when it is sent.

«Pasientens behandler» is the patient's fastlege (their vikarer see it through them while set), unless the
fastlege's dialogues are handled by someone else for the period («Ved ferie og fravær», alternative 2). «Fast»
is the recipients the office chose; a fixed routing without recipients, or a patient without a fastlege, goes
to the whole clinic, so that no message is left without a reader.
"""

from __future__ import annotations

import datetime as dt

from .models import Dialogue, DialogueRoute, Kind, RoutingAbsence, RoutingSetting, Target

Mode = RoutingSetting.Mode

DEFAULT_MODES = {
    Kind.E_KONSULTASJON: Mode.BEHANDLER,
    Kind.E_KONTAKT: Mode.FIXED,
    Kind.RESEPTFORNYELSE: Mode.FIXED,
    Kind.TIMEFORESPORSEL: Mode.FIXED,
}


def routing_mode(organisation_id: int, kind: str) -> tuple[str, list[DialogueRoute]]:
    """The office's «mottakerformat» for ``kind`` and its fixed recipients, as unsaved routes."""
    setting = RoutingSetting.objects.filter(organisation_id=organisation_id, kind=kind).first()
    mode = setting.mode if setting is not None else DEFAULT_MODES[Kind(kind)]
    fixed: list[DialogueRoute] = []
    if mode != Mode.BEHANDLER:
        recipients = list(setting.recipients.all()) if setting is not None else []
        fixed = [
            DialogueRoute(target=r.target, membership_id=r.membership_id, group_id=r.group_id, role=r.role)
            for r in recipients
        ] or [DialogueRoute(target=Target.CLINIC)]
    return mode, fixed


def behandler_route(dialogue: Dialogue, today: dt.date) -> DialogueRoute:
    fastlege_id = dialogue.fastlege_id
    if fastlege_id is None:
        return DialogueRoute(target=Target.CLINIC)
    absence = (
        RoutingAbsence.objects.filter(fastlege_id=fastlege_id, valid_from__lte=today, valid_to__gte=today)
        .order_by("-valid_from")
        .first()
    )
    if absence is not None:
        return DialogueRoute(target=Target.MEMBER, membership_id=absence.substitute_id)
    return DialogueRoute(target="behandler", practitioner_id=fastlege_id)


def routes_write(dialogue: Dialogue, today: dt.date) -> list[DialogueRoute]:
    """Write the dialogue's routes by the office's setting for its kind (on conversion, for the new kind)."""
    mode, routes = routing_mode(dialogue.organisation_id, dialogue.kind)
    if mode != Mode.FIXED:
        routes.insert(0, behandler_route(dialogue, today))
    for route in routes:
        route.dialogue = dialogue
    return DialogueRoute.objects.bulk_create(routes)
