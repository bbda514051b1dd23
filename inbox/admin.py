"""Innboks in the admin: superusers only."""

from __future__ import annotations

from django.contrib import admin

from audit.reads import ChangeReadAudited
from core.admin_bases import SuperuserOnlyAdmin
from resourcebooks.admin import ListReadsAudited

from .models import InboxMessage
from .reads import MESSAGE_ADMIN_PAGE


@admin.register(InboxMessage)
class InboxMessageAdmin(ChangeReadAudited, ListReadsAudited, SuperuserOnlyAdmin):
    """Each read recorded: the list, and one message."""

    read_page = MESSAGE_ADMIN_PAGE

    view_on_site = False  # a message's own page is the citizen's
    audit_list_type = "inbox_message"
    list_display = ["sent_at", "citizen", "subject", "kind", "read_at"]
    list_filter = ["kind"]
