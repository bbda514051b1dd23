"""The portal's front door (issues 15 and 20): when more visitors arrive than the portal serves well, the next
ones wait their turn before they log in, and before the portal pays for their session, their contact list or a
timebook's calendar.

It is a virtual waiting room of the kind that holds national rushes (Queue-it, AWS's Virtual Waiting Room,
Cloudflare's Waiting Room), in the same Redis keys and Lua admission as a timebook's room
(``booking.waiting_room``, ``queueing.rooms``), under the room name ``DOOR``:

- **Admission is by rate** (``WAITING_ROOM_DOOR_RATE`` a minute, measured with ``make bench``; 0 turns the door
  off), with a short burst after a quiet spell. Nobody is counted inside, so an idle tab or a parked visitor
  holds nobody out, and what those let in cost is bounded by the rate.
- **The server issues the ids.** A visitor's id is random, made here, and signed (``hs_door``); an id the
  client made up, or one with a bad signature, is a stranger. A request without a valid id is given one and
  **no place**: it is let straight in only when nobody waits and the rate has room to spare, else it is
  answered with «Du er i kø», which comes back at once with the id and so takes a place. A client that throws
  its cookies away never holds a place.
- **An admission is a signed token for one visitor** (``hs_door_inn``: the id, when it was issued and last
  used), so pages of those let in cost no Redis call. It lapses after ``ADMISSION_IDLE_SECONDS`` without a
  citizen page, and after ``ADMISSION_MAX_SECONDS`` in all. **It is good for one login**: the first login
  through it binds it (one ``SET NX`` in Redis); a second login with it, from a copied cookie or after logging
  out, is given a new id and queues like anyone (at once let in when the door is quiet). The login comes within
  ``LOGIN_WITHIN_SECONDS`` of the admission, or the visitor meets the door again, so admissions taken on a quiet
  day cannot be saved up and spent at once in a rush.
- **A network's new places are limited** (``WAITING_ROOM_PER_ADDRESS`` per ten minutes, per IPv4 address or
  IPv6 /56), a default that still lets a crowd of 500 behind one address through (a school, a municipality's
  network, ``make bench``). Beyond it a visitor is told so, given no place, and tries again in half a minute.
- A page asked for while the visitor waits is answered in place with «Du er i kø / Du er nummer N i køen» and
  an estimate (one request, not a redirect and another; an htmx request or a form is sent to ``/ko/``). It asks
  again by itself (htmx, or a plain reload), less often the further back the visitor is, and goes on to the
  page asked for. Its answers are made here, before the session, the user or the database is touched.
- Staff, support, the video room, the simulated phone and static files never pass the door. With Redis down or
  not configured, the door is open.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.middleware import get_user
from django.core.cache import caches
from django.core.signing import BadSignature
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe
from django_htmx.http import HttpResponseClientRedirect
from redis.exceptions import RedisError

from core.ratelimit import client_address
from resourcebooks.waiting import DOOR, door_rate, waiting_answered, waiting_client, waiting_failed

from .admission import ADMIT_GRACE_SECONDS, Admission, network_of, waiting_room_enter
from .rooms import local_path, queue_context

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
LOGIN = "/innlogging/"
DOOR_PAGE = "/ko/"
DOOR_PLACE = "/ko/plass/"
COOKIE = "hs_door"  # the visitor's id, issued and signed here
ADMISSION_COOKIE = "hs_door_inn"  # signed: this visitor was let in, when, and when last seen
VISITOR_SALT = "booking.door.visitor"  # kept from booking, so cookies already out stay valid
ADMISSION_SALT = "booking.door.admission"
# An admission lapses after this long without a citizen page (a citizen's idle end), and after the second in
# all; it is signed afresh, with its new last use, at most once a minute.
ADMISSION_IDLE_SECONDS = 30 * 60
ADMISSION_MAX_SECONDS = 8 * 60 * 60
ADMISSION_REFRESH_SECONDS = 60
# An admission logs in within this long of its issue, or meets the door again at the login (let in at once while
# the door has room to spare): admissions cannot be saved up on a quiet day and spent all at once in a rush.
LOGIN_WITHIN_SECONDS = ADMIT_GRACE_SECONDS


def behind_door(path: str) -> bool:
    return path == "/" or path.startswith(DOOR_PREFIXES)


def _visitor(request: HttpRequest) -> str | None:
    """The visitor's id, if it is one this server issued; None for a stranger (no cookie, or a made-up one)."""
    try:
        visitor: str | None = request.get_signed_cookie(COOKIE, default=None, salt=VISITOR_SALT)
    except BadSignature:
        return None
    return visitor


def _admission(request: HttpRequest, visitor: str | None, now: float) -> tuple[float, float] | None:
    """When this visitor's admission was issued and last used, if they hold a good one."""
    try:
        token: str | None = request.get_signed_cookie(ADMISSION_COOKIE, default=None, salt=ADMISSION_SALT)
    except BadSignature:
        return None
    who, _, times = (token or "").partition("|")
    issued, _, seen = times.partition("|")
    try:
        issued_at, seen_at = float(issued), float(seen)
    except ValueError:
        return None
    if visitor is None or who != visitor:
        return None
    if now - seen_at > ADMISSION_IDLE_SECONDS or now - issued_at > ADMISSION_MAX_SECONDS:
        return None
    return issued_at, seen_at


def _cookie_options() -> dict[str, object]:
    return {"httponly": True, "samesite": "Lax", "secure": settings.SESSION_COOKIE_SECURE}


def _give_visitor(response: HttpResponse, visitor: str) -> None:
    response.set_signed_cookie(COOKIE, visitor, salt=VISITOR_SALT, **_cookie_options())  # type: ignore[arg-type]


def _give_admission(response: HttpResponse, visitor: str, issued: float, now: float) -> None:
    value = f"{visitor}|{issued:.0f}|{now:.0f}"
    response.set_signed_cookie(
        ADMISSION_COOKIE,
        value,
        salt=ADMISSION_SALT,
        max_age=ADMISSION_IDLE_SECONDS,
        **_cookie_options(),  # type: ignore[arg-type]
    )


def _enter(request: HttpRequest, visitor: str | None) -> tuple[str, Admission]:
    """Ask the door for ``visitor``; a stranger is given a new id and only a probe (never a place)."""
    address = network_of(client_address(request))
    member = secrets.token_urlsafe(16) if visitor is None else visitor
    admission = waiting_room_enter(
        room=DOOR,
        member=f"v{member}",
        rate=door_rate(),
        address=address,
        probe=visitor is None,
        collect=True,
        inside_idle=ADMIT_GRACE_SECONDS,
    )
    return member, admission


def _login_key(visitor: str) -> str:
    return caches["default"].make_key(f"door:login:{visitor}")


def _bind_login(visitor: str) -> bool:
    """This admission's one login: False when it has had one already. Redis failing lets the login through."""
    client = waiting_client()
    if client is None:
        return True
    try:
        bound = client.set(_login_key(visitor), "1", nx=True, ex=ADMISSION_MAX_SECONDS)
    except RedisError as error:
        waiting_failed(error)
        return True
    waiting_answered()
    return bool(bound)


def _unbind_login(visitor: str) -> None:
    """A login that did not happen (a wrong number, a refused form) does not use the admission up."""
    client = waiting_client()
    if client is None:
        return
    try:
        client.delete(_login_key(visitor))
    except RedisError as error:
        waiting_failed(error)


def door_url(next_url: str, *, place_only: bool = False) -> str:
    return f"{DOOR_PLACE if place_only else DOOR_PAGE}?{urlencode({'neste': next_url}, safe='/')}"


def _citizen_page(target: str) -> str:
    """Where the visitor was going: a page behind the door on this site, else the front page."""
    return local_path(target, under=behind_door) or "/"


class FrontDoorMiddleware:
    """After CSRF, before the session is read: see the module's docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path in (DOOR_PAGE, DOOR_PLACE):
            return door_place(request) if path == DOOR_PLACE else door_page(request)
        if not behind_door(path) or door_rate() <= 0:
            return self.get_response(request)
        now = time.time()
        visitor = _visitor(request)
        held = _admission(request, visitor, now)
        new_visitor = visitor is None
        if held is None:
            visitor, admission = _enter(request, visitor)
            if not admission.admitted:
                return self._to_queue(request, visitor, admission, new_visitor=new_visitor)
            if not admission.counted:  # Redis is down: the door is open, and hands out nothing to keep
                return self._keep(self.get_response(request), visitor, None, now, new_visitor=new_visitor)
            held = (now, 0.0)
        assert visitor is not None
        if request.method == "POST" and path == LOGIN:
            return self._login(request, visitor, held, now, new_visitor=new_visitor)
        response = self.get_response(request)
        return self._keep(response, visitor, held, now, new_visitor=new_visitor)

    def _login(
        self, request: HttpRequest, visitor: str, held: tuple[float, float], now: float, *, new_visitor: bool
    ) -> HttpResponse:
        """One login per admission: a second one is a stranger, given a new id and no place (it takes one when
        it comes back with the id, like anyone), unless the door has room to spare, so that logging in again on a
        quiet day is one click as before. The form's one request never makes a place by itself. An admission
        older than ``LOGIN_WITHIN_SECONDS`` asks the door again, with the visitor's own id: at once through while
        there is room, else the visitor queues for the login page (the form is not kept)."""
        if now - held[0] > LOGIN_WITHIN_SECONDS:
            visitor, admission = _enter(request, visitor)
            if not admission.admitted:
                response = self._to_queue(request, visitor, admission, new_visitor=new_visitor)
                response.delete_cookie(ADMISSION_COOKIE, samesite="Lax")
                return response
            held = (now, 0.0)
        if not _bind_login(visitor):
            visitor, admission = _enter(request, None)
            new_visitor, held = True, (now, 0.0)
            if not admission.admitted or not _bind_login(visitor):
                response = self._to_queue(request, visitor, admission, new_visitor=True)
                response.delete_cookie(ADMISSION_COOKIE, samesite="Lax")
                return response
        response = self.get_response(request)
        if not 300 <= response.status_code < 400:
            _unbind_login(visitor)
        return self._keep(response, visitor, held, now, new_visitor=new_visitor)

    @staticmethod
    def _keep(
        response: HttpResponse, visitor: str, held: tuple[float, float] | None, now: float, *, new_visitor: bool
    ) -> HttpResponse:
        """The visitor's cookies on the way out: a new id, and the admission signed afresh when it is new or
        has not been for a minute (none while nobody counts)."""
        if new_visitor:
            _give_visitor(response, visitor)
        if held is not None and now - held[1] >= ADMISSION_REFRESH_SECONDS:
            _give_admission(response, visitor, held[0], now)
        return response

    @staticmethod
    def _to_queue(request: HttpRequest, visitor: str, admission: Admission, *, new_visitor: bool) -> HttpResponse:
        """A page asked for while the visitor waits: the queue's page itself, at the same address (one request,
        not a redirect and another; reloading it asks again). An htmx request sends the browser to the queue's
        page, to come back to the page it was on; a form sent while queued is not kept: the visitor comes back
        to the form's page in turn."""
        htmx = bool(request.headers.get("HX-Request"))
        if request.method in ("GET", "HEAD") and not htmx:
            return _door(request, partial=False, next_url=request.get_full_path(), entered=(visitor, admission))
        if htmx:
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            back = current.path + (f"?{current.query}" if current.query else "")
        else:
            back = request.path
        url = door_url(_citizen_page(back))
        response: HttpResponse = HttpResponseClientRedirect(url) if htmx else redirect(url)
        if new_visitor:
            _give_visitor(response, visitor)
        return response


def _door(
    request: HttpRequest,
    *,
    partial: bool,
    next_url: str | None = None,
    entered: tuple[str, Admission] | None = None,
) -> HttpResponse:
    """The queue's page (or its place, ``partial``), or, at the visitor's turn, on to ``next_url``."""
    next_url = _citizen_page(request.GET.get("neste", "")) if next_url is None else next_url
    if door_rate() <= 0:
        return redirect(next_url)
    now = time.time()
    known = _visitor(request)
    if entered is None and known is not None and _admission(request, known, now) is not None:
        return HttpResponseClientRedirect(next_url) if partial else redirect(next_url)
    visitor, admission = _enter(request, known) if entered is None else entered
    if admission.admitted:
        response: HttpResponse = HttpResponseClientRedirect(next_url) if partial else redirect(next_url)
        if admission.counted:
            _give_admission(response, visitor, now, now)
    else:
        context = queue_context(admission, self_url=door_url(next_url), place_url=door_url(next_url, place_only=True))
        if not partial:
            # The header names a logged-in visitor; only the whole page asks (the polls never touch the session).
            request.user = SimpleLazyObject(lambda: get_user(request))  # type: ignore[assignment]
        response = render(request, "queueing/queue_place.html" if partial else "queueing/door.html", context)
    response["Cache-Control"] = "no-store"
    if visitor != known:
        _give_visitor(response, visitor)
    return response


@require_safe
def door_page(request: HttpRequest) -> HttpResponse:
    """«Du er i kø»: the visitor's place at the portal's door and an estimate; the page asks again by itself."""
    return _door(request, partial=False)


@require_safe
def door_place(request: HttpRequest) -> HttpResponse:
    """The place and estimate alone, which the page polls; at their turn, htmx goes on (HX-Redirect)."""
    return _door(request, partial=True)
