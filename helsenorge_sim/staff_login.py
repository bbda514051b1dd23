"""The staff and support logins (``/ansatt/logg-inn/`` and the admin's): password guessing limited, and audited.

Each try is counted before the password is checked, per username and per client address
(``core.ratelimit.Backoff``, counted in the database so a Redis outage opens nothing): after a few failures
the next try waits, longer after each further failure. A username is counted as the name Django would log
in, NFKC-normalised as its login form does, and case-folded: ``ａugust-september`` (a fullwidth a) and
``August-September`` share the tries of ``august-september`` (issue 20, finding 1).
A try during the wait is answered with the Norwegian 429 page and its password is never checked, so even
the right one does not log in. Every checked try goes into the audit trail, the password never.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase

import audit
from core.ratelimit import (
    STAFF_LOGIN_ADDRESS,
    STAFF_LOGIN_USERNAME,
    backoff_forget,
    backoff_give_back,
    backoff_try,
    backoff_waiting,
    client_address,
    network_of_address,
    too_many,
)
from core.usernames import folded

USERNAME_MAX = 150  # Django's username field
# The audit trail's actions (``AuditEvent.action`` holds at most 10 characters).
LOGIN, LOGIN_FAILED = "login", "login_fail"

View = Callable[..., HttpResponseBase]


def staff_login_limited(view: View) -> View:
    """Wrap a login view whose form posts ``username`` and ``password`` and redirects on success. Wrapping
    twice (the URLconf imported again) still counts each try once."""
    if getattr(view, "staff_login_limited", False):
        return view

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        username = str(request.POST.get("username", "")).strip()[:USERNAME_MAX]
        who = folded(username)  # the name Django will look up, case-folded
        address = client_address(request)  # for the audit; the limit counts its network (an IPv6 /56)
        network = network_of_address(address)
        wait = backoff_waiting(STAFF_LOGIN_USERNAME, who)
        if wait:  # a guess at a name that is waiting costs one read, and is no try for the address
            return too_many(request, STAFF_LOGIN_USERNAME.message, wait)
        wait = backoff_try(STAFF_LOGIN_ADDRESS, network)
        if wait:
            return too_many(request, STAFF_LOGIN_ADDRESS.message, wait)
        wait = backoff_try(STAFF_LOGIN_USERNAME, who)
        if wait:
            backoff_give_back(STAFF_LOGIN_ADDRESS, network)  # no password was checked
            return too_many(request, STAFF_LOGIN_USERNAME.message, wait)
        response = view(request, *args, **kwargs)
        if response.status_code == 302 and request.user.is_authenticated:
            backoff_forget(STAFF_LOGIN_USERNAME, who)
            backoff_give_back(STAFF_LOGIN_ADDRESS, network)
            audit.record(LOGIN, "staff_login", username[:50], summary=f"Innlogget på {request.path} fra {address}")
        else:
            audit.record(
                LOGIN_FAILED,
                "staff_login",
                username[:50],
                summary=f"Feil brukernavn eller passord på {request.path} fra {address}",
            )
        return response

    wrapper.staff_login_limited = True  # type: ignore[attr-defined]
    return wrapper
