"""Innboks in the admin: superusers only."""

from __future__ import annotations

from django.contrib import admin

from core.admin_bases import SuperuserOnlyAdmin

from .models import InboxMessage


@admin.register(InboxMessage)
class InboxMessageAdmin(SuperuserOnlyAdmin):
    list_display = ["sent_at", "citizen", "subject", "kind", "read_at"]
    list_filter = ["kind"]
