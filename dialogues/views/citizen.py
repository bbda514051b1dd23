"""STUB — to be written by a helper."""

from django.http import Http404


def panel(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def new(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def reply(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def attachment(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404
