"""Request middleware of the portal."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

CITIZEN_IDLE_SECONDS = 30 * 60
# The session is written at most this often just to note activity (not on every request).
TOUCH_EVERY_SECONDS = 60


class NorwegianUnlessChosenMiddleware:
    """Helsenorge speaks Norwegian until the person picks English under «Språk/Language».

    Django's LocaleMiddleware would otherwise follow the browser's Accept-Language header; we drop it so
    that only the language cookie set by the switch decides.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class CitizenIdleTimeoutMiddleware:
    """A citizen's session ends after 30 minutes without activity, as on Helsenorge."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if request.user.is_authenticated and "citizen" in session:
            now = int(time.time())
            last_seen = int(session.get("last_seen", now))
            if now - last_seen > CITIZEN_IDLE_SECONDS:
                logout(request)
                messages.info(request, _("Du er logget ut fordi du ikke har vært aktiv på 30 minutter."))
                from .views import login_url

                return redirect(login_url(request))
            if now - last_seen >= TOUCH_EVERY_SECONDS or "last_seen" not in session:
                session["last_seen"] = now
        return self.get_response(request)
