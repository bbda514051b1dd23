"""Forms of Innboks's pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class HideForm(forms.Form):
    """«Skjul samtale for fullmakt» (source 003, step 9): ticked hides the conversation, unticked shows it."""

    skjul = forms.BooleanField(label=_("Skjul samtale for fullmakt"), required=False)
