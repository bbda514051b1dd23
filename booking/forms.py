"""Forms of the booking steps. The rules and their Norwegian messages stay in the services; a form reads the
POST, hands the text to the service's ``clean`` and puts a ``BookingError`` on the field it names."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from citizens.forms import StepForm
from core.forms import ServiceCheckedText
from core.limits import REASON_MAX, SUGGESTED_TIMES_MAX

from .errors import FORM_EXPIRED, BookingError
from .services import reason_clean, time_request_clean


class ReviewForm(StepForm):
    """«Se gjennom før du sender»: «Hva gjelder det?» and the idempotency key that makes a double click one
    request."""

    reason = ServiceCheckedText(
        label=gettext_lazy("Hva gjelder det?"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    idempotency_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"required": FORM_EXPIRED.message, "invalid": FORM_EXPIRED.message},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"idempotency_key": uuid.uuid4()})
        super().__init__(*args, **kwargs)

    def clean_reason(self) -> str:
        try:
            return reason_clean(self.cleaned_data["reason"])
        except BookingError as error:
            raise forms.ValidationError(error.message) from None

    def renew_key(self) -> None:
        """Show the form again with a new idempotency key: the one sent was no key, and sending it again
        would only be refused again."""
        # items(), not {**data}: a QueryDict unpacked that way gives its lists of values, not the values.
        self.data = dict(self.data.items(), idempotency_key=str(uuid.uuid4()))


class TimeRequestForm(StepForm):
    """«Send timeforespørsel» (source 003): «Emne» and the times that suit; the timebook, if one was chosen,
    comes along hidden."""

    timebok = forms.CharField(widget=forms.HiddenInput, required=False)
    subject = ServiceCheckedText(label=gettext_lazy("Emne"), max_length=REASON_MAX)
    suggested_times = ServiceCheckedText(
        label=gettext_lazy("Foreslå ett eller flere tidspunkt som passer deg"),
        max_length=SUGGESTED_TIMES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["subject"], data["suggested_times"] = time_request_clean(
                subject=data.get("subject", ""), suggested_times=data.get("suggested_times", "")
            )
        except BookingError as error:
            self.add_service_error(error)
        return data


class SurveyForm(forms.Form):
    """The office's kartleggingsskjema (source 003, step 5): «Hva gjelder timebestillingen?», one choice."""

    gjelder = forms.ChoiceField(
        label=gettext_lazy("Hva gjelder timebestillingen?"),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Du må velge hva timebestillingen gjelder")},
    )

    def __init__(self, *args: Any, choices: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["gjelder"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(choice, choice) for choice in choices]


class BehandlerForm(forms.Form):
    """«Velg behandler ved <kontor>» (source 003, step 6): the fastlege or a vikar set on him."""

    behandler = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Du må velge behandler")},
    )

    def __init__(self, *args: Any, practitioners: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["behandler"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(p.pk, p.listed_name) for p in practitioners]
