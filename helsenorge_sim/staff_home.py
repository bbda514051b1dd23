"""Where the staff login lands (issue 22): GP-office staff on their day, municipal staff on their timebooks, NHN
support on the Adresseregisteret's support pages. Here at the top because the day draws on booking (today's
appointments, waiting time requests) and dialogues (the unread ones) alike."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

import audit
from addressregistry.models import Organisation
from booking.staff_selectors import appointments_today, time_requests_waiting, timebooks_for_staff
from core.roles import is_nhn_support
from dialogues.selectors import dialogues_for_staff
from resourcebooks.admin.base import staff_her_id
from resourcebooks.selectors import organisations_for_staff

LISTED = 20  # unread dialogues and waiting requests shown on the day; the inbox and the admin list hold the rest


@require_GET
@user_passes_test(lambda u: u.is_active and u.is_staff, login_url="staff_login")
def staff_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    organisations = organisations_for_staff(user) if not user.is_superuser else Organisation.objects.none()
    if organisations.filter(kind=Organisation.Kind.GP_OFFICE).exists():
        return _gp_day(request)
    if organisations.exists():
        return HttpResponseRedirect(reverse("admin:resourcebooks_timebook_changelist"))
    if is_nhn_support(user):
        return HttpResponseRedirect(reverse("addressregistry:search"))
    raise PermissionDenied("Du er ikke ansatt ved noen virksomhet i klinikkens administrasjon.")


def _gp_day(request: HttpRequest) -> HttpResponse:
    """«Min dag»: today's appointments with their behandler, the unread dialogues, the time requests waiting, and
    the way into each timebook's grid."""
    user = request.user
    today = timezone.localdate()
    unread = dialogues_for_staff(user).filter(unread=True)  # type: ignore[misc]  # annotated by the selector
    waiting = time_requests_waiting(user)
    # A list of patients: recorded as the admin's lists are (one row, the page in the summary).
    audit.record("read", "appointment", "dag", organisation_her_id=staff_her_id(user), summary=request.path)
    context = {
        **admin.site.each_context(request),
        "title": f"Min dag {today:%d.%m.%Y}",
        "today": today,
        "appointments": list(appointments_today(user, today)),
        "unread": list(unread[:LISTED]),
        "unread_count": unread.count(),
        "waiting": list(waiting.select_related("dialogue")[:LISTED]),
        "waiting_count": waiting.count(),
        "timebooks": list(timebooks_for_staff(user).order_by("name")),
    }
    return render(request, "helsenorge_sim/staff_home.html", context)
