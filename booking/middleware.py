"""Request middleware of the portal."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class NorwegianUnlessChosenMiddleware:
    """Helsenorge speaks Norwegian until the person picks English under «Språk/Language».

    Django's LocaleMiddleware would otherwise follow the browser's Accept-Language header; we drop it so
    that only the language cookie set by the switch (or an /en/ choice later) decides.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
