"""`scripts/check_import_cycles.py`: the apps' import graph has no cycle, and an import moved into a function
does not hide one."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_import_cycles", ROOT / "scripts" / "check_import_cycles.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_apps_have_no_import_cycle(check):
    graph = grimp.build_graph(*check.apps(), cache_dir=None)
    assert check.cycles(graph) == []


def test_a_package_and_its_module_that_import_each_other_inside_a_function_are_a_cycle(check, tmp_path, monkeypatch):
    write(
        tmp_path,
        {
            "circled/__init__.py": "from .requests import request\n",
            "circled/requests.py": "def request():\n    from .tasks import confirm\n\n    confirm()\n",
            "circled/tasks.py": "def confirm():\n    from circled import request\n",
            "circled/alone.py": "from circled.requests import request\n",
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("circled", cache_dir=None)
    found = check.cycles(graph)
    assert found == [["circled", "circled.requests", "circled.tasks"]]
    assert "  circled.requests -> circled.tasks (line 2)" in check.describe(graph, found[0])


def test_two_separate_cycles_are_both_found(check, tmp_path, monkeypatch):
    write(
        tmp_path,
        {
            "twice/__init__.py": "",
            "twice/a.py": "from twice import b\n",
            "twice/b.py": "from twice import a\n",
            "twice/c.py": "import twice.d\n",
            "twice/d.py": "import twice.c\nimport twice.a\n",
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert check.cycles(grimp.build_graph("twice", cache_dir=None)) == [["twice.a", "twice.b"], ["twice.c", "twice.d"]]
