"""Innboks in the admin: superusers only."""

from __future__ import annotations

from django.contrib import admin

from core.admin_bases import SuperuserOnlyAdmin

from .models import InboxMessage


@admin.register(InboxMessage)
class InboxMessageAdmin(SuperuserOnlyAdmin):
    view_on_site = False  # a message's own page is the citizen's
    list_display = ["sent_at", "citizen", "subject", "kind", "read_at"]
    list_filter = ["kind"]
