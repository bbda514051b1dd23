"""The citizen's forms of «Din fastlege»: a new dialogue and an answer in an open one. The rules and their
Norwegian messages stay in the services (``dialogue_start``, ``dialogue_reply``, ``attachments_check``); a form
reads the POST and puts a ``DialogueError`` on the field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy

from citizens.forms import StepForm
from core.forms import ServiceCheckedText, ServiceErrors
from core.limits import DIALOGUE_BODY_MAX, DIALOGUE_SUBJECT_MAX

from .models import Kind, Prescription


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern). No checks of its own: an empty or unknown file
    is refused by ``attachments_check``, in Norwegian, with its name."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if isinstance(data, list | tuple):
            return [d for d in data if d]
        return [data] if data else []


class DialogueForm(StepForm):
    """«Kontakt legekontoret», «Start e-konsultasjon» (Emne, Melding, Vedlegg), or «Forny resept» (the
    prescriptions to renew, Melding, Vedlegg). Bound to the person it was shown for, as the booking steps are."""

    subject = ServiceCheckedText(label=gettext_lazy("Emne"), max_length=DIALOGUE_SUBJECT_MAX)
    prescriptions = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Hvilke resepter ønsker du fornyet?"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    body = ServiceCheckedText(
        label=gettext_lazy("Melding"), max_length=DIALOGUE_BODY_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    attachments = MultipleFileField(label=gettext_lazy("Vedlegg"))

    def __init__(self, *args: Any, kind: str, prescriptions: list[Prescription], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == Kind.RESEPTFORNYELSE:
            del self.fields["subject"]
            field = self.fields["prescriptions"]
            assert isinstance(field, forms.TypedMultipleChoiceField)
            field.choices = [(p.pk, str(p)) for p in prescriptions]
        else:
            del self.fields["prescriptions"]


class ReplyForm(ServiceErrors, forms.Form):
    """The citizen's answer: Melding and Vedlegg."""

    body = ServiceCheckedText(
        label=gettext_lazy("Melding"), max_length=DIALOGUE_BODY_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = MultipleFileField(label=gettext_lazy("Vedlegg"))
