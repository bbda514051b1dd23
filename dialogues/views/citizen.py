"""The citizen's side of the dialogues (source 004 from the patient's side): «Din fastlege» with what the office
offers, a new dialogue of each kind, an answer in an open conversation, and an attachment to download. Always
for ``request.person`` (themself, a child, or whom they hold a power of attorney for); what belongs to anyone
else answers 404. The conversations themselves are read in Innboks (``inbox.views``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.reads import audited_read
from citizens.access import citizen_required
from core.ratelimit import Limit, citizen_key, limit_posts
from core.requests import CitizenRequest
from inbox.access import message_for_viewer, thread_for_viewer
from inbox.downloads import attachment_download
from inbox.models import Attachment, InboxMessage
from inbox.reads import ATTACHMENT_PAGE
from inbox.views import message_page

from .. import texts
from ..errors import DialogueError
from ..forms import DialogueForm, ReplyForm
from ..models import Dialogue, Kind
from ..selectors import FastlegePanel, fastlege_panel, prescriptions_of
from ..services import dialogue_reply, dialogue_start

# The addresses of «Din fastlege»'s three dialogues, in the order the panel shows them.
SLUGS = {
    "forny-resept": Kind.RESEPTFORNYELSE,
    "e-konsultasjon": Kind.E_KONSULTASJON,
    "kontakt-legekontoret": Kind.E_KONTAKT,
}
SLUG_OF = {kind: slug for slug, kind in SLUGS.items()}

# Counted only when a message is sent (a redirect): a refusal the citizen mends costs nothing.
DIALOGUE_MESSAGES = Limit(
    "dialogue-message",
    30,
    3600,
    gettext_lazy("Du har sendt mange meldinger på kort tid. Vent litt før du sender flere."),
)
dialogue_limited = limit_posts(DIALOGUE_MESSAGES, citizen_key, counts=lambda r: r.status_code == 302)


@dataclass(frozen=True)
class Action:
    """One of the panel's links, or the reason it is not there."""

    kind: str
    slug: str
    label: str
    help: str
    reason: str | None


def _actions(panel: FastlegePanel) -> list[Action]:
    actions = []
    for slug, kind in SLUGS.items():
        reason = panel.reason(kind)
        # The panel ends each reason with its own full stop; some reasons are sentences already.
        reason = reason.rstrip(".") if reason else None
        actions.append(Action(kind, slug, str(texts.ACTION[kind]), str(texts.ACTION_HELP[kind]), reason))
    return actions


@require_GET
@never_cache
@citizen_required
def panel(request: CitizenRequest) -> HttpResponse:
    """«Din fastlege»: the fastlege and office, «Bestill time», and each dialogue the office offers or why not."""
    panel = fastlege_panel(request.person)
    context = {
        "panel": panel,
        "actions": _actions(panel),
        "no_fastlege": str(texts.NO_FASTLEGE),
        # The settings page gives the logged-in citizen's own consent, not that of whom they act for.
        "consent_link": panel.needs_consent and request.person.pk == request.citizen.pk,
    }
    return render(request, "dialogues/panel.html", context)


def _subject(form: DialogueForm) -> str:
    """A prescription request has no «Emne» of its own: it is named for its kind, as stored (in Norwegian)."""
    if form.kind != Kind.RESEPTFORNYELSE:
        return str(form.cleaned_data.get("subject", ""))
    with translation.override("nb"):
        return str(Kind.RESEPTFORNYELSE.label)


def _first_message(thread_id: int) -> InboxMessage:
    return InboxMessage.objects.filter(thread_id=thread_id).order_by("sent_at", "pk")[0]


@require_http_methods(["GET", "POST"])
@never_cache
@citizen_required
@dialogue_limited
def new(request: CitizenRequest, kind: str) -> HttpResponse:
    """A new dialogue of one kind to the person's GP office; one the office does not offer shows why."""
    if kind not in SLUGS:
        raise Http404
    thread_kind = SLUGS[kind]
    person = request.person
    panel = fastlege_panel(person)
    action = next(a for a in _actions(panel) if a.kind == thread_kind)
    context = {"panel": panel, "action": action, "notice": None, "form": None}
    if action.reason:
        return render(request, "dialogues/new.html", context, status=400 if request.method == "POST" else 200)
    posted = request.method == "POST"
    prescriptions = list(prescriptions_of(person)) if thread_kind == Kind.RESEPTFORNYELSE else []
    form = DialogueForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        person=person,
        kind=thread_kind,
        prescriptions=prescriptions,
    )
    chosen = set(request.POST.getlist("prescriptions")) if posted else set()
    context |= {
        "form": form,
        "is_prescription": thread_kind == Kind.RESEPTFORNYELSE,
        "prescriptions": [(p, str(p.pk) in chosen) for p in prescriptions],
    }
    if thread_kind == Kind.E_KONSULTASJON:
        context["notice"] = texts.CONSULTATION_NOTICE
    if form.is_valid():
        try:
            dialogue = dialogue_start(
                person=person,
                written_by=request.citizen,
                kind=thread_kind,
                subject=_subject(form),
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["attachments"],
                prescription_ids=form.cleaned_data.get("prescriptions", []),
            )
        except DialogueError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Meldingen er sendt til legekontoret. Du finner den i innboksen."))
            return redirect("inbox:message", _first_message(dialogue.thread_id).pk)
    form.rebind_if_person_changed()
    return render(request, "dialogues/new.html", context, status=400 if form.errors else 200)


@require_POST
@never_cache
@citizen_required
@dialogue_limited
def reply(request: CitizenRequest, pk: int) -> HttpResponse:
    """The citizen's answer in a conversation of someone they may act for (not a 12–16-year-old's own, which is
    theirs alone); errors are shown on its page."""
    thread = thread_for_viewer(request.citizen, pk)
    dialogue = Dialogue.objects.filter(thread=thread).select_related("thread__citizen", "thread__organisation").first()
    if dialogue is None:
        raise Http404
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            message = dialogue_reply(
                dialogue=dialogue,
                written_by=request.citizen,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["attachments"],
            )
        except DialogueError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Svaret ditt er sendt til legekontoret."))
            return redirect(f"{reverse('inbox:message', args=[message.pk])}#melding-{message.pk}")
    latest = InboxMessage.objects.select_related("thread").filter(thread=thread).order_by("-sent_at", "-pk")[0]
    errors = {
        ("form" if name == "__all__" else name): " ".join(str(e) for e in errs) for name, errs in form.errors.items()
    }
    return message_page(request, latest, reply_body=str(form.data.get("body", "")), reply_errors=errors, status=400)


@require_GET
@never_cache
@citizen_required
@audited_read(ATTACHMENT_PAGE)
def attachment(request: CitizenRequest, pk: int) -> HttpResponse:
    """A file of a message the citizen may read, as a download: never shown in the page, never sniffed."""
    file = get_object_or_404(Attachment.objects.only("message_id"), pk=pk)
    message_for_viewer(request.citizen, file.message_id)
    return attachment_download(file.pk)
