"""Checks of free text that every form shares."""

from __future__ import annotations

import unicodedata

# Characters that change how text around them is shown without being seen themselves: the bidirectional
# overrides and isolates can make «Vaksine» display as something else to the staff who read it (the
# «Trojan Source» trick), and zero-width ones hide inside words that look alike.
INVISIBLE_FORMATTING = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]  # LRE, RLE, PDF, LRO, RLO
    + [chr(c) for c in range(0x2066, 0x206A)]  # LRI, RLI, FSI, PDI
    + ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]  # zero-width space, (non-)joiner, word joiner, BOM
)
# Unicode's noncharacters U+FFFE and U+FFFF (and those at the end of every plane): never text, and not allowed in
# XML, so a message holding one would break Innboks's «XML».
NONCHARACTERS = frozenset(chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF))


def has_control_characters(text: str) -> bool:
    """NUL and other control characters (line breaks and tabs are fine): PostgreSQL refuses NUL outright.
    Also the invisible formatting characters and the noncharacters above, which no one types on purpose into a
    form."""
    return any(
        (unicodedata.category(ch) == "Cc" and ch not in "\n\r\t") or ch in INVISIBLE_FORMATTING or ch in NONCHARACTERS
        for ch in text
    )


def one_line(text: str) -> str:
    """Runs of whitespace (line breaks too) as one space, trimmed."""
    return " ".join(text.split())
