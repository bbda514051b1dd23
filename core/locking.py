"""Row locks that wait a bounded time (after pretix's ``services/locking.py``).

A service that locks takes its locks through ``lock_rows`` inside its own ``transaction.atomic()``. On
PostgreSQL the transaction's ``lock_timeout`` is set first, so a request never queues behind a stuck
transaction for longer than ``LOCK_TIMEOUT_MS``; a timeout becomes ``LockBusy``, which the portal answers
with a Norwegian «try again» (503, see ``core.middleware.LockBusyMiddleware``). SQLite serialises writers
itself and has no row locks; there the queryset is simply evaluated.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import DatabaseError, connection
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError
from .limits import LOCK_TIMEOUT_MS

M = TypeVar("M", bound=Model)

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for a lock_timeout that ran out


class LockBusy(ApplicationError):
    def __init__(self) -> None:
        super().__init__(_("Mange bruker tjenesten akkurat nå. Vent litt og prøv igjen."))


def is_lock_timeout(exc: BaseException) -> bool:
    """Whether a database error is PostgreSQL's ``lock_timeout`` running out (here or in its cause)."""
    cause: Any = exc.__cause__ or exc
    return getattr(cause, "sqlstate", None) == LOCK_NOT_AVAILABLE


def lock_rows(queryset: QuerySet[M], *, timeout_ms: int | None = None) -> list[M]:
    """``SELECT … FOR UPDATE`` the queryset's rows, waiting at most ``timeout_ms`` (by default
    ``LOCK_TIMEOUT_MS``); call inside ``atomic()``."""
    timeout_ms = timeout_ms or LOCK_TIMEOUT_MS
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # set_config(…, true) is SET LOCAL: it ends with the transaction.
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{int(timeout_ms)}ms"])
    try:
        return list(queryset.select_for_update())
    except DatabaseError as exc:
        if is_lock_timeout(exc):
            raise LockBusy() from exc
        raise


def claim_rows(queryset: QuerySet[M], **values: Any) -> int:
    """The conditional ``UPDATE`` of a claim, which never waits: a row another transaction is changing this very
    moment is skipped (that transaction is taking it), so a crowd on one slot gets «taken» at once instead of
    queueing behind the winner until the lock timeout runs out. Returns how many rows it changed; call inside
    ``atomic()``. ``FOR NO KEY UPDATE`` does not conflict with the key-share locks that inserts referring to the
    row take; on SQLite (no row locks) the rows are simply read."""
    pks = list(queryset.select_for_update(skip_locked=True, no_key=True).values_list("pk", flat=True))
    if not pks:
        return 0
    # The claim's conditions go into the UPDATE too: on SQLite, which has no row locks, they are what keeps it
    # conditional; on PostgreSQL the rows are locked since the SELECT, and the conditions still hold.
    return queryset.filter(pk__in=pks).update(**values)
