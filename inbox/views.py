"""Innboks: the list and one message. Another citizen's message answers 404."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from citizens.access import citizen_required
from citizens.selectors import may_act_for
from core.requests import CitizenRequest

from .models import InboxMessage
from .selectors import inbox_visible, thread_of
from .services import message_mark_read


@require_GET
@never_cache
@citizen_required
def inbox(request: CitizenRequest) -> HttpResponse:
    messages = inbox_visible(request.person, request.citizen)
    return render(request, "booking/inbox.html", {"inbox_messages": messages})


@require_GET
@never_cache
@citizen_required
def message_detail(request: CitizenRequest, pk: int) -> HttpResponse:
    me = request.citizen
    message = get_object_or_404(InboxMessage.objects.select_related("appointment", "citizen"), pk=pk)
    if message.citizen_id != me.pk:
        if may_act_for(me, message.citizen_id, timezone.localdate()) is None:
            raise Http404
        if message.appointment is not None and message.appointment.hidden:
            raise Http404
    thread = thread_of(message)
    for part in thread:
        if part.read_at is None:
            message_mark_read(message=part)
    return render(request, "booking/message.html", {"message": message, "thread": thread})
