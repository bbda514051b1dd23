"""Issue 21: a database made by `make run` on an earlier main migrates forward on this code without losing a row.

``tests/data/make_run_f502261.sqlite3.gz`` is what `make run` left on commit f502261 (migrate, seed_demo) with a
few users' activity in it: a booking made on the site, a slot hold, a video call's signals, dialogues with an
attachment, Innboks threads, audit rows, notifications, a time request, a campaign (how it was made, and how to
make it again for a later commit: ``scripts/make_migration_fixture.py``). The test unpacks it, runs this checkout's
``manage.py migrate`` on it in a subprocess (SQLite, no Redis; the test database is never touched), and compares
every table before and after: the same rows by primary key, with the same values in every column that still
exists.

A migration that renames a table, drops one, or changes rows on purpose says so here, with why: in
``RENAMED_TABLES``, ``DROPPED_TABLES`` or ``REWRITTEN_TABLES``. A model that moves to another app keeps its content
type row (its permissions and admin history point at it): the row is updated to the new app, not left behind; a
model deleted on purpose is named in ``DROPPED_MODELS``.
"""

from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "data" / "make_run_f502261.sqlite3.gz"

# Old table name: new table name, for a table a migration renames (e.g. "booking_videosignal": "video_videosignal"
# when VideoSignal moves to a video app with its own table). Its rows are compared as if it had kept its name.
RENAMED_TABLES: dict[str, str] = {}
# Table: why a migration may drop it (and every row in it).
DROPPED_TABLES: dict[str, str] = {}
# Model ("app_label.model"): why a migration deletes it; its content type may then name no model of this code.
DROPPED_MODELS: dict[str, str] = {}
# Table: why a migration changes the values of its rows (the rows themselves must all still be there).
REWRITTEN_TABLES: dict[str, str] = {}
# Table: why it may gain rows (never lose or change one).
MAY_GROW = {
    "django_migrations": "a row for each migration applied",
    "django_content_type": "Django adds a content type for each new model (a moved model keeps its own row)",
    "auth_permission": "Django adds the permissions of each new model",
}
# Tables the fixture has no rows in, and why; every other table it has rows in, so that each of them is guarded.
EMPTY_IN_FIXTURE = {
    "django_celery_beat_clockedschedule": "only Celery beat writes these, and `make run` has no beat",
    "django_celery_beat_crontabschedule": "only Celery beat writes these, and `make run` has no beat",
    "django_celery_beat_intervalschedule": "only Celery beat writes these, and `make run` has no beat",
    "django_celery_beat_periodictask": "only Celery beat writes these, and `make run` has no beat",
    "django_celery_beat_periodictasks": "only Celery beat writes these, and `make run` has no beat",
    "django_celery_beat_solarschedule": "only Celery beat writes these, and `make run` has no beat",
}


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: dict[Any, dict[str, Any]]  # by primary key

    def values(self, columns: list[str]) -> dict[Any, tuple[Any, ...]]:
        return {key: tuple(row[c] for c in columns) for key, row in self.rows.items()}


def snapshot(database: Path) -> dict[str, Table]:
    """Every table of the database (SQLite's own aside), each row under its primary key."""
    db = sqlite3.connect(database)
    try:
        tables = {}
        names = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        for (name,) in names.fetchall():
            info = db.execute(f'PRAGMA table_info("{name}")').fetchall()
            columns = tuple(column[1] for column in info)
            key = [column[1] for column in sorted(info, key=lambda c: c[5]) if column[5]]
            assert len(key) == 1, f"{name}: a table without a one-column primary key ({key})"
            cursor = db.execute(f'SELECT * FROM "{name}"')
            rows = {row[columns.index(key[0])]: dict(zip(columns, row, strict=True)) for row in cursor}
            tables[name] = Table(columns, rows)
        return tables
    finally:
        db.close()


def migrate(database: Path) -> subprocess.CompletedProcess[str]:
    """This checkout's ``manage.py migrate`` on the file, as `make run` would run it: no Redis, no PostgreSQL."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CACHE_URL", "PYTEST_XDIST_WORKER"}}
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_ENV="development")
    return subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "--skip-checks"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def installed(app_label: str, model: str) -> bool:
    try:
        apps.get_model(app_label, model)
    except LookupError:
        return False
    return True


def rows_lost_or_changed(name: str, before: Table, after: Table, *, may_change: bool) -> list[str]:
    shared = [c for c in before.columns if c in after.columns]
    old, new = before.values(shared), after.values(shared)
    lost = sorted(set(old) - set(new), key=str)
    problems = [f"{name}: {len(lost)} rows lost (keys {lost[:10]})"] if lost else []
    changed = [key for key in old if key in new and old[key] != new[key]]
    if changed and not may_change:
        key = changed[0]
        first = {c: (a, b) for c, a, b in zip(shared, old[key], new[key], strict=True) if a != b}
        problems.append(f"{name}: {len(changed)} rows changed, e.g. key {key!r}: (before, after) {first}")
    return problems


def content_types_followed(before: Table, after: Table) -> list[str]:
    """Every content type row is still there under its key, for the same model, and names a model of this code: the
    same app's, or another's the model moved to. No new row names a model the database already had a row for."""
    problems = []
    for key, row in before.rows.items():
        old_name, now = f"{row['app_label']}.{row['model']}", after.rows.get(key)
        if now is None or now["model"] != row["model"]:
            problems.append(f"content type {old_name} (id {key}) lost or changed: {now}")
        elif not installed(now["app_label"], now["model"]) and old_name not in DROPPED_MODELS:
            problems.append(
                f"content type {key} names {now['app_label']}.{now['model']}, which is no model of this code: a "
                "migration that moves a model must carry its content type over (as booking/migrations/0004_* does), "
                "and one that deletes a model says why in DROPPED_MODELS"
            )
    known = {row["model"] for row in before.rows.values()}
    for key, row in after.rows.items():
        if key not in before.rows and row["model"] in known:
            problems.append(f"new content type {row['app_label']}.{row['model']} (id {key}) beside the old one")
    return problems


def compare(before: dict[str, Table], after: dict[str, Table]) -> list[str]:
    problems = [f"RENAMED_TABLES names {old}, which the fixture has not" for old in RENAMED_TABLES if old not in before]
    for name, old in sorted(before.items()):
        new_name = RENAMED_TABLES.get(name, name)
        if name in DROPPED_TABLES:
            problems += [f"{name} is in DROPPED_TABLES but still there"] if new_name in after else []
            continue
        new = after.get(new_name)
        if new is None:
            problems.append(f"{name} ({len(old.rows)} rows) is gone: say why in RENAMED_TABLES or DROPPED_TABLES")
            continue
        if name == "django_content_type":
            problems += content_types_followed(old, new)
            continue
        if name not in MAY_GROW and len(new.rows) != len(old.rows):
            problems.append(f"{name}: {len(old.rows)} rows before, {len(new.rows)} after")
        problems += rows_lost_or_changed(name, old, new, may_change=name in REWRITTEN_TABLES)
    return problems


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Table], dict[str, Table], str]:
    database = tmp_path_factory.mktemp("make-run") / "db.sqlite3"
    with gzip.open(FIXTURE, "rb") as packed, database.open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    before = snapshot(database)
    result = migrate(database)
    assert result.returncode == 0, f"migrate failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return before, snapshot(database), result.stdout


def test_the_fixture_has_rows_in_every_table_the_app_uses(migrated):
    before, _, _ = migrated
    empty = {name for name, table in before.items() if not table.rows}
    assert empty == set(EMPTY_IN_FIXTURE), "make the fixture again (scripts/make_migration_fixture.py)"


def test_every_migration_of_this_code_is_applied(migrated):
    _, after, output = migrated
    applied = {(row["app"], row["name"]) for row in after["django_migrations"].rows.values()}
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    assert set(graph.nodes) - applied == set(), output


def test_no_row_is_lost_or_changed(migrated):
    before, after, _ = migrated
    problems = compare(before, after)
    assert not problems, "\n".join(problems)
