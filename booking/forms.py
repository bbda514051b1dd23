"""Forms of the booking steps. The rules and their Norwegian messages stay in the services; a form reads the
POST, hands the text to the service's ``clean`` and puts a ``BookingError`` on the field it names."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy

from core.forms import ServiceCheckedText, ServiceErrors
from core.limits import REASON_MAX, SUGGESTED_TIMES_MAX

from .errors import FORM_EXPIRED, BookingError
from .services import reason_clean, time_request_clean

PERSON_CHANGED = gettext_lazy(
    "Du har byttet person etter at du åpnet denne siden, så skjemaet ble ikke sendt. "
    "Gå tilbake og fyll det ut på nytt for personen du bruker Helsenorge for nå."
)
PERSON_SALT = "booking.step-form.person"


def _signer() -> signing.Signer:
    return signing.Signer(salt=PERSON_SALT)


class StepForm(ServiceErrors, forms.Form):
    """A form of a booking step, bound to the person it was shown for.

    Its ids are the fields' names (``reason``, ``subject``): the pages' error summaries, hints and counters
    are named after them. ``for_person`` carries the signed id of the person the page was shown for: a form
    opened while acting for Emma and sent after switching back (in another tab) is refused, never booked for
    whoever is chosen now. (A POST without the field, which no page of ours sends, books for the person now.)
    """

    for_person = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["for_person"].initial = _signer().sign(str(person.pk))

    def clean_for_person(self) -> str:
        raw = self.cleaned_data.get("for_person") or ""
        if not raw:
            return raw
        try:
            shown_for = _signer().unsign(raw)
        except signing.BadSignature:
            shown_for = ""
        if shown_for != str(self.person.pk):
            raise forms.ValidationError(PERSON_CHANGED, code="person_changed")
        return raw

    def rebind_if_person_changed(self) -> None:
        """After a refusal for a changed person: show the form again for the person chosen now, empty, since
        what was written was meant for someone else."""
        if self.has_error("for_person", "person_changed"):
            written = [name for name, field in self.fields.items() if not field.widget.is_hidden]
            fresh = dict.fromkeys(written, "") | {"for_person": _signer().sign(str(self.person.pk))}
            self.data = dict(self.data.items(), **fresh)

    def form_errors(self) -> list[str]:
        """What the error summary says for the form as a whole: its own errors and its hidden fields'."""
        hidden = [error for field in self.hidden_fields() for error in field.errors]
        return [str(error) for error in [*self.non_field_errors(), *hidden]]


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
