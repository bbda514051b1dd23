"""Innboks: the list and one message or conversation. Another citizen's message answers 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.reads import audited_read
from citizens.access import citizen_required
from core.limits import DIALOGUE_BODY_MAX
from core.requests import CitizenRequest
from core.text import has_control_characters

from .access import message_for_viewer
from .models import InboxMessage
from .reads import MESSAGE_PAGE
from .selectors import QUERY_MAX, inbox_items, thread_of, thread_state
from .services import message_mark_read


@require_GET
@never_cache
@citizen_required
def inbox(request: CitizenRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:QUERY_MAX]
    if has_control_characters(query):  # «\0» would reach PostgreSQL, which refuses it: no message matches
        query = ""
    items = inbox_items(request.person, request.citizen, query)
    context = {
        "inbox_messages": items,
        "total": sum(item.count for item in items),
        "q": query,
        "query_max": QUERY_MAX,
    }
    return render(request, "inbox/inbox.html", context)


def message_page(
    request: HttpRequest,
    message: InboxMessage,
    *,
    reply_body: str = "",
    reply_errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The message with its whole conversation, all of it marked read; under it the reply form or why there is
    none. Also the page a refused reply is shown on again: what was written, and the error by field ("body",
    "attachments", or "form" for the reply as a whole)."""
    parts = thread_of(message)
    for part in parts:
        if part.read_at is None:
            message_mark_read(message=part)
    context = {
        "message": message,
        "thread": parts,
        "state": thread_state(message, parts),
        "reply_body": reply_body,
        "reply_errors": reply_errors or {},
        "body_max": DIALOGUE_BODY_MAX,
    }
    return render(request, "inbox/message.html", context, status=status)


@require_GET
@never_cache
@citizen_required
@audited_read(MESSAGE_PAGE)
def message_detail(request: CitizenRequest, pk: int) -> HttpResponse:
    return message_page(request, message_for_viewer(request.citizen, pk))
