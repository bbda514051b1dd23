"""The one error a service raises for something the user can mend: a Norwegian message, shown as it is."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """``message`` is shown to the user as it is; ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
