"""The patient portal's own pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "booking/home.html")


@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    return render(request, "booking/alerts.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A missing or stale CSRF token: say so in Norwegian, in the portal's layout; nothing was changed."""
    return render(request, "403_csrf.html", status=403)
