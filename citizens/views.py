"""The citizen's own pages: the test login, acting for someone else, and contact settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.ids import parse_id
from core.requests import CitizenRequest

from .access import citizen_required, safe_next
from .forms import ContactSettingsForm
from .middleware import ACTING_FOR
from .models import Citizen
from .selectors import may_act_for
from .services import citizen_for_test_login


def _chosen_citizen(request: CitizenRequest) -> tuple[Citizen | None, str, str]:
    """The citizen the login form names (a listed test person or a number), the number typed, and an error."""
    chosen = request.POST.get("person", "")
    number = request.POST.get("national_id", "").strip()
    if chosen:
        chosen_id = parse_id(chosen)
        citizen = (
            Citizen.objects.filter(pk=chosen_id, listed_on_test_login=True).select_related("user").first()
            if chosen_id is not None
            else None
        )
        return citizen, number, "" if citizen else _("Fant ikke testpersonen. Velg en person i listen.")
    if not number:
        return None, number, _("Skriv inn et fødselsnummer på 11 siffer, eller velg en testperson.")
    try:
        return citizen_for_test_login(number=number), number, ""
    except ValidationError as exc:
        return None, number, " ".join(_(message) for message in exc.messages)


@require_http_methods(["GET", "POST"])
def login_view(request: CitizenRequest) -> HttpResponse:
    error = ""
    number = ""
    if request.method == "POST":
        citizen, number, error = _chosen_citizen(request)
        if citizen is not None:
            request.session.cycle_key()
            login(request, citizen.user, backend="django.contrib.auth.backends.ModelBackend")
            request.session["citizen"] = citizen.pk
            return HttpResponseRedirect(safe_next(request, reverse("booking:appointments")))
    identities = Citizen.objects.filter(listed_on_test_login=True).order_by("first_name", "last_name")
    return render(
        request,
        "booking/login.html",
        {"identities": identities, "error": error, "national_id": number, "next": safe_next(request, "")},
        status=400 if error else 200,
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
    return HttpResponseRedirect(safe_next(request, reverse("booking:appointments")))


@require_http_methods(["GET", "POST"])
@citizen_required
def contact_settings(request: CitizenRequest) -> HttpResponse:
    """«Kontaktinformasjon og varseloppsett»: mobile number, e-mail and which channels to use."""
    form = ContactSettingsForm(request.POST or None, instance=request.citizen)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Kontaktinformasjon og varseloppsett er lagret."))
            return redirect("booking:settings")
        return render(request, "booking/settings.html", {"form": form}, status=400)
    return render(request, "booking/settings.html", {"form": form})
