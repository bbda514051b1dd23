"""Who may see a citizen's pages: the test login's redirect, and the way back after it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

View = Callable[..., HttpResponse]


def login_url(request: HttpRequest) -> str:
    """The test login, with the way back (its query string encoded, its slashes kept readable)."""
    return f"{reverse('citizens:login')}?{urlencode({'next': request.get_full_path()}, safe='/')}"


def citizen_required(view: View) -> View:
    """Citizens only; anyone else goes to the test login and comes back afterwards."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "citizen", None) is None:
            return redirect(login_url(request))
        return view(request, *args, **kwargs)

    return wrapper


def safe_next(request: HttpRequest, fallback: str) -> str:
    """A way back within this site: a path starting with one «/», else the fallback."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback
