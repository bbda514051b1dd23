"""Make the database `make run` leaves on a given commit, with a few users' activity in it, for
``tests/test_migrate_forward.py`` (issue 21: a database made by `make run` migrates forward without losing a row).

    .venv/bin/python scripts/make_migration_fixture.py f502261

checks the commit out in a temporary git worktree and, with that commit's code, does to a fresh SQLite file what
`make run` does to its database (``manage.py migrate --no-input``, then ``manage.py seed_demo``; it does not serve),
then runs ``tests/data/make_run_activity.py`` there (the citizens' and staff's activity). It vacuums the file and
writes it gzipped to ``tests/data/make_run_<commit>.sqlite3.gz``, prints each table's rows, and removes the
worktree. The environment is `make run`'s: no ``REDIS_URL`` (tasks run in-process), DJANGO_ENV development.

For a later commit: adjust ``make_run_activity.py`` to that commit's services where they changed, run this with
the commit, and point ``FIXTURE`` in the test at the new file. ``--python`` names another interpreter when the
commit's dependencies differ from this checkout's (``.venv/bin/python`` by default).
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACTIVITY = ROOT / "tests" / "data" / "make_run_activity.py"


def run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> None:
    print("$", " ".join(command), flush=True)
    subprocess.run(command, cwd=cwd, env=env, check=True)


def make_run_env(database: Path) -> dict[str, str]:
    """Only what `make run` has: no broker, no cache server, no database but the SQLite file."""
    keep = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TZ") if name in os.environ}
    return {**keep, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_ENV": "development"}


# Through Django's connection: an index on an expression calls the functions Django gives SQLite.
VACUUM = "from django.db import connection; connection.cursor().execute('VACUUM')"


def build(checkout: Path, database: Path, python: str) -> None:
    env = make_run_env(database)
    run([python, "manage.py", "migrate", "--no-input"], cwd=checkout, env=env)
    run([python, "manage.py", "seed_demo"], cwd=checkout, env=env)
    # In the checkout's root, so that its code (not this checkout's) is what the activity imports.
    shutil.copy(ACTIVITY, checkout / "_make_run_activity.py")
    run([python, "manage.py", "shell", "-c", "import _make_run_activity as a; a.main()"], cwd=checkout, env=env)
    run([python, "manage.py", "shell", "-c", VACUUM], cwd=checkout, env=env)


def rows_per_table(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def pack(database: Path, out: Path) -> None:
    with database.open("rb") as source, gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as target:
        shutil.copyfileobj(source, target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commit", help="the commit whose `make run` database to make (e.g. f502261)")
    parser.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"))
    parser.add_argument("--out", type=Path, help="default: tests/data/make_run_<commit>.sqlite3.gz")
    args = parser.parse_args()
    out = args.out or ROOT / "tests" / "data" / f"make_run_{args.commit}.sqlite3.gz"
    work = Path(tempfile.mkdtemp(prefix="make-run-fixture-"))
    checkout, database = work / "checkout", work / "db.sqlite3"
    try:
        run(["git", "worktree", "add", "--detach", str(checkout), args.commit], cwd=ROOT)
        build(checkout, database, args.python)
        pack(database, out)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=ROOT, check=False)
        counts = rows_per_table(database) if database.exists() else {}
        shutil.rmtree(work, ignore_errors=True)
    for name, count in counts.items():
        print(f"{count:7d}  {name}")
    print(f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: {out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
