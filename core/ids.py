"""Ids from URLs and forms."""

from __future__ import annotations

import re

from .limits import ID_MAX_DIGITS

_ID = re.compile(rf"[0-9]{{1,{ID_MAX_DIGITS}}}")


def parse_id(raw: object) -> int | None:
    """A database id, or None: ASCII digits only and bounded (full-width digits and huge numbers are not ids)."""
    text = str(raw)
    return int(text) if _ID.fullmatch(text) else None


def is_id(raw: object) -> bool:
    return parse_id(raw) is not None
