"""gunicorn.conf.py: gunicorn trusts X-Forwarded-Proto exactly when Django does, lets long
query strings through to Django, and answers what it refuses itself as problem+json."""

import json
import os
import runpy
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "gunicorn.conf.py"


def _settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> Config:
    monkeypatch.delenv("TRUST_X_FORWARDED_PROTO", raising=False)
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = Config()
    for name, value in runpy.run_path(str(CONFIG)).items():
        if name in config.settings:
            config.set(name, value)
    return config


@pytest.mark.parametrize("env", [{}, {"TRUST_X_FORWARDED_PROTO": "0"}])
def test_without_trust_gunicorn_believes_no_forwarded_header(monkeypatch, env):
    config = _settings(monkeypatch, **env)

    assert config.forwarded_allow_ips == []
    assert config.secure_scheme_headers == {}


def test_with_trust_gunicorn_believes_the_local_proxy(monkeypatch):
    config = _settings(monkeypatch, TRUST_X_FORWARDED_PROTO="1")

    assert config.forwarded_allow_ips == ["127.0.0.1", "::1"]
    assert config.secure_scheme_headers == {"X-FORWARDED-PROTO": "https"}


def test_the_trusted_proxies_can_be_named(monkeypatch):
    config = _settings(monkeypatch, TRUST_X_FORWARDED_PROTO="1", FORWARDED_ALLOW_IPS="10.0.0.5")

    assert config.forwarded_allow_ips == ["10.0.0.5"]


def test_two_workers_unless_web_concurrency_says_otherwise(monkeypatch):
    """The README's default: the Procfile starts gunicorn without --workers (gunicorn's own
    default is 1)."""
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    assert _settings(monkeypatch).workers == 2
    assert _settings(monkeypatch, WEB_CONCURRENCY="5").workers == 5


# gunicorn itself, serving production settings on a SQLite file


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    database = tmp_path_factory.mktemp("gunicorn") / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        + ["--no-control-socket", "--log-level", "critical"],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while _raw(port, "GET /api/health/")[0] != 200:
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _raw(port: int, request_line: str) -> tuple[int, dict[str, str], bytes]:
    """Send one request line by hand; (status, headers, body), or 0 while nothing listens."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(f"{request_line} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
    except OSError:
        return 0, {}, b""
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *fields = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (f.partition(":") for f in fields)}
    return int(status_line.split()[1]), headers, body


def test_a_long_query_string_reaches_django(served):
    status, headers, body = _raw(served, "GET /api/changes/?cursor=" + "x" * 7000)

    # Django's answer: the token is missing (a problem), not gunicorn's 414.
    assert status == 401
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["status"] == 401


@pytest.mark.parametrize(
    ("request_line", "status", "problem"),
    [
        ("GET /api/health/?q=" + "x" * 9000, 414, "uri-too-long"),
        ("GET /api/health/ with spaces", 400, "bad-request"),
    ],
)
def test_what_gunicorn_refuses_itself_is_a_problem_not_a_page(
    served, request_line, status, problem
):
    answer, headers, body = _raw(served, request_line)

    assert answer == status
    assert headers["content-type"] == "application/problem+json"
    document = json.loads(body)
    assert document["type"] == f"urn:fintrack:problem:{problem}"
    assert document["status"] == status
    assert set(document) == {"type", "title", "status", "detail"}


def _chunked(port: int, method: str, path: str, body: bytes, token: str = "") -> tuple[int, dict]:
    """A request whose body is sent chunked (no Content-Length), as `curl -T -` sends one."""
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    chunked = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode() + chunked)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head_part, _, answer = data.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in head_part.lower():  # gunicorn answers chunked too
        size, _, rest = answer.partition(b"\r\n")
        answer = rest[: int(size, 16)]
    return int(head_part.split()[1]), json.loads(answer)


def test_a_chunked_body_is_refused_with_411_not_taken_for_no_body(served):
    """Django reads bodies by Content-Length: a chunked PATCH answered 200 and changed nothing."""
    status, problem = _chunked(served, "POST", "/api/register/", b'{"username": "x"}')

    assert status == 411
    assert problem["type"] == "urn:fintrack:problem:length-required"
