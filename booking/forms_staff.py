"""The forms of the clinic's grid (issue 22): find a patient, then put them on the chosen free time."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from citizens.models import Citizen
from resourcebooks.models import Slot, TimeType

from .models import REASON_MAX


class PatientSearchForm(forms.Form):
    pasient = forms.CharField(
        label=_("Pasient (navn eller fødselsnummer)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class StaffBookForm(forms.Form):
    """The patient is one of the search's matches (the view refuses any other with 404); the time type one of
    the timebook's, the slot's own by default."""

    patient = forms.IntegerField(
        label=_("Pasient"), error_messages={"required": _("Velg pasienten timen er til."), "invalid": _("Ugyldig.")}
    )
    time_type = forms.ModelChoiceField(
        label=_("Timetype"),
        queryset=TimeType.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Velg en av timebokens timetyper.")},
    )
    reason = forms.CharField(
        label=_("Hva gjelder det?"),
        max_length=REASON_MAX,
        error_messages={
            "required": _("Du må skrive hva timen gjelder"),
            "max_length": _("Du kan skrive maks %(limit_value)d tegn. Teksten din har %(show_value)d tegn."),
        },
    )

    def __init__(self, *args: Any, slot: Slot, matches: list[Citizen], **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("time_type", slot.time_type_id)
        if len(matches) == 1:
            initial.setdefault("patient", matches[0].pk)
        super().__init__(*args, **kwargs)
        self.matches = matches
        self.fields["time_type"].queryset = slot.timebook.time_types.order_by("name")  # type: ignore[attr-defined]
