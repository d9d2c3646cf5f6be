"""Helpers for the dashboard's browser tests: Debian's headless Chromium through playwright,
an HTTP client for the API's own answers, and the page's forms."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct-horse-battery-9"


@dataclass
class Api:
    """The API as any other client sees it, signed in as one user."""

    base: str
    token: str | None = None

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        request = urllib.request.Request(
            f"{self.base}/api/{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, json.loads(raw) if raw else None

    def get(self, path: str) -> Any:
        status, body = self.call("GET", path)
        assert status == 200, (path, status, body)
        return body

    def post(self, path: str, body: Any) -> Any:
        status, answer = self.call("POST", path, body)
        assert status == 201, (path, status, answer)
        return answer

    def has(self, path: str) -> bool:
        return self.call("OPTIONS", path)[0] != 404


def register(base: str, username: str) -> Api:
    """A new user, signed in through the API (not the page)."""
    api = Api(base)
    email = f"{username}@example.com"
    api.post("register/", {"username": username, "email": email, "password": PASSWORD})
    status, pair = api.call("POST", "token/", {"username": username, "password": PASSWORD})
    assert status == 200
    api.token = pair["access"]
    return api


@dataclass
class Watch:
    """Everything a page asked for, and what went wrong on it."""

    base: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def api_requests(self) -> list[str]:
        return [u for u in self.requests if u.startswith(f"{self.base}/api/")]
