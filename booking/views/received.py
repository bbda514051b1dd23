"""The simulated phone and Helsenorge app: what the logged-in citizen has received."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from citizens.access import citizen_required
from core.requests import CitizenRequest

from .. import selectors as sel


@require_GET
@citizen_required
def phone(request: CitizenRequest) -> HttpResponse:
    """The simulated phone: the SMS the logged-in citizen has received."""
    return render(request, "booking/phone.html", {"items": sel.received(request.citizen, "sms")})


@require_GET
@citizen_required
def app_feed(request: CitizenRequest) -> HttpResponse:
    """The simulated Helsenorge app: push notifications the logged-in citizen has received."""
    return render(request, "booking/app_feed.html", {"items": sel.received(request.citizen, "push")})
