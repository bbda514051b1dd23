"""`make lint`'s check for start-up hook lists (issue 21): the shapes the project had, and a signal, which is fine."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from check_ports import offenders, offenders_in

HOOK_LIST = """
from collections.abc import Callable
TIME_REQUEST_HOOKS: list[Callable[[object, object], None]] = []
"""
ALIASED_WITH_REGISTER = """
from collections.abc import Callable, Iterable
TimebookSource = Callable[["Service"], Iterable[object]]
_timebook_sources: list[TimebookSource] = []

def register_timebook_source(source: TimebookSource) -> None:
    if source not in _timebook_sources:
        _timebook_sources.append(source)
"""
SIGNAL = """
from django.dispatch import Signal
time_request_sent = Signal()
ALLOWED: dict[str, str] = {}

def register_search(query: str) -> list[str]:
    found: list[str] = []
    found.append(query)
    return found
"""


@pytest.mark.parametrize(
    ("text", "count"),
    [pytest.param(HOOK_LIST, 1, id="hook-list"), pytest.param(ALIASED_WITH_REGISTER, 2, id="aliased-and-register")],
)
def test_a_start_up_hook_list_fails_the_check(text, count):
    found = offenders_in(text, "app/module.py")
    assert len(found) == count
    assert all("declare a signal in the lower app instead" in line for line in found)


def test_a_signal_a_plain_dict_and_a_function_named_register_are_not_hooks():
    assert offenders_in(SIGNAL, "app/module.py") == []


def test_the_apps_have_no_hook_list():
    assert offenders(Path(__file__).resolve().parent.parent) == []
