"""Forms of the patient portal."""

from __future__ import annotations

from typing import Any

import phonenumbers
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
