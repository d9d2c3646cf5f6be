"""What `make run` (config.settings.local) gives a person following the README: sign-in limits
they cannot hit, production's strict defaults untouched, and a log that prints each line once."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from pytest_django import Settings

from .factories import DEFAULT_PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def _settings_module(name: str, monkeypatch: pytest.MonkeyPatch):
    for variable in ("THROTTLE_AUTH_RATE", "THROTTLE_USER_RATE", "THROTTLE_LOGIN_FAILURE_RATE"):
        monkeypatch.delenv(variable, raising=False)
    module = importlib.import_module(name)
    return importlib.reload(module)


def test_make_run_rates_are_out_of_a_readers_reach(monkeypatch):
    local = _settings_module("config.settings.local", monkeypatch)

    rates = local.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert {k: rates[k] for k in ("auth", "user", "login_failure")} == {
        "auth": "1000/min",
        "user": "100000/hour",
        "login_failure": "100/min",
    }


def test_production_keeps_the_strict_defaults(monkeypatch):
    base = _settings_module("config.settings.base", monkeypatch)

    rates = base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert {k: rates[k] for k in ("auth", "user", "login_failure")} == {
        "auth": "10/min",
        "user": "5000/hour",
        "login_failure": "5/min",
    }


def test_make_run_rates_still_follow_the_environment(monkeypatch):
    monkeypatch.setenv("THROTTLE_AUTH_RATE", "20/min")
    local = importlib.reload(importlib.import_module("config.settings.local"))

    assert local.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"] == "20/min"
    monkeypatch.delenv("THROTTLE_AUTH_RATE")
    importlib.reload(local)


@pytest.mark.django_db
def test_the_readme_pace_meets_no_429_under_make_run(settings: Settings, monkeypatch, anon_client):
    local = _settings_module("config.settings.local", monkeypatch)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": local.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    }
    cache.clear()
    try:
        # The README's walkthrough and two Postman runs in one minute, with a typo or two.
        statuses = []
        for n in range(30):
            user = {"username": f"reader{n}", "email": f"reader{n}@example.com"}
            statuses.append(
                anon_client.post(
                    "/api/register/", {**user, "password": DEFAULT_PASSWORD}
                ).status_code
            )
            statuses.append(
                anon_client.post(
                    "/api/token/", {"username": f"reader{n}", "password": "typo"}
                ).status_code
            )
            statuses.append(
                anon_client.post(
                    "/api/token/", {"username": f"reader{n}", "password": DEFAULT_PASSWORD}
                ).status_code
            )
    finally:
        cache.clear()

    assert statuses == [201, 401, 200] * 30


def test_the_dev_server_log_prints_each_line_once():
    script = (
        "import logging, django\n"
        "django.setup()\n"
        "logging.getLogger('django.request').warning('Not Found: /api/nothing/')\n"
        "logging.getLogger('django.server').info('\"GET /api/ HTTP/1.1\" 200 10')\n"
        "logging.getLogger('fintrack.errors').warning('Database unavailable')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DEBUG": "1"}
    env.pop("LOG_LEVEL", None)

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    lines = (result.stdout + result.stderr).splitlines()
    assert len(lines) == 3, lines
    assert sum("Not Found: /api/nothing/" in line for line in lines) == 1
    assert sum("GET /api/ HTTP/1.1" in line for line in lines) == 1
    assert sum("Database unavailable" in line for line in lines) == 1
