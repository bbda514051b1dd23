"""Form fields and form behaviour every app's forms share."""

from __future__ import annotations

from typing import Any

from django import forms

from .errors import ApplicationError


class ServiceCheckedText(forms.CharField):
    """Free text whose rules and Norwegian messages belong to a service, not to the form.

    ``max_length`` only sets the widget's ``maxlength``, and ``required`` only the ``required`` attribute:
    Django's own checks would answer first, with their own messages (required, length, NUL characters), and
    would refuse text that the service tidies into something valid (a reason with extra white space). The
    form's ``clean_<field>`` or ``clean`` calls the service.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)
        self.validators = []

    def validate(self, value: Any) -> None:
        """No checks of its own (see the class)."""


class ServiceErrors:
    """For a form: a service's refusal (``ApplicationError``, booking's and dialogues' alike) on the field it
    names, or on the whole form."""

    def add_service_error(self, error: ApplicationError) -> None:
        assert isinstance(self, forms.Form)
        self.add_error(error.field if error.field in self.fields else None, error.message)
