"""Who a logged-in user is, beyond Django's own flags."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def is_nhn_support(user: Any) -> bool:
    """Members of the «NHN support» group (and superusers) may use the support pages and see every outbox."""
    return bool(
        user.is_authenticated and (user.is_superuser or user.groups.filter(name=settings.NHN_SUPPORT_GROUP).exists())
    )
