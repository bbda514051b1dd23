"""The portal's front door (issue 15): when more citizens are inside the portal than the machine serves well,
those who arrive next wait their turn before they log in, and before the portal pays for their session, their
contact list or a timebook's calendar.

A timebook's own waiting room (``booking.waiting_room``) keeps a municipality's capacity for its booking steps;
the door keeps the machine's, for the whole citizen side (``WAITING_ROOM_DOOR_CAPACITY``, measured with
``make bench``; 0 turns the door off). It is the same first-come queue, in the same Redis keys and the same
Lua script, under the room name ``DOOR``.

- A visitor is a random id in a cookie, given at their first page. Each citizen page they open runs the
  admission once (one Redis call): while there is room they go straight on and the door is never seen.
- Otherwise the page they asked for is answered with «Du er i kø» in its place (an htmx request or a form is
  sent to ``/ko/``), which shows their place and an estimate and asks again by itself (htmx, or a plain
  reload), less often the further back they are, and lets them on to the page they asked for. Its answers are
  made here, before the session, the user or the database is touched.
- A visitor who has been let in carries a signed mark of it, so a form they send is never lost to the queue
  even if they were counted out while reading its page; a form from anyone else waits like a page.
- A visitor leaves the door when a booking is sent; then they carry a signed pass, so the confirmation,
  Timeavtaler and Innboks open without queueing again for the rest of the visit. Someone who opens no citizen
  page for ``DOOR_INSIDE_IDLE_SECONDS`` is counted out.
- Staff, support, the video room, the simulated phone and static files never pass the door. With Redis down or
  not configured, the door is open.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from urllib.parse import unquote, urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.middleware import get_user
from django.core.signing import BadSignature
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect

from resourcebooks.waiting import DOOR, DOOR_INSIDE_IDLE_SECONDS, door_capacity

from .waiting_room import Admission, queue_context, waiting_room_enter, waiting_room_leave

# Citizen pages behind the door: the front page, logging in, booking and what a citizen reads.
DOOR_PREFIXES = (
    "/innlogging/",
    "/bestill/",
    "/timeavtaler/",
    "/innboks/",
    "/fastlege/",
    "/varsler/",
    "/innstillinger/",
)
DOOR_PAGE = "/ko/"
DOOR_PLACE = "/ko/plass/"
COOKIE = "hs_door"
PASS_COOKIE = "hs_door_pass"
# A first request without the door's cookie holds a place inside only this long unless the visitor comes back
# with it: uptime monitors and crawlers, which keep no cookies, must not fill the door.
FIRST_VISIT_SECONDS = 60
TURN_COOKIE = "hs_door_turn"  # signed: this visitor has been let in (their forms are never lost to the queue)
PASS_SECONDS = 30 * 60  # after a booking: the rest of the visit without queueing (a citizen's idle end)


def behind_door(path: str) -> bool:
    return path == "/" or path.startswith(DOOR_PREFIXES)


def _visitor(request: HttpRequest) -> tuple[str, bool]:
    """The visitor's id from their cookie, or a new one; and whether it is new."""
    known = request.COOKIES.get(COOKIE, "")
    if 16 <= len(known) <= 64 and known.replace("-", "").replace("_", "").isalnum():
        return known, False
    return secrets.token_urlsafe(16), True


def _has_pass(request: HttpRequest, visitor: str) -> bool:
    return _signed_is(request, PASS_COOKIE, visitor)


def _had_turn(request: HttpRequest, visitor: str) -> bool:
    return _signed_is(request, TURN_COOKIE, visitor)


def _signed_is(request: HttpRequest, name: str, visitor: str) -> bool:
    try:
        return request.get_signed_cookie(name, default="", max_age=PASS_SECONDS) == visitor
    except BadSignature:
        return False


def _signed(response: HttpResponse, name: str, visitor: str) -> None:
    response.set_signed_cookie(
        name, visitor, max_age=PASS_SECONDS, httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE
    )


def _enter(visitor: str, *, new: bool = False) -> Admission:
    return waiting_room_enter(
        room=DOOR,
        member=f"v{visitor}",
        capacity=door_capacity(),
        inside_idle=DOOR_INSIDE_IDLE_SECONDS,
        first_visit=FIRST_VISIT_SECONDS if new else 0,
    )


def _next_url(request: HttpRequest) -> str:
    """Where the visitor was going: a page behind the door on this site, else the front page. No other host,
    and no dot segments («/innlogging/../admin/») that a browser would resolve out of the citizen pages."""
    return _citizen_page(request.GET.get("neste", ""))


def _citizen_page(target: str) -> str:
    parts = urlsplit(target)
    segments = unquote(parts.path).split("/")
    if (
        parts.scheme
        or parts.netloc
        or not parts.path.startswith("/")
        or "\\" in target
        or "//" in parts.path
        or any(segment in (".", "..") for segment in segments)
        or not behind_door(parts.path)
    ):
        return "/"
    return target


def door_url(next_url: str, *, place_only: bool = False) -> str:
    return f"{DOOR_PLACE if place_only else DOOR_PAGE}?{urlencode({'neste': next_url}, safe='/')}"


def _remember(response: HttpResponse, visitor: str) -> None:
    response.set_cookie(COOKIE, visitor, httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)


def _booked(response: HttpResponse) -> bool:
    """A booking sent (the flow's redirect to «Timebestillingen er sendt») ends the visit's turn."""
    return 300 <= response.status_code < 400 and response.get("Location", "").startswith("/bestill/sendt/")


class FrontDoorMiddleware:
    """After CSRF, before the session is read: see the module's docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path in (DOOR_PAGE, DOOR_PLACE):
            return door_place(request) if path == DOOR_PLACE else door_page(request)
        if not behind_door(path) or door_capacity() <= 0:
            return self.get_response(request)
        visitor, new = _visitor(request)
        if not _has_pass(request, visitor):
            admission = _enter(visitor, new=new)
            # A form from a visitor who has had their turn (a signed cookie says so) is never lost to the queue:
            # they were let in for its page and may have been counted out while reading it. Everything else
            # waits, and a form from someone who never had a turn is not a way past the queue.
            if not admission.admitted and not (request.method == "POST" and _had_turn(request, visitor)):
                return self._to_queue(request, (visitor, new), admission)
        response = self.get_response(request)
        if _booked(response):
            waiting_room_leave(DOOR, f"v{visitor}")
            _signed(response, PASS_COOKIE, visitor)
        if new:
            _remember(response, visitor)
        if TURN_COOKIE not in request.COOKIES:
            _signed(response, TURN_COOKIE, visitor)
        return response

    @staticmethod
    def _to_queue(request: HttpRequest, visitor: tuple[str, bool], admission: Admission) -> HttpResponse:
        """A page asked for while the door is full: the queue's page itself, at the same address (one request,
        not a redirect and another; reloading it asks again). An htmx request sends the browser to the queue's
        page, to come back to the page it was on; a form sent while queued is not kept: the visitor comes back
        to the form's page in turn."""
        htmx = bool(request.headers.get("HX-Request"))
        if request.method in ("GET", "HEAD") and not htmx:
            return _door(request, partial=False, next_url=request.get_full_path(), visitor=visitor, admission=admission)
        if htmx:
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            back = current.path + (f"?{current.query}" if current.query else "")
        else:
            back = request.path
        url = door_url(_citizen_page(back))
        response: HttpResponse = HttpResponseClientRedirect(url) if htmx else redirect(url)
        if visitor[1]:
            _remember(response, visitor[0])
        return response


def _door(
    request: HttpRequest,
    *,
    partial: bool,
    next_url: str | None = None,
    visitor: tuple[str, bool] | None = None,
    admission: Admission | None = None,
) -> HttpResponse:
    """The queue's page (or its place, ``partial``), or, at the visitor's turn, on to ``next_url``."""
    next_url = _next_url(request) if next_url is None else next_url
    if door_capacity() <= 0:
        return redirect(next_url)
    visitor_id, new = _visitor(request) if visitor is None else visitor
    admission = _enter(visitor_id) if admission is None else admission
    if admission.admitted:
        response: HttpResponse = HttpResponseClientRedirect(next_url) if partial else redirect(next_url)
    else:
        context = queue_context(admission, self_url=door_url(next_url), place_url=door_url(next_url, place_only=True))
        if not partial:
            # The header names a logged-in visitor; only the whole page asks (the polls never touch the session).
            request.user = SimpleLazyObject(lambda: get_user(request))  # type: ignore[assignment]
        response = render(request, "booking/queue_place.html" if partial else "booking/door.html", context)
    response["Cache-Control"] = "no-store"
    if new:
        _remember(response, visitor_id)
    return response


@require_GET
def door_page(request: HttpRequest) -> HttpResponse:
    """«Du er i kø»: the visitor's place at the portal's door and an estimate; the page asks again by itself."""
    return _door(request, partial=False)


@require_GET
def door_place(request: HttpRequest) -> HttpResponse:
    """The place and estimate alone, which the page polls; at their turn, htmx goes on (HX-Redirect)."""
    return _door(request, partial=True)
