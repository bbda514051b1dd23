"""Usernames that differ only in case or in character form are one name (issue 20, finding 1).

Django's login form looks a username up in its NFKC form (``ａugust-september`` with a fullwidth a logs in as
``august-september``), so the staff login counts tries on that form, case-folded (``folded``). For that count
to be one account's, no user may be given a name that folds to another user's: ``create_user``, the admin's
user forms and any other ``save()`` are refused with a Norwegian message (``refuse_lookalike_username``), and
the database holds the rule too, in a unique index on the folded name (migration
``core.0002_username_folded_unique``): ``lower(normalize(username, NFKC))`` on PostgreSQL, ``lower(username)``
on SQLite, which has no NFKC and folds only ASCII letters.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import CharField, Func, Value
from django.utils.translation import gettext_lazy as _

LOOKALIKE_MESSAGE = _(
    "Det finnes allerede en bruker med dette brukernavnet, eller med et som bare skiller seg fra det i store og "
    "små bokstaver eller tegnvarianter (som «ａ» for «a»). Velg et annet brukernavn."
)


def folded(username: str) -> str:
    """The name a login's tries count against: NFKC, as ``django.contrib.auth.forms.UsernameField`` looks it
    up, and case-folded so «Kari» and «kari» share one count."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


class FoldedUsername(Func):
    """The database's fold of a username, the expression the unique index holds (see the module's docstring)."""

    function = "LOWER"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="lower(normalize(%(expressions)s, NFKC))", **extra)


def lookalike_taken(username: str, *, other_than: int | None = None) -> bool:
    """Whether a user other than ``other_than`` has ``username`` or a name that folds to the same."""
    users = get_user_model().objects.all()
    if other_than is not None:
        users = users.exclude(pk=other_than)
    name = FoldedUsername(Value(unicodedata.normalize("NFKC", username), output_field=CharField()))
    return users.alias(folded=FoldedUsername("username")).filter(folded=name).exists()


def check_username(username: str, *, other_than: int | None = None) -> None:
    if username and lookalike_taken(username, other_than=other_than):
        raise ValidationError(LOOKALIKE_MESSAGE, code="username_lookalike")


def refuse_lookalike_username(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """``pre_save`` of the user model (connected in ``CoreConfig.ready``): the one hook into ``create_user`` and
    every other save of Django's own user model. A save that leaves the name alone (a login's ``last_login``)
    is not checked."""
    update_fields = kwargs.get("update_fields")
    if raw or (update_fields is not None and "username" not in update_fields):
        return
    check_username(instance.get_username(), other_than=instance.pk)
