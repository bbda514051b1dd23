"""STUB — to be written by a helper."""

from django.http import Http404


def inbox(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def new(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def thread(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def answer(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def close(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def convert(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def book(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def attachment(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404


def journal(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404
