"""The clinic's inbox (source 004 «Dialoger», «Motta dialog», «Reseptforespørsler»): the dialogues routed to the
staff user, a thread with its answers, «Ny dialog», and the patient's journal of dialogues. In the look of the
clinic admin; staff only, and a dialogue, attachment or patient the user may not see answers 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.decorators import user_passes_test
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import audit
from audit.reads import audited_read
from citizens.models import Citizen
from inbox.downloads import attachment_download
from inbox.models import Attachment, InboxMessage
from inbox.reads import ATTACHMENT_STAFF_PAGE
from resourcebooks.admin.base import staff_her_id
from resourcebooks.selectors import organisations_for_staff

from .. import texts
from ..errors import DialogueError
from ..forms_staff import AnswerForm, BookForm, ConvertForm, NewForm, gp_offices_of, not_contactable, patient_of
from ..models import Dialogue, DialogueRoute, JournalEntry, Kind
from ..reads import DIALOGUE_STAFF_PAGE, JOURNAL_PAGE
from ..selectors import dialogues_for_staff, journal_entries_shown
from ..services import (
    dialogue_answer,
    dialogue_close,
    dialogue_convert,
    dialogue_mark_read,
    dialogue_start_by_staff,
    time_request_book,
)

View = Callable[..., HttpResponse]
ROUTES = Prefetch("routes", queryset=DialogueRoute.objects.select_related("practitioner", "membership__user", "group"))


def staff_only(view: View) -> View:
    """Logged-in staff only; anyone else goes to the staff login and back."""
    checked = user_passes_test(lambda u: u.is_active and u.is_staff, login_url="staff_login")(view)
    return wraps(view)(checked)


def _page(request: HttpRequest, template: str, title: str, **context: Any) -> HttpResponse:
    return render(request, template, {**admin.site.each_context(request), "title": title, **context})


def _visible(request: HttpRequest, pk: int) -> Dialogue:
    dialogue = (
        dialogues_for_staff(request.user)
        .select_related("thread__citizen__fastlege", "time_request")
        .prefetch_related(ROUTES)
        .filter(pk=pk)
        .first()
    )
    if dialogue is None:
        raise Http404(_("Finnes ikke, eller tilhører en annen virksomhet."))
    return dialogue


def _back(dialogue: Dialogue) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("dialogues:staff_thread", args=[dialogue.pk]))


def kind_title(dialogue: Dialogue) -> str:
    """Dialogues sent from Helsenorge are marked «helsenorge.no» in the title (source 004, FAQ)."""
    label = str(dialogue.get_kind_display())
    return label if dialogue.started_by_staff_id else f"{label} - helsenorge.no"


@require_GET
@staff_only
def inbox(request: HttpRequest) -> HttpResponse:
    dialogues = dialogues_for_staff(request.user).select_related("fastlege").prefetch_related(ROUTES)
    kind, status = request.GET.get("type", ""), request.GET.get("status", "")
    if kind in Kind.values:
        dialogues = dialogues.filter(thread__kind=kind)
    if status == "open":
        dialogues = dialogues.filter(thread__closed_at__isnull=True)
    elif status == "closed":
        dialogues = dialogues.filter(thread__closed_at__isnull=False)
    rows = [(d, kind_title(d)) for d in dialogues[:500]]
    # A list of patients and subjects: recorded as the admin's lists are (one row, the filter in the summary).
    audit.record(
        "read", "dialogue", "liste", organisation_her_id=staff_her_id(request.user), summary=request.get_full_path()
    )
    statuses = [("", _("Alle")), ("open", _("Åpne")), ("closed", _("Avsluttede"))]
    return _page(
        request,
        "dialogues/staff/inbox.html",
        _("Innboks (Helsenorge-dialoger)"),
        rows=rows,
        kinds=Kind.choices,
        kind=kind,
        statuses=statuses,
        status=status,
    )


def _thread_page(request: HttpRequest, dialogue: Dialogue, **forms: Any) -> HttpResponse:
    thread = dialogue.thread
    thread_messages = (
        InboxMessage.objects.filter(thread=thread).prefetch_related("attachments").order_by("sent_at", "pk")
    )
    closed = thread.is_closed
    context: dict[str, Any] = {
        "dialogue": dialogue,
        "thread": thread,
        "patient": dialogue.citizen,
        "kind_title": kind_title(dialogue),
        "thread_messages": thread_messages,
        "prescriptions": list(dialogue.prescriptions.all()) if dialogue.kind == Kind.RESEPTFORNYELSE else [],
        "routes": [str(route) for route in dialogue.routes.all()],
        "closed": closed,
        "can_convert": not closed and dialogue.kind == Kind.E_KONTAKT,
        # Source 004: once answered, a prescription request's answer can become an e-kontakt or e-konsultasjon.
        "can_convert_answer": not closed and dialogue.kind == Kind.RESEPTFORNYELSE and bool(dialogue.outcome),
    }
    if not closed:
        context["answer_form"] = forms.get("answer_form") or AnswerForm(dialogue=dialogue)
        if dialogue.time_request_id:
            context["book_form"] = forms.get("book_form") or BookForm(dialogue=dialogue)
    return _page(request, "dialogues/staff/thread.html", thread.subject, **context)


@require_GET
@staff_only
@audited_read(DIALOGUE_STAFF_PAGE)
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = _visible(request, pk)
    dialogue_mark_read(dialogue=dialogue, user=request.user)
    return _thread_page(request, dialogue)


def _error_on(form: Any, exc: DialogueError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@require_POST
@staff_only
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = _visible(request, pk)
    form = AnswerForm(request.POST, request.FILES, dialogue=dialogue)
    if form.is_valid():
        try:
            dialogue_answer(
                dialogue=dialogue,
                user=request.user,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["attachments"],
                outcome=form.cleaned_data.get("outcome", ""),
                close=form.cleaned_data["close"],
            )
        except DialogueError as exc:
            _error_on(form, exc)
        else:
            messages.success(request, _("Svaret er sendt. Pasienten er varslet."))
            return _back(dialogue)
    return _thread_page(request, dialogue, answer_form=form)


def _act(request: HttpRequest, pk: int, service: Callable[..., bool], done: str) -> HttpResponse:
    """A one-button action on a thread (close, convert): the service's refusal or ``done`` as a message."""
    dialogue = _visible(request, pk)
    try:
        changed = service(dialogue=dialogue, user=request.user)
    except DialogueError as exc:
        messages.error(request, exc.message)
    else:
        if changed:
            messages.success(request, done)
    return _back(dialogue)


@require_POST
@staff_only
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, dialogue_close, _("Samtalen er avsluttet. Pasienten kan ikke lenger svare."))


def _converted(was: str, to: str) -> str:
    if was == Kind.E_KONTAKT:
        return _("E-kontakten er konvertert til en e-konsultasjon og journalført.")
    if to == Kind.E_KONSULTASJON:
        return _("Svaret på reseptforespørselen er gjort om til en e-konsultasjon og journalført.")
    return _("Svaret på reseptforespørselen er gjort om til en e-kontakt.")


@require_POST
@staff_only
def convert(request: HttpRequest, pk: int) -> HttpResponse:
    """An e-kontakt into an e-konsultasjon; a prescription request's answer into either («tre prikker», 004)."""
    dialogue = _visible(request, pk)
    form = ConvertForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["til"]))
        return _back(dialogue)
    was, to = dialogue.kind, form.target()
    try:
        changed = dialogue_convert(dialogue=dialogue, user=request.user, to=to)
    except DialogueError as exc:
        messages.error(request, exc.message)
    else:
        if changed:
            messages.success(request, _converted(was, to))
    return _back(dialogue)


@require_POST
@staff_only
def book(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = _visible(request, pk)
    if not dialogue.time_request_id:
        raise Http404
    form = BookForm(request.POST, dialogue=dialogue)
    if form.is_valid():
        try:
            time_request_book(
                dialogue=dialogue, user=request.user, slot=form.cleaned_data["slot"], body=form.cleaned_data["body"]
            )
        except DialogueError as exc:
            _error_on(form, exc)
        else:
            messages.success(request, _("Pasienten er satt opp på time og varslet. Samtalen er avsluttet."))
            return _back(dialogue)
    return _thread_page(request, dialogue, book_form=form)


@require_http_methods(["GET", "POST"])
@staff_only
def new(request: HttpRequest) -> HttpResponse:
    """«Ny dialog»: to a patient on the office's list who can be contacted digitally; otherwise nothing is sent."""
    offices = gp_offices_of(request.user)
    if not offices:
        raise Http404(_("Du er ikke ansatt ved et legekontor."))
    refused = ""
    if request.method == "POST":
        form = NewForm(request.POST, request.FILES, offices=offices)
        if form.is_valid() and form.citizen is not None and form.office is not None:
            try:
                dialogue = dialogue_start_by_staff(
                    organisation=form.office,
                    user=request.user,
                    citizen=form.citizen,
                    kind=form.cleaned_data["kind"],
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    uploads=form.cleaned_data["attachments"],
                )
            except DialogueError as exc:
                _error_on(form, exc)
            else:
                messages.success(request, _("Dialogen er sendt. Pasienten er varslet."))
                return _back(dialogue)
    else:
        national_id = request.GET.get("fodselsnummer", "")[:11]
        national_id = national_id if national_id.isascii() and national_id.isdigit() else ""
        form = NewForm(initial={"national_id": national_id}, offices=offices)
        citizen = patient_of(offices[0], national_id) if len(offices) == 1 and len(national_id) == 11 else None
        refused = not_contactable(citizen) if citizen is not None else ""
    return _page(request, "dialogues/staff/new.html", _("Ny dialog"), form=form, refused=refused)


@require_GET
@staff_only
@audited_read(ATTACHMENT_STAFF_PAGE)
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """Only when the attachment's dialogue is one the user may see; always as a download, never shown inline."""
    thread_id = Attachment.objects.filter(pk=pk).values_list("message__thread_id", flat=True).first()
    if thread_id is None:
        raise Http404
    dialogue_id = Dialogue.objects.filter(thread_id=thread_id).values_list("pk", flat=True).first()
    if dialogue_id is None or not dialogues_for_staff(request.user).filter(pk=dialogue_id).exists():
        raise Http404
    return attachment_download(pk)


@require_GET
@staff_only
@audited_read(JOURNAL_PAGE)
def journal(request: HttpRequest, pk: int) -> HttpResponse:
    """«Journal» for a patient on the office's list or with a dialogue the user may see."""
    organisations = organisations_for_staff(request.user)
    on_list = Q(gp_office__in=organisations) | Q(fastlege__organisation__in=organisations)
    patient = Citizen.objects.filter(pk=pk).filter(on_list).first()
    if patient is None and dialogues_for_staff(request.user).filter(thread__citizen_id=pk).exists():
        patient = Citizen.objects.filter(pk=pk).first()
    if patient is None:
        raise Http404(_("Finnes ikke, eller tilhører en annen virksomhet."))
    entries = journal_entries_shown(
        request.user,
        JournalEntry.objects.filter(citizen=patient, organisation__in=organisations)
        .select_related("organisation")
        .order_by("-written_at"),
    )
    title = _("Journal for %(name)s") % {"name": patient.full_name}
    hidden = {"hidden_title": texts.JOURNAL_HIDDEN, "hidden_note": texts.JOURNAL_HIDDEN_NOTE}
    return _page(request, "dialogues/staff/journal.html", title, patient=patient, entries=entries, **hidden)
