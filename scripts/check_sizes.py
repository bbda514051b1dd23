"""`make lint`: no module of the apps over 400 lines, no function over 60 (migrations, tests and bench aside).

Past those sizes a module wants to become a package with one module per sub-domain, and a function wants
its steps named (issue 10). Prints each offender and exits 1 if there is any.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from check_import_cycles import apps

MODULE_MAX = 400
FUNCTION_MAX = 60
# The project's apps: the packages import-linter checks (pyproject.toml), so a new app is in every check at once.
APPS = tuple(apps())


def offenders(root: Path) -> list[str]:
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            lines = text.count("\n") + (not text.endswith("\n"))
            if lines > MODULE_MAX:
                found.append(f"{path.relative_to(root)}: {lines} lines (max {MODULE_MAX})")
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = (node.end_lineno or node.lineno) - node.lineno + 1
                    if length > FUNCTION_MAX:
                        where = f"{path.relative_to(root)}:{node.lineno}"
                        found.append(f"{where}: {node.name}() is {length} lines (max {FUNCTION_MAX})")
    return found


def report(found: list[str]) -> int:
    """Print each offender; the exit status of a check (1 if there is any). Shared by ``check_ports``."""
    for line in found:
        print(line)
    return 1 if found else 0


def main() -> int:
    return report(offenders(Path(__file__).resolve().parent.parent))


if __name__ == "__main__":
    sys.exit(main())
