"""EMAIL_URL (config/email_url.py) and what each settings module makes of it."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.email_url import (
    CONSOLE_BACKEND,
    DUMMY_BACKEND,
    FILE_BACKEND,
    LOCMEM_BACKEND,
    SMTP_BACKEND,
    EmailSettings,
    email_settings,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console:", EmailSettings(backend=CONSOLE_BACKEND)),
        ("locmem:", EmailSettings(backend=LOCMEM_BACKEND)),
        ("dummy:", EmailSettings(backend=DUMMY_BACKEND)),
        (
            "file:///var/mail/fintrack/",
            EmailSettings(FILE_BACKEND, file_path="/var/mail/fintrack/"),
        ),
        (
            "smtp://user:p%40ss@mail.example.com:587",
            EmailSettings(
                SMTP_BACKEND, "mail.example.com", 587, "user", "p@ss", use_tls=True, use_ssl=False
            ),
        ),
        (
            "smtp://mail.example.com",
            EmailSettings(SMTP_BACKEND, "mail.example.com", 587, use_tls=True),
        ),
        (
            "smtps://user:pass@mail.example.com",
            EmailSettings(SMTP_BACKEND, "mail.example.com", 465, "user", "pass", use_ssl=True),
        ),
        ("smtp://localhost:25?starttls=0", EmailSettings(SMTP_BACKEND, "localhost", 25)),
    ],
)
def test_email_url_schemes(url, expected):
    assert email_settings(url) == expected


@pytest.mark.parametrize(
    "url",
    ["", "http://mail.example.com", "smtp://", "smtp://host:port", "file://relative/path"],
)
def test_a_bad_email_url_is_refused_at_start(url):
    with pytest.raises(ImproperlyConfigured):
        email_settings(url)


def test_as_settings_names_djangos_settings():
    assert email_settings("smtps://u:p@h:2465").as_settings() == {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": "h",
        "EMAIL_PORT": 2465,
        "EMAIL_HOST_USER": "u",
        "EMAIL_HOST_PASSWORD": "p",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": True,
        "EMAIL_FILE_PATH": None,
    }


def _settings_value(module: str, expression: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value for key, value in os.environ.items() if key not in {"EMAIL_URL", "DEBUG"}
    }
    environment.update(
        {"DJANGO_SETTINGS_MODULE": module, "SECRET_KEY": secrets.token_urlsafe(40), **env}
    )
    code = f"from django.conf import settings; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_make_run_prints_mail_on_the_console_by_default():
    run = _settings_value("config.settings.local", "settings.EMAIL_BACKEND")

    assert run.stdout.strip() == CONSOLE_BACKEND, run.stderr


def test_production_sends_by_smtp_by_default():
    run = _settings_value("config.settings.production", "settings.EMAIL_BACKEND")

    assert run.stdout.strip() == SMTP_BACKEND, run.stderr


def test_production_refuses_the_console_backend_unless_allowed():
    refused = _settings_value("config.settings.production", "settings.DEBUG", EMAIL_URL="console:")
    allowed = _settings_value(
        "config.settings.production",
        "settings.EMAIL_BACKEND",
        EMAIL_URL="console:",
        ALLOW_CONSOLE_EMAIL="1",
    )

    assert refused.returncode != 0
    assert "ALLOW_CONSOLE_EMAIL" in refused.stderr
    assert allowed.stdout.strip() == CONSOLE_BACKEND, allowed.stderr


def test_a_reset_url_without_its_placeholders_is_refused():
    run = _settings_value(
        "config.settings.local",
        "settings.DEBUG",
        PASSWORD_RESET_URL="https://app.example.com/reset",
    )

    assert run.returncode != 0
    assert "PASSWORD_RESET_URL must hold both {uid} and {token}" in run.stderr
