"""audit — who read or changed what, and when: ``AuditEvent`` and ``audit.record(...)``.

Services call ``record`` explicitly for every change that must be traceable (signals would miss the
conditional ``UPDATE``s that change an appointment's status). The middleware notes who is acting for the
length of a request (citizen, representative, staff, support; «system» for tasks). *Reads* of the pages that
show such objects are recorded by the app that owns each page (``reads.audited_read`` on a view,
``reads.ChangeReadAudited`` on an admin class), which names its model and lookups. Knows nothing of the apps
above it: the actor comes from plain values the citizens middleware put on the request.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    kind: str
    label: str
    user_id: int | None = None
    acting_for: str = ""


SYSTEM = Actor(kind="system", label="system")
_current: ContextVar[Actor] = ContextVar("audit_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _current.get()


def record(
    action: str, object_type: str, object_id: Any, *, organisation_her_id: int | None = None, summary: str = ""
) -> None:
    """One row of the audit trail, by whoever is acting now (the request's actor, or «system»)."""
    from .models import AuditEvent

    actor = _current.get()
    AuditEvent.objects.create(
        actor_kind=actor.kind,
        actor_label=actor.label,
        actor_user_id=actor.user_id,
        acting_for=actor.acting_for,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        organisation_her_id=organisation_her_id,
        summary=str(summary)[:300],
    )
