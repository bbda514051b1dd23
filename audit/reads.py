"""Reads of the pages that show one object, recorded by the app that owns each page (issue 21: no table of other
apps' URL names here): a view is wrapped in ``audited_read(ReadPage(...))``, an admin class mixes in
``ChangeReadAudited`` with its ``read_page``. A read is recorded for a GET answered 200, after the view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NamedTuple

from django.db.models import BinaryField, Model
from django.http import HttpRequest, HttpResponse

from core.ids import parse_id

from . import Actor, _current, current_actor, record

View = Callable[..., HttpResponse]


class ReadPage(NamedTuple):
    """A page that shows one object. ``model`` (the object's model, given by the app that owns the page) lets
    the read name the object's organisation (``her_id``, a lookup from the object, or several separated by
    «|», the first that leads somewhere) and, on the portal, the citizen it belongs to (``whose``)."""

    object_type: str
    kwarg: str  # the URL kwarg with the object's id
    model: type[Model] | None = None
    her_id: str = ""
    whose: str = ""


def _follow(obj: Any, lookup: str) -> Any:
    for part in lookup.split("__"):
        obj = getattr(obj, part, None)
    return obj


def _shown_object(page: ReadPage, object_id: object) -> Any:
    pk = parse_id(object_id)
    if pk is None:
        return None
    lookups = [*page.her_id.split("|"), f"{page.whose}__pk" if page.whose else ""]
    relations = [lookup.rpartition("__")[0] for lookup in lookups if lookup]
    model = page.model
    assert model is not None
    files = [f.name for f in model._meta.concrete_fields if isinstance(f, BinaryField)]  # a file's bytes: not read
    return model._default_manager.select_related(*filter(None, relations)).defer(*files).filter(pk=pk).first()


def _her_id(obj: Any, page: ReadPage) -> Any:
    found = (_follow(obj, lookup) for lookup in page.her_id.split("|"))
    return next((her_id for her_id in found if her_id is not None), None)


def reader_of(request: HttpRequest, actor: Actor, owner: Any) -> Actor:
    """A citizen reads their own for themself, and someone else's (which the view showed only because they
    may act for that person) for that person, whomever they had switched to: a parent may open a child's
    appointment from its link without switching to the child first."""
    citizen = getattr(request, "citizen", None)
    if citizen is None or owner is None:
        return actor
    if owner.pk == citizen.pk:
        return Actor("citizen", citizen.full_name, actor.user_id)
    return Actor("representative", citizen.full_name, actor.user_id, owner.full_name)


def record_read(request: HttpRequest, page: ReadPage, object_id: object) -> None:
    """Record that the request's actor read the object ``page`` shows (for a citizen's page, as its owner's
    reader: ``reader_of``)."""
    actor = current_actor()
    obj = _shown_object(page, object_id) if page.model is not None else None
    her_id = _her_id(obj, page) if obj is not None and page.her_id else None
    if page.whose:
        _current.set(reader_of(request, actor, _follow(obj, page.whose)))
    record("read", page.object_type, object_id, organisation_her_id=her_id, summary=request.path)


def _shown(request: HttpRequest, response: HttpResponse) -> bool:
    return request.method == "GET" and response.status_code == 200


def audited_read(page: ReadPage) -> Callable[[View], View]:
    """Record a read of the object the view shows (its id is the URL kwarg ``page.kwarg``)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if _shown(request, response):
                record_read(request, page, kwargs.get(page.kwarg, ""))
            return response

        return wrapper

    return decorator


class ChangeReadAudited:
    """For a ``ModelAdmin``: opening one object's page records a read (``read_page``, whose kwarg is the admin's
    ``object_id``)."""

    read_page: ReadPage

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        if _shown(request, response):
            record_read(request, self.read_page, object_id)
        return response
