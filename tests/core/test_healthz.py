"""``GET /healthz``: 200 when the database (and the broker, when configured) answer, 503 when one is down.

"Down" is real here: a child process is started with the database or broker URL pointing at a port on
this machine where nothing listens, and asks for /healthz through Django's test client.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT = 1  # nothing listens on port 1 of the loopback

PROBE = """
import django, json
django.setup()
from django.test import Client
r = Client().get("/healthz")
print(json.dumps({"status": r.status_code, "body": r.json()}))
"""


def healthz_in_child(**env: str) -> tuple[int, dict]:
    child_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    child_env |= {"DJANGO_SETTINGS_MODULE": "helsenorge_sim.settings", **env}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=child_env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["status"], result["body"]


@pytest.mark.django_db
def test_it_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_answers_503_when_the_database_is_down():
    status, body = healthz_in_child(DATABASE_URL=f"postgres://postgres@127.0.0.1:{CLOSED_PORT}/nowhere")
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["database"].startswith("error")


def test_it_answers_503_when_the_broker_is_down(tmp_path):
    status, body = healthz_in_child(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", REDIS_URL=f"redis://127.0.0.1:{CLOSED_PORT}/0"
    )
    assert status == 503
    assert body["database"] == "ok"
    assert body["broker"].startswith("error")


def test_without_a_broker_it_says_tasks_run_in_process(tmp_path):
    status, body = healthz_in_child(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert status == 200
    assert body["broker"].startswith("not configured")


@pytest.mark.redis
@pytest.mark.django_db
def test_it_reports_a_configured_broker_as_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_it_needs_get(client):
    assert client.post("/healthz").status_code == 405
