"""Strategies and helpers for the property-based tests of bad input (``tests/test_fuzz_forms.py``).

This module holds no tests. The strategies produce what a hostile or clumsy client can send: any Unicode
text (control characters, NUL, right-to-left marks, emoji, other scripts' digits), very long text, markup
and template syntax, numbers far outside any column, dates that do not exist or lie at the ends of the
calendar, and ids of other objects. ``snapshot()`` reads every row a form could change, so a test can
say that nothing changed unless the input was valid and the answer was a success.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from addressregistry.models import ProcessChange, ServiceProcess
from booking.models import Appointment, TimeRequest
from citizens.models import Citizen
from inbox.models import InboxMessage
from resourcebooks.models import PatientBlock, Slot, Timebook, TimebookListEntry, WeekTemplate

# ~30–60 examples a test keeps the whole file well under a minute; every example runs in a savepoint.
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ_ADMIN = settings(FUZZ, max_examples=40)  # admin pages render more

# --- Strategies ---------------------------------------------------------------------------------------

NASTY = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\t\n\r\x0b\x0c",
    "\x1b[31mrød\x1b[0m",
    "\u202eevil\u202c",
    "\ufeff",
    "\u200b",
    "👩‍⚕️💉🇳🇴",
    "Ærlig øl på Ås",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ request.user }}",
    "{% debug %}",
    "'; DROP TABLE booking_appointment; --",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "null",
    "None",
    "NaN",
    "-0",
    "1e309",
    "١٢٣",  # Arabic-Indic digits: str.isdecimal() is True
    "１２３",  # full-width digits
    "²",  # isdigit() but not isdecimal()
    "9" * 40,
)


def texts(max_size: int = 300) -> st.SearchStrategy[str]:
    """Any text: short Unicode with control characters, long repetitions, and the nasty classics."""
    return st.one_of(
        st.text(max_size=max_size),
        st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=max_size),
        st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=4), st.integers(10, 3000)),
        st.sampled_from(NASTY),
    )


def numbers() -> st.SearchStrategy[str]:
    """Numbers as a form sends them: negative, huge, fractional, in other scripts, or not numbers at all."""
    return st.one_of(
        st.integers(-(2**70), 2**70).map(str),
        st.integers(-5, 600).map(str),
        st.floats().map(str),
        st.sampled_from(["", " 5", "5 ", "0x10", "1_000", "+5", "--1", "٥", "５", "9" * 100, "9" * 5000]),
    )


def ids(*known: str) -> st.SearchStrategy[str]:
    """An id: one of the named objects (``"@name"``, resolved by the test) or any number or text."""
    choices: list[st.SearchStrategy[str]] = [numbers(), texts(40)]
    if known:
        choices.insert(0, st.sampled_from(known))
    return st.one_of(*choices)


def date_strings(*, near: dt.date | None = None) -> st.SearchStrategy[str]:
    """Valid and invalid dates; ``near`` weights dates around that day so that some input is valid."""
    choices = [
        st.dates().map(dt.date.isoformat),  # year 1 to 9999
        st.dates().map(lambda d: d.strftime("%d.%m.%Y")),
        st.sampled_from(
            [
                "0000-00-00",
                "0001-01-01",
                "9999-12-31",
                "10000-01-01",
                "2026-02-30",
                "2026-13-01",
                "2026-1-1",
                "2026-W01-1",
                "20260101",
                "2026/01/01",
                "2026-01-01T00:00",
                "31.12.9999",
                "01.01.0001",
                "２０２６-０１-０１",
                "-2026-01-01",
            ]
        ),
        texts(30),
    ]
    if near is not None:
        window = st.integers(-10, 400).map(lambda days: (near + dt.timedelta(days=days)).isoformat())
        choices = [window, window, *choices]
    return st.one_of(*choices)


def month_strings(*, near: dt.date) -> st.SearchStrategy[str]:
    """The calendar's ``maned`` (YYYY-MM), valid and not."""
    window = st.integers(-3, 20).map(
        lambda m: f"{near.year + (near.month - 1 + m) // 12:04d}-{(near.month - 1 + m) % 12 + 1:02d}"
    )
    return st.one_of(
        window,
        st.dates().map(lambda d: d.strftime("%Y-%m")),
        st.sampled_from(["0000-00", "0001-01", "9999-12", "2026-00", "2026-13", "2026-W05", "202605", "2026-5"]),
        date_strings(),
    )


def time_strings() -> st.SearchStrategy[str]:
    return st.one_of(
        st.times().map(lambda t: t.strftime("%H:%M")),
        st.sampled_from(["08:00", "16:00", "00:00", "23:59", "24:00", "25:61", "8", "08.00", "-1:00", "٠٨:٠٠"]),
        texts(20),
    )


def checkboxes() -> st.SearchStrategy[str | None]:
    """A checkbox: left out (``None``), the usual values, or any text."""
    return st.one_of(st.none(), st.sampled_from(["on", "off", "true", "false", "0", "1", ""]), texts(20))


def uuid_strings() -> st.SearchStrategy[str]:
    return st.one_of(
        st.uuids().map(str),
        st.uuids().map(lambda u: u.hex.upper()),
        st.uuids().map(lambda u: f"{{{u}}}"),
        st.uuids().map(lambda u: f"urn:uuid:{u}"),
        texts(60),
    )


def synthetic_number_strings() -> st.SearchStrategy[str]:
    """National ids: valid synthetic numbers, the same with a digit changed, and any digits or text."""
    from core.national_id import make_synthetic_national_id

    def valid(birth: dt.date, individual: int) -> str:
        for tried in range(500):  # about one individual number in eleven has no valid check digit
            try:
                return make_synthetic_national_id(birth, (individual + tried) % 500)
            except ValueError:
                continue
        raise AssertionError(f"no synthetic number for {birth}")

    valid_numbers = st.builds(valid, st.dates(dt.date(1900, 1, 1), dt.date(1999, 12, 31)), st.integers(0, 499))
    return st.one_of(
        valid_numbers,
        st.builds(lambda n, i: n[:i] + str((int(n[i]) + 1) % 10) + n[i + 1 :], valid_numbers, st.integers(0, 10)),
        st.text(alphabet="0123456789", min_size=9, max_size=13),
        texts(20),
    )


# --- Running one example ----------------------------------------------------------------------------


@contextmanager
def rolled_back() -> Iterator[None]:
    """One example in a savepoint that is rolled back, so a valid input's change does not leak into the
    next example; the cache (diagnoses, rate limits) starts empty too."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def form(**fields: Any) -> dict[str, Any]:
    """POST data without the fields the strategy left out (``None``)."""
    return {key: value for key, value in fields.items() if value is not None}


def url(name: str, *segments: object) -> str:
    """``reverse()`` with arbitrary path segments (negative, non-numeric, any Unicode), percent-encoded."""
    marks = [f"{i}7531902468" for i in range(len(segments))]
    path = reverse(name, args=marks)
    for mark, segment in zip(marks, segments, strict=True):
        path = path.replace(mark, quote(str(segment), safe=""), 1)
    return path


def resolve(value: str, named: dict[str, Any]) -> str:
    """``"@name"`` → that object's pk (or the value itself when it is not a model); anything else as it is."""
    if value in named:
        target = named[value]
        return str(getattr(target, "pk", target))
    return value


def assert_no_server_error(response: Any) -> None:
    assert response.status_code < 500, f"{response.status_code}: {response.content[:500]!r}"


def fresh_key() -> str:
    return str(uuid.uuid4())


# --- What a form could change -----------------------------------------------------------------------


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row the portal's and the admin's forms write, in a comparable form."""
    return {
        "appointments": list(
            Appointment.objects.order_by("pk").values_list("pk", "slot_id", "citizen_id", "status", "reason")
        ),
        "slots": list(Slot.objects.order_by("pk").values_list("pk", "timebook_id", "start", "end", "state")),
        "time_requests": list(
            TimeRequest.objects.order_by("pk").values_list("pk", "service_id", "subject", "suggested_times", "status")
        ),
        "inbox": list(InboxMessage.objects.order_by("pk").values_list("pk", "citizen_id", "kind", "read_at")),
        "blocks": list(
            PatientBlock.objects.order_by("pk").values_list("pk", "organisation_id", "national_id", "reason")
        ),
        "week_templates": list(
            WeekTemplate.objects.order_by("pk").values_list(
                "pk", "timebook_id", "location_id", "name", "weekdays", "start_time", "end_time", "slot_minutes"
            )
        ),
        "timebooks": list(Timebook.objects.order_by("pk").values_list("pk", "service_id", "name", "online")),
        "list_entries": list(TimebookListEntry.objects.order_by("pk").values_list("pk", "timebook_id", "national_id")),
        "processes": list(ServiceProcess.objects.order_by("pk").values_list("pk", "service_id", "process", "active")),
        "process_changes": list(ProcessChange.objects.order_by("pk").values_list("pk", "service_id", "process")),
        "citizens": list(
            Citizen.objects.order_by("pk").values_list(
                "pk", "national_id", "phone", "email", "notify_sms", "notify_email", "notify_push"
            )
        ),
    }


def changed(before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]) -> set[str]:
    return {key for key in before if before[key] != after[key]}


def new_rows(before: list[tuple[Any, ...]], after: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    old = {row[0] for row in before}
    return [row for row in after if row[0] not in old]
