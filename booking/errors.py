"""What booking's services raise for something the citizen or the clinic can mend."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ApplicationError

if TYPE_CHECKING:
    from resourcebooks.models import Slot


class BookingError(ApplicationError):
    """A booking the citizen cannot make; ``message`` is Norwegian and shown as it is."""


class SlotTaken(BookingError):
    def __init__(self, alternatives: list[Slot]) -> None:
        super().__init__(
            _("Timen er ikke lenger ledig. Velg en av de nærmeste ledige timene, eller gå tilbake til kalenderen.")
        )
        self.alternatives = alternatives


# Lazy: translated into the language of the request it is raised in.
FORM_EXPIRED = BookingError(
    cast(str, gettext_lazy("Skjemaet er ugyldig eller utløpt. Gå tilbake til kalenderen og velg timen på nytt."))
)
