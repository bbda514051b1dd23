"""Forms of the patient portal."""

from __future__ import annotations

from typing import Any

import phonenumbers
from django import forms
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import ServiceCheckedText, ServiceErrors
from core.ids import parse_id

from . import texts
from .models import Citizen


def normalise_norwegian_mobile(raw: str) -> str:
    """A Norwegian mobile number in E.164 form (+47…), or ValidationError with a Norwegian message."""
    try:
        number = phonenumbers.parse(raw, "NO")
    except phonenumbers.NumberParseException:
        raise forms.ValidationError(_("Skriv et gyldig mobilnummer, for eksempel 412 34 567.")) from None
    if not phonenumbers.is_valid_number(number) or number.country_code != 47:
        raise forms.ValidationError(_("Skriv et gyldig norsk mobilnummer, for eksempel 412 34 567."))
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise forms.ValidationError(_("Nummeret er ikke et mobilnummer. SMS kan bare sendes til mobilnummer."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class ContactSettingsForm(forms.ModelForm):
    class Meta:
        model = Citizen
        fields = ["phone", "email", "notify_sms", "notify_email", "notify_push"]
        labels = {
            "phone": gettext_lazy("Mobilnummer"),
            "email": gettext_lazy("E-postadresse"),
            "notify_sms": gettext_lazy("Varsel på SMS"),
            "notify_email": gettext_lazy("Varsel på e-post"),
            "notify_push": gettext_lazy("Varsel i Helsenorge-appen"),
        }

    def clean_phone(self) -> str:
        raw = (self.cleaned_data.get("phone") or "").strip()
        return normalise_norwegian_mobile(raw) if raw else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("notify_sms") and not data.get("phone"):
            self.add_error("phone", _("Du må oppgi mobilnummer for å få varsel på SMS."))
        if data.get("notify_email") and not data.get("email"):
            self.add_error("email", _("Du må oppgi e-postadresse for å få varsel på e-post."))
        return data


class ConsentForm(forms.Form):
    """«Gi samtykke» or «Trekk samtykke» to digital contact, on «Kontaktinformasjon og varseloppsett»."""

    consent = forms.ChoiceField(
        choices=[("ja", texts.CONSENT_GIVE), ("nei", texts.CONSENT_WITHDRAW)],
        error_messages={"required": texts.CONSENT_INVALID, "invalid_choice": texts.CONSENT_INVALID},
    )

    def clean_consent(self) -> bool:
        return bool(self.cleaned_data["consent"] == "ja")


class LoginForm(forms.Form):
    """The test login: a listed test person (a button of the list), or «Fødselsnummer»."""

    person = ServiceCheckedText(required=False)
    national_id = ServiceCheckedText(
        label=gettext_lazy("Fødselsnummer"),
        required=False,
        strip=True,
        max_length=13,  # 11 digits, and room for the spaces people type between the groups
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)

    def clean_person(self) -> Citizen | None:
        raw = self.cleaned_data["person"]
        if not raw:
            return None
        person_id = parse_id(raw)
        citizen = (
            Citizen.objects.filter(pk=person_id, listed_on_test_login=True).select_related("user").first()
            if person_id is not None
            else None
        )
        if citizen is None:
            raise forms.ValidationError(_("Fant ikke testpersonen. Velg en person i listen."))
        return citizen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A refused person has its own error; the number is only asked for when no person was chosen.
        if "person" in data and data["person"] is None and not data.get("national_id"):
            self.add_error("national_id", _("Skriv inn et fødselsnummer på 11 siffer, eller velg en testperson."))
        return data


PERSON_CHANGED = gettext_lazy(
    "Du har byttet person etter at du åpnet denne siden, så skjemaet ble ikke sendt. "
    "Gå tilbake og fyll det ut på nytt for personen du bruker Helsenorge for nå."
)
PERSON_SALT = "booking.step-form.person"  # the salt of forms signed before it moved here: they stay valid


def _signer() -> signing.Signer:
    return signing.Signer(salt=PERSON_SALT)


class StepForm(ServiceErrors, forms.Form):
    """A form of a step of the portal (a booking's, a dialogue's), bound to the person it was shown for.

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
