"""The «Vedlegg» field's ``accept``: the file types ``dialogues.attachments`` allows, and their extensions, from
the one list (the browser's file picker offers what the checks will take)."""

from __future__ import annotations

from django import template

from ..attachments import accept_attribute

register = template.Library()


@register.simple_tag
def attachment_accept() -> str:
    return accept_attribute()
