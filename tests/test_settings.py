"""Settings: `make run` signs with a private random key, never the repository's."""

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PRINT_KEYS = (
    "from django.conf import settings; "
    "print(settings.SECRET_KEY); print(settings.SIMPLE_JWT['SIGNING_KEY'])"
)


def _settings_run(module: str, code: str, *, drop: tuple[str, ...], **extra: str) -> Any:
    """Python `code` run with django set up under the settings `module`, in a fresh process
    whose environment lacks `drop` and has `extra`; the completed process."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in drop},
        "DJANGO_SETTINGS_MODULE": module,
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _local_keys(key_file: Path, **extra: str) -> list[str]:
    result = _settings_run(
        "config.settings.local",
        PRINT_KEYS,
        drop=("SECRET_KEY", "JWT_SIGNING_KEY"),
        DEV_SECRET_KEY_FILE=str(key_file),
        **extra,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_development_server_makes_a_private_key_on_first_use_and_keeps_it(tmp_path):
    key_file = tmp_path / ".dev-secret-key"

    first = _local_keys(key_file)
    second = _local_keys(key_file)
    elsewhere = _local_keys(tmp_path / "another-checkout")

    assert first == second
    assert elsewhere != first
    secret, signing = first
    assert secret == signing
    assert secret != settings.DEVELOPMENT_SECRET_KEY
    assert len(secret) >= 50
    assert key_file.read_text().strip() == secret
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_secret_key_from_the_environment_wins(tmp_path):
    key_file = tmp_path / ".dev-secret-key"

    keys = _local_keys(key_file, SECRET_KEY="x" * 40)

    assert keys == ["x" * 40, "x" * 40]
    assert not key_file.exists()


def test_the_key_file_is_ignored_by_git():
    result = subprocess.run(
        ["git", "check-ignore", ".dev-secret-key"], cwd=ROOT, capture_output=True, text=True
    )

    assert result.stdout.strip() == ".dev-secret-key"


def test_tests_keep_a_fixed_key():
    assert settings.SECRET_KEY == "test-only-secret-key-not-used-anywhere-else-0123456789"


PRIVATE_KEY = "s" * 24 + "-a-private-production-key"


def _production(**extra: str) -> Any:
    return _settings_run(
        "config.settings.production",
        PRINT_KEYS,
        drop=("JWT_SIGNING_KEY", "DEBUG"),
        **{"SECRET_KEY": PRIVATE_KEY, **extra},
    )


def test_production_refuses_a_weak_secret_key():
    for key in (settings.DEVELOPMENT_SECRET_KEY, "short", " " * 40):
        refused = _production(SECRET_KEY=key)
        assert refused.returncode != 0
        assert "SECRET_KEY set to a private value" in refused.stderr


def test_production_refuses_a_weak_jwt_signing_key_which_signs_every_token():
    """A public JWT_SIGNING_KEY let anyone forge a token for any account; an empty one made
    every sign-in a 500."""
    for key in (settings.DEVELOPMENT_SECRET_KEY, "x", "", " " * 40):
        refused = _production(JWT_SIGNING_KEY=key)
        assert refused.returncode != 0, key
        assert "JWT_SIGNING_KEY set to a private value" in refused.stderr
    private = "j" * 40
    assert _production(JWT_SIGNING_KEY=private).stdout.split()[1] == private
    # Unset, it is SECRET_KEY.
    assert len(set(_production().stdout.split())) == 1


def _value(expression: str, **extra: str) -> Any:
    return _settings_run(
        "config.settings.production",
        f"from django.conf import settings; print({expression})",
        drop=("JWT_SIGNING_KEY", "DEBUG"),
        **{"SECRET_KEY": PRIVATE_KEY, **extra},
    )


def test_allowed_hosts_written_with_spaces_are_the_names():
    run = _value("settings.ALLOWED_HOSTS", ALLOWED_HOSTS="localhost, api.example.com,")
    assert run.stdout.strip() == "['localhost', 'api.example.com']", run.stderr


def test_an_empty_number_is_its_default_and_a_nonsensical_one_is_refused_by_name():
    empty = _value("settings.REST_FRAMEWORK['NUM_PROXIES']", NUM_PROXIES="")
    assert empty.stdout.strip() == "0", empty.stderr
    for name, value in (
        ("NUM_PROXIES", "-1"),
        ("ACCESS_TOKEN_MINUTES", "0"),
        ("REFRESH_TOKEN_DAYS", "-5"),
        ("CONN_MAX_AGE", "soon"),
    ):
        refused = _value("1", **{name: value})
        assert refused.returncode != 0, name
        assert f"{name} must be" in refused.stderr, refused.stderr


def test_log_level_in_any_case():
    run = _value("settings.LOGGING['root']['level']", LOG_LEVEL="info")
    assert run.stdout.strip() == "INFO", run.stderr
