"""Middleware that knows nothing of the apps: the request log, the portal's language, and «busy, try again»."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .limits import REQUEST_MAX_BYTES
from .locking import LockBusy, is_lock_timeout

request_log = logging.getLogger("portal.requests")


class RequestLogMiddleware:
    """One structured line per request: its id, who (the kind of user, never a name or number), the outcome.

    The path is logged without its query string and no body is logged, so no fødselsnummer reaches the logs.
    An incoming ``X-Request-ID`` is kept (a proxy's), else one is made; it is sent back in the response.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if incoming.isalnum() and len(incoming) <= 64 else uuid.uuid4().hex
        began = time.perf_counter()
        response = self.get_response(request)
        # The audit middleware (inside this one) has already worked out who is asking.
        actor = getattr(request, "audit_actor", None)
        kind = actor.kind if actor is not None else "anonymous"
        request_log.info(
            "request id=%s method=%s path=%s user=%s status=%s ms=%.1f",
            request_id,
            request.method,
            request.path,
            kind,
            response.status_code,
            (time.perf_counter() - began) * 1000,
        )
        response["X-Request-ID"] = request_id
        return response


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


class LockBusyMiddleware:
    """A lock that could not be had in time (``core.locking``) is a Norwegian «try again», 503, not a 500.
    Nothing was changed: the service's transaction was rolled back. A statement that ran out of the transaction's
    lock timeout outside ``lock_rows`` (any later statement of a service that locked) is answered the same way."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, LockBusy):
            message = exception.message
        elif isinstance(exception, DatabaseError) and is_lock_timeout(exception):
            message = LockBusy().message
        else:
            return None
        response = render(request, "503.html", {"message": message}, status=503)
        response["Retry-After"] = "5"
        return response


class RequestSizeLimitMiddleware:
    """A request body larger than ``REQUEST_MAX_BYTES`` (the 12 MB of attachments, and room for the form) is
    refused by its ``Content-Length`` with a Norwegian 413, before anything reads it: Django would otherwise
    write the whole upload to disk (and CSRF would parse it) before the view could say it is too large."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > REQUEST_MAX_BYTES:
            return render(request, "413.html", status=413)
        return self.get_response(request)
