"""Innboks: the list and one message or conversation. Another citizen's message answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from audit.reads import audited_read
from citizens.access import citizen_required
from core.errors import ApplicationError
from core.limits import DIALOGUE_BODY_MAX
from core.requests import CitizenRequest
from core.text import has_control_characters

from .access import message_for_viewer
from .forms import HideForm
from .models import InboxMessage
from .reads import MESSAGE_PAGE
from .selectors import QUERY_MAX, inbox_items, thread_of, thread_state
from .services import conversation_hide_set, may_hide_for_proxies, message_mark_read


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
    viewer = getattr(request, "citizen", None)
    hidden = message.thread.hidden_for_proxies if message.thread is not None else message.hidden
    # «Skjul samtale for fullmakt»: the person's own setting, offered to them alone, from 16 on.
    offered = viewer is not None and viewer.pk == message.citizen_id and may_hide_for_proxies(viewer)
    context = {
        "message": message,
        "hide_form": HideForm(initial={"skjul": hidden}) if offered else None,
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


@require_GET
@never_cache
@citizen_required
@audited_read(MESSAGE_PAGE)
def message_xml(request: CitizenRequest, pk: int) -> HttpResponse:
    """«XML» (sources 001, 003): the conversation as the page shows it, as XML, for the citizen to keep."""
    message = message_for_viewer(request.citizen, pk)
    context = {"message": message, "thread": thread_of(message)}
    return render(request, "inbox/message.xml", context, content_type="application/xml; charset=utf-8")


@require_POST
@never_cache
@citizen_required
def message_hide(request: CitizenRequest, pk: int) -> HttpResponse:
    """«Skjul samtale for fullmakt»: only the person themself sets it; for anyone else the message is not there."""
    message = message_for_viewer(request.citizen, pk)
    if message.citizen_id != request.citizen.pk:
        raise Http404
    form = HideForm(request.POST)
    form.is_valid()  # a box unticked or missing is «show»: nothing in it can be invalid
    hidden = bool(form.cleaned_data.get("skjul"))
    try:
        changed = conversation_hide_set(message=message, hidden=hidden)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        if changed:
            messages.success(
                request,
                _("Samtalen er skjult for dem som har fullmakt for deg.")
                if hidden
                else _("Samtalen vises igjen for dem som har fullmakt for deg."),
            )
    return redirect("inbox:message", message.pk)
