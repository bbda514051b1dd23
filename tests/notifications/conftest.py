"""Fixtures of the notification tests live in ``support.py`` so that ``tests/booking`` can import them too."""

from tests.notifications.support import channel_log  # noqa: F401
