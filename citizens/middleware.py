"""The logged-in citizen and whom they act for, worked out once per request; and the idle end of a session
(30 minutes for citizens, and for staff and support)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from core.limits import CITIZEN_IDLE_SECONDS, SESSION_TOUCH_SECONDS, STAFF_IDLE_SECONDS

from .access import login_url
from .selectors import may_act_for

ACTING_FOR = "acting_for"  # session key: the id of the person the citizen acts for


class CitizenMiddleware:
    """Sets ``request.citizen`` (the logged-in citizen, or None) and ``request.person`` (whom they act for now:
    themself, a child under 16, or someone who gave them a power of attorney). Views, the context processor,
    the audit trail and the rate limits read these instead of asking the database again.

    An acting-for relation that no longer holds (the child turned 16, the power of attorney was revoked) is
    dropped from the session, and the citizen acts for themself again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        citizen = getattr(request.user, "citizen", None) if request.user.is_authenticated else None
        person = citizen
        if citizen is not None:
            acting = request.session.get(ACTING_FOR)
            if acting and acting != citizen.pk:
                person = may_act_for(citizen, acting, timezone.localdate())
                if person is None:
                    request.session.pop(ACTING_FOR, None)
                    person = citizen
        request.citizen = citizen  # type: ignore[attr-defined]
        request.person = person  # type: ignore[attr-defined]
        return self.get_response(request)


class CitizenIdleTimeoutMiddleware:
    """A session ends after a while without activity: a citizen's after 30 minutes, as on Helsenorge, and
    so does staff's and support's (``STAFF_IDLE_SECONDS``: they see health data too, often on shared
    machines). Each is sent to their own login page, and back to where they were afterwards."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if request.user.is_authenticated:
            citizen = "citizen" in session
            now = int(time.time())
            last_seen = int(session.get("last_seen", now))
            if now - last_seen > (CITIZEN_IDLE_SECONDS if citizen else STAFF_IDLE_SECONDS):
                return self._logged_out(request, citizen=citizen)
            if now - last_seen >= SESSION_TOUCH_SECONDS or "last_seen" not in session:
                session["last_seen"] = now
        return self.get_response(request)

    @staticmethod
    def _logged_out(request: HttpRequest, *, citizen: bool) -> HttpResponse:
        logout(request)
        if citizen:
            messages.info(request, _("Du er logget ut fordi du ikke har vært aktiv på 30 minutter."))
            return redirect(login_url(request))
        messages.info(
            request,
            _("Du er logget ut fordi du ikke har vært aktiv på %(minutes)s minutter. Logg inn igjen.")
            % {"minutes": STAFF_IDLE_SECONDS // 60},
        )
        return redirect_to_login(request.get_full_path())  # the staff login (LOGIN_URL)
