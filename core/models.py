"""What the shared layer keeps in the database: the staff logins' failure counts."""

from __future__ import annotations

from django.db import models


class LoginThrottle(models.Model):
    """The failed tries of one username or one client address at the staff and support logins, and the wait
    they earned (``core.ratelimit.Backoff``). Kept in the database rather than in Redis so that a Redis outage
    opens nothing: password guessing is limited as long as the login itself works. ``key`` is a hash of the
    NFKC, case-folded username or of the address, never the name or address itself."""

    limit = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    tries = models.PositiveIntegerField(default=0)
    wait_until = models.DateTimeField(null=True, blank=True)
    forget_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["limit", "key"], name="loginthrottle_one_per_key")]

    def __str__(self) -> str:
        return f"{self.limit} {self.key[:8]}: {self.tries}"
