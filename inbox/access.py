"""Who may read an Innboks message or answer in a conversation: the one place the citizen's pages ask (issue 21).
Answers 404 for anyone else."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from citizens.models import Citizen
from citizens.selectors import may_act_for

from .models import InboxMessage, Thread
from .selectors import hidden_from


def message_for_viewer(viewer: Citizen, pk: int) -> InboxMessage:
    """The message if ``viewer`` may read it (theirs, or of someone they may act for today, except a hidden
    appointment's or conversation's), else 404."""
    message = get_object_or_404(InboxMessage.objects.select_related("appointment", "citizen", "thread"), pk=pk)
    if message.citizen_id == viewer.pk:
        return message
    if may_act_for(viewer, message.citizen_id, timezone.localdate()) is None or hidden_from(viewer, message):
        raise Http404
    return message


def thread_for_viewer(viewer: Citizen, pk: int) -> Thread:
    """The conversation if ``viewer`` may answer in it (theirs, or of someone they may act for today, except a
    12–16-year-old's own, or one the person hid «for fullmakt», which are theirs alone), else 404."""
    thread = get_object_or_404(Thread, pk=pk)
    if thread.citizen_id == viewer.pk:
        return thread
    if (
        thread.hidden
        or thread.hidden_for_proxies
        or may_act_for(viewer, thread.citizen_id, timezone.localdate()) is None
    ):
        raise Http404
    return thread
