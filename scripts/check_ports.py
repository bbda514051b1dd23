"""`make lint`: no start-up hook lists (issue 21). A lower app calls a higher one only through a Django signal
declared in the lower app's ``signals.py`` and connected in the higher app's ``AppConfig.ready``, so a reader
sees each such call where it is made and where it is received (README, «Layout»: the ports).

Flags, in the apps' modules (migrations aside): a module-level empty list, set or dict of callables
(``HOOKS: list[Callable[...]] = []``, or of a module-level alias of ``Callable``) and a module-level function
that adds to such a collection (``register_*``), the two shapes a hook list takes. Prints each offender and
exits 1 if there is any.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from check_sizes import APPS, report

_EMPTY = (ast.List, ast.Set, ast.Dict)


def _callable_aliases(tree: ast.Module) -> set[str]:
    """Module-level names for callables: ``Source = Callable[[Service], ...]``."""
    return {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign) and "Callable" in ast.unparse(node.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _appends_to_module_level(function: ast.FunctionDef, names: set[str]) -> bool:
    return any(
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in ("append", "add", "extend")
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id in names
        for call in ast.walk(function)
    )


def offenders_in(text: str, where: str) -> list[str]:
    tree = ast.parse(text)
    callables = {"Callable", *_callable_aliases(tree)}
    collections = {
        node.target.id
        for node in tree.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and isinstance(node.value, _EMPTY)
    }
    found = []
    for node in tree.body:
        what = None
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id in collections:
            annotation = ast.unparse(node.annotation)
            if any(name in annotation for name in callables):
                what = f"{node.target.id}: {annotation} is a hook list"
        elif isinstance(node, ast.FunctionDef) and _appends_to_module_level(node, collections):
            what = f"{node.name}() adds to a module-level list of hooks"
        if what:
            found.append(f"{where}:{node.lineno}: {what}; declare a signal in the lower app instead")
    return found


def offenders(root: Path) -> list[str]:
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.parts:
                found += offenders_in(path.read_text(encoding="utf-8"), str(path.relative_to(root)))
    return found


def main() -> int:
    return report(offenders(Path(__file__).resolve().parent.parent))


if __name__ == "__main__":
    sys.exit(main())
