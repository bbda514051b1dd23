"""Forms of the clinic's inbox (source 004 «Dialoger»). The rules and their Norwegian messages stay in the
services; a form reads the POST and the view puts a ``DialogueError`` on the field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from addressregistry.models import Organisation
from citizens.models import Citizen
from core.limits import DIALOGUE_ANSWER_MAX, DIALOGUE_SUBJECT_MAX
from core.national_id import validate_national_id
from resourcebooks.models import Slot, StaffMembership
from resourcebooks.slot_choices import SlotChoiceField, free_slots

from . import texts
from .models import Dialogue, Kind
from .services import contact_check

NOT_ON_LIST = _("Fant ingen pasient med dette fødselsnummeret på legekontorets liste.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """«Vedlegg»: several files in one field; what they may be is checked by ``attachments_check``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


def _message_field(required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Melding"),
        max_length=DIALOGUE_ANSWER_MAX,
        required=required,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
    )


class AnswerForm(forms.Form):
    """The clinic's answer; for a prescription request with the required «Velg» of the four outcomes."""

    outcome = forms.ChoiceField(label=_("Velg"), choices=[("", "---------"), *Dialogue.Outcome.choices])
    body = _message_field()
    attachments = MultipleFileField(label=_("Vedlegg"), help_text=_("Bilder og PDF, til sammen maks 12 MB."))
    close = forms.BooleanField(label=_("Avslutt samtalen etter svar"), required=False)

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if dialogue.kind != Kind.RESEPTFORNYELSE:
            del self.fields["outcome"]


class ConvertForm(forms.Form):
    """«Gjør om til …» (source 004): what the conversation becomes. Without ``til`` (the e-kontakt's one button)
    it becomes an e-konsultasjon; which conversions a conversation allows is the service's rule."""

    til = forms.ChoiceField(
        choices=[(Kind.E_KONTAKT, Kind.E_KONTAKT.label), (Kind.E_KONSULTASJON, Kind.E_KONSULTASJON.label)],
        required=False,
        error_messages={"invalid_choice": _("Velg e-kontakt eller e-konsultasjon.")},
    )

    def target(self) -> str:
        return str(self.cleaned_data["til"] or Kind.E_KONSULTASJON)


def office_slots(dialogue: Dialogue) -> QuerySet[Slot]:
    """The office's free future times, the fastlege's own timebook first."""
    own = When(timebook__practitioner_id=dialogue.fastlege_id, then=Value(0))
    mine = Case(own, default=Value(1), output_field=IntegerField())
    slots = free_slots(Q(timebook__service__organisation_id=dialogue.organisation_id))
    return slots.order_by(mine, "timebook__name", "start")


class BookForm(forms.Form):
    """«Sett opp pasient på time»: answers a time request with a time, and closes it."""

    slot = SlotChoiceField(label=_("Ledig time"), queryset=Slot.objects.none())
    body = _message_field(required=False)

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = office_slots(dialogue)  # type: ignore[attr-defined]
        self.fields["body"].help_text = _("Valgfri. Uten melding får pasienten beskjed om tidspunktet.")


def gp_offices_of(user: Any) -> QuerySet[Organisation]:
    """The GP offices the user works for: whom a «Ny dialog» can be sent from."""
    memberships = StaffMembership.objects.filter(user_id=user.pk).values("organisation_id")
    return Organisation.objects.filter(pk__in=memberships, kind=Organisation.Kind.GP_OFFICE).order_by("name")


def patient_of(office: Organisation, national_id: str) -> Citizen | None:
    """A patient on the office's list (its own or one of its fastleger's)."""
    on_list = Q(gp_office=office) | Q(fastlege__organisation=office)
    return Citizen.objects.filter(on_list, national_id=national_id).first()


def not_contactable(citizen: Citizen) -> str:
    """Source 004's message when the patient cannot get a dialogue, with the reasons; empty if they can."""
    why = contact_check(citizen)
    return " ".join([str(texts.NOT_CONTACTABLE), *why]) if why else ""


class NewForm(forms.Form):
    """«Ny dialog» to a patient of the office: «e-Kontakt» or «eKonsultasjon - helsenorge.no»."""

    organisation = forms.ModelChoiceField(label=_("Legekontor"), queryset=Organisation.objects.none())
    national_id = forms.CharField(
        label=_("Fødselsnummer"), min_length=11, max_length=11, validators=[validate_national_id]
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[(Kind.E_KONTAKT, _("e-Kontakt")), (Kind.E_KONSULTASJON, _("eKonsultasjon - helsenorge.no"))],
        widget=forms.RadioSelect,
        initial=Kind.E_KONTAKT,
    )
    subject = forms.CharField(label=_("Emne"), max_length=DIALOGUE_SUBJECT_MAX)
    body = _message_field()
    attachments = MultipleFileField(label=_("Vedlegg"), help_text=_("Bilder og PDF, til sammen maks 12 MB."))

    def __init__(self, *args: Any, offices: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = offices  # type: ignore[attr-defined]
        self.citizen: Citizen | None = None
        self.office: Organisation | None = None
        if len(offices) == 1:
            # One office: nothing to choose.
            del self.fields["organisation"]
            self.office = offices[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        office = self.office = data.get("organisation", self.office)
        national_id = data.get("national_id")
        if office is None or not national_id:
            return data
        citizen = patient_of(office, national_id)
        if citizen is None:
            self.add_error("national_id", NOT_ON_LIST)
            return data
        self.citizen = citizen
        if message := not_contactable(citizen):
            raise ValidationError(message, code="not_contactable")
        return data
