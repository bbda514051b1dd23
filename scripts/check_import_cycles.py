"""`make lint`: no import cycle among the apps' modules (issue 21).

The apps are import-linter's ``root_packages`` (pyproject.toml). Their import graph is grimp's, the one
import-linter checks its contracts on, and it counts every import in a module: at the top, inside a function,
under ``if TYPE_CHECKING``. A cycle «broken» by moving an import into a function is still a cycle here: the
two modules still need each other, only later.

import-linter's own ``acyclic_siblings`` contract (also in pyproject.toml) sees a package as a whole, as Python
imports it (importing ``booking.services.decisions`` runs ``booking/services/__init__.py`` first), but it
does not see a package's ``__init__`` in a cycle with its own submodules; this script sees every module alone.

Prints each cycle (its modules, and the imports between them with their lines) and exits 1 if there is one.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def apps(root: Path = ROOT) -> list[str]:
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["importlinter"]["root_packages"])


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def imported(module: str) -> Iterable[str]:
        return sorted(graph.find_modules_directly_imported_by(module))

    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(imported(start)))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(imported(target))))
                    break
                if target in on_stack:
                    low[module] = min(low[module], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == module:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def describe(graph: grimp.ImportGraph, component: list[str]) -> list[str]:
    lines = [f"Import cycle among {len(component)} modules: {', '.join(component)}"]
    for importer in component:
        for imported in component:
            details = graph.get_import_details(importer=importer, imported=imported)
            if importer != imported and details:
                where = ", ".join(str(line) for line in sorted(detail["line_number"] for detail in details))
                lines.append(f"  {importer} -> {imported} (line {where})")
    return lines


def main() -> int:
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*apps(), cache_dir=None)
    found = cycles(graph)
    for component in found:
        print("\n".join(describe(graph, component)))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
