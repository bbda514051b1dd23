"""What the dialogue services raise for something the citizen or the clinic can mend."""

from __future__ import annotations

from core.errors import ApplicationError


class DialogueError(ApplicationError):
    """A message that cannot be sent; ``message`` is Norwegian and shown as it is."""
