"""«Hva gjelder det?»: the one rule for the reason on an appointment, whether the citizen writes it in a request
(``requests``) or staff set a patient up on a time (``decisions``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.limits import REASON_MAX
from core.text import has_control_characters, one_line

from ..errors import BookingError


def reason_clean(raw: str) -> str:
    """«Hva gjelder det?»: required, one line, at most 50 characters (source 000)."""
    if has_control_characters(raw):
        raise BookingError(_("Teksten inneholder tegn som ikke kan brukes."), field="reason")
    reason = one_line(raw)
    if not reason:
        raise BookingError(_("Du må skrive hva timen gjelder"), field="reason")
    if len(reason) > REASON_MAX:
        raise BookingError(
            _("Du kan skrive maks %(max)d tegn. Teksten din har %(length)d tegn.")
            % {"max": REASON_MAX, "length": len(reason)},
            field="reason",
        )
    return reason
