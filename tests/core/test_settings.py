"""The settings module: safe defaults on a bare machine, and a production mode that refuses to run unsafely."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
GOOD_KEY = "k" * 20 + "8f3!Zq#0vW@p2xL^r6Tn$yB1mC&d9sE*"  # 52 characters, not "django-insecure…"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ENV"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    done = manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="sim.example.no")
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr


def test_production_refuses_a_weak_secret_key():
    done = manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="sim.example.no", SECRET_KEY="short")
    assert done.returncode != 0
    assert "at least 50 characters" in done.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    done = manage("check", DJANGO_ENV="production", SECRET_KEY=GOOD_KEY)
    assert done.returncode != 0
    assert "ALLOWED_HOSTS" in done.stderr


def test_production_passes_check_deploy_with_no_warnings():
    done = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="sim.example.no",
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "no issues" in done.stdout


def test_a_bad_redis_url_names_the_variable():
    done = manage("check", REDIS_URL="http://127.0.0.1:6379")
    assert done.returncode != 0
    assert "REDIS_URL" in done.stderr


def test_an_unknown_django_env_names_the_variable():
    done = manage("check", DJANGO_ENV="staging")
    assert done.returncode != 0
    assert "DJANGO_ENV" in done.stderr


def test_the_defaults_are_oslo_time_and_norwegian_with_english():
    from django.conf import settings

    assert settings.TIME_ZONE == "Europe/Oslo" and settings.USE_TZ
    assert settings.LANGUAGE_CODE == "nb"
    assert [code for code, _ in settings.LANGUAGES] == ["nb", "en"]


def _print_setting(name: str, **env: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ENV", "COLLECTED_STATIC"}}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=base | {"DJANGO_SETTINGS_MODULE": "helsenorge_sim.settings"} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_make_run_shows_the_portals_own_error_pages_and_debug_pages_only_when_asked_for():
    """Issue 12: `make run` showed Django's technical 404 listing every URL to people being trained."""
    assert _print_setting("DEBUG") == "False"
    assert _print_setting("DEBUG", DEBUG="true") == "True"
    # Static files still come straight from the source folders under make run, without collectstatic.
    assert _print_setting("WHITENOISE_USE_FINDERS") == "True"
    assert _print_setting("WHITENOISE_USE_FINDERS", COLLECTED_STATIC="true") == "False"
