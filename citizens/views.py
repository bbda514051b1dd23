"""The citizen's own pages: the test login, acting for someone else, contact settings and consent."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

import audit
from core.ids import parse_id
from core.requests import CitizenRequest

from . import texts
from .access import citizen_required, safe_next
from .forms import ConsentForm, ContactSettingsForm, LoginForm
from .middleware import ACTING_FOR
from .models import Citizen
from .selectors import may_act_for
from .services import citizen_consent_set, citizen_for_test_login


def _chosen_citizen(form: LoginForm) -> Citizen | None:
    """The citizen a valid login form names: the listed test person, or the one of the number typed (a
    valid new number makes a test person). A refused number becomes the form's error."""
    if form.cleaned_data["person"] is not None:
        return form.cleaned_data["person"]
    try:
        return citizen_for_test_login(number=form.cleaned_data["national_id"])
    except ValidationError as exc:
        form.add_error("national_id", " ".join(_(message) for message in exc.messages))
        return None


@require_http_methods(["GET", "POST"])
def login_view(request: CitizenRequest) -> HttpResponse:
    form = LoginForm(request.POST if request.method == "POST" else None)
    if form.is_valid() and (citizen := _chosen_citizen(form)) is not None:
        request.session.cycle_key()
        login(request, citizen.user, backend="django.contrib.auth.backends.ModelBackend")
        request.session["citizen"] = citizen.pk
        how = "valgt fra listen" if form.cleaned_data["person"] is not None else "med fødselsnummer"
        audit.record("login", "citizen", citizen.pk, summary=f"Testinnlogging ({how})")
        return HttpResponseRedirect(safe_next(request, resolve_url(settings.CITIZEN_HOME_URL)))
    identities = Citizen.objects.filter(listed_on_test_login=True).order_by("first_name", "last_name")
    return render(
        request,
        "citizens/login.html",
        {"identities": identities, "form": form, "next": safe_next(request, "")},
        status=400 if form.errors else 200,
    )


@require_POST
@citizen_required
def switch_person(request: CitizenRequest) -> HttpResponse:
    me = request.citizen
    person_id = parse_id(request.POST.get("person", ""))
    person = may_act_for(me, person_id, timezone.localdate()) if person_id is not None else None
    if person is None:
        raise Http404(_("Du kan ikke bruke Helsenorge på vegne av denne personen."))
    request.session[ACTING_FOR] = person.pk
    if person.pk == me.pk:
        messages.info(request, _("Du bruker nå Helsenorge for deg selv."))
    else:
        messages.info(request, _("Du bruker nå Helsenorge på vegne av %(name)s.") % {"name": person.full_name})
    return HttpResponseRedirect(safe_next(request, resolve_url(settings.CITIZEN_HOME_URL)))


@require_http_methods(["GET", "POST"])
@citizen_required
def contact_settings(request: CitizenRequest) -> HttpResponse:
    """«Kontaktinformasjon og varseloppsett»: mobile number, e-mail and which channels to use."""
    form = ContactSettingsForm(request.POST or None, instance=request.citizen)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Kontaktinformasjon og varseloppsett er lagret."))
            return redirect("citizens:settings")
        return _settings_page(request, form, ConsentForm(), status=400)
    return _settings_page(request, form, ConsentForm())


def _settings_page(
    request: CitizenRequest, form: ContactSettingsForm, consent_form: ConsentForm, status: int = 200
) -> HttpResponse:
    citizen = request.citizen
    context = {
        "form": form,
        "consent_form": consent_form,
        "consent_given": citizen.digital_contact_consent,
        "texts": texts,
    }
    return render(request, "citizens/settings.html", context, status=status)


@require_POST
@citizen_required
def consent(request: CitizenRequest) -> HttpResponse:
    """«Samtykke til digital kontakt» on the settings page: the logged-in citizen's own, given or withdrawn."""
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, ContactSettingsForm(instance=request.citizen), form, status=400)
    given = form.cleaned_data["consent"]
    citizen_consent_set(citizen=request.citizen, consent=given)
    messages.success(request, texts.CONSENT_SAVED_GIVEN if given else texts.CONSENT_SAVED_WITHDRAWN)
    return redirect("citizens:settings")
