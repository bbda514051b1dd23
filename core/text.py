"""Checks of free text that every form shares."""

from __future__ import annotations

import unicodedata


def has_control_characters(text: str) -> bool:
    """NUL and other control characters (line breaks and tabs are fine): PostgreSQL refuses NUL outright."""
    return any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in text)


def one_line(text: str) -> str:
    """Runs of whitespace (line breaks too) as one space, trimmed."""
    return " ".join(text.split())
