"""Choosing a free slot in a staff form (booking's «Sett opp time» and «Flytt time», dialogues' «Sett opp time»
from a request): the free slots of the next four weeks, each labelled with its timebook, time and type."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Slot

BOOKABLE_DAYS = 28


def slot_label(slot: Slot) -> str:
    start, end = timezone.localtime(slot.start), timezone.localtime(slot.end)
    kind = f" {slot.time_type.name}" if slot.time_type else ""
    return f"{slot.timebook.name}: {start:%d.%m.%Y %H:%M} - {end:%H:%M}{kind}"


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return slot_label(obj)


def free_slots(q: Q) -> QuerySet[Slot]:
    now = timezone.now()
    return (
        Slot.objects.filter(q, state=Slot.State.FREE, start__gt=now, start__lt=now + dt.timedelta(days=BOOKABLE_DAYS))
        .select_related("timebook", "time_type")
        .order_by("timebook__name", "start")
    )
