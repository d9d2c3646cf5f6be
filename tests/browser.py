"""Headless Chromium for the browser tests (a pytest plugin, loaded by tests/conftest.py).

`browser` is Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) driven by the `playwright`
package, launched once per test session with the flags below; no browser is downloaded.
Without Chromium the tests that use it are skipped with the reason (CI installs it first:
.ci/run). Pair it with pytest-django's `live_server` for the app's address.

`logged_page` is a page in a fresh context that logs every request it makes and refuses
(without sending) any request to another host, so a test can assert the page made none.
"""

import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from pytest_django.live_server_helper import LiveServer

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class OneRequestAtATimeHandler(StaticFilesHandler):
    """The live server's WSGI handler, answering one request at a time.

    On SQLite the test database lives in memory, so every thread of the live server shares the
    test's one connection. A browser sends requests in parallel, and two threads inside that
    connection at once can deadlock (one waits for SQLite's mutex holding the GIL, the other
    runs one of Django's Python SQL functions holding the mutex and waiting for the GIL): CI hung
    there until its deadline. The body is read inside the lock too, so a streamed answer does
    not query outside it.
    """

    lock = threading.Lock()

    # Django's stubs type the handler's answer as its response; a WSGI server needs only an
    # iterable of bytes, which is what this one returns once the body has been read.
    def __call__(  # type: ignore[override]
        self, environ: dict[str, Any], start_response: Any
    ) -> Iterable[bytes]:
        with self.lock:
            response = super().__call__(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                close = getattr(response, "close", None)
                if close is not None:
                    close()
        return [body]


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """pytest-django's live server (same address option), with the handler above."""
    addr = request.config.getvalue("liveserver") or os.getenv(
        "DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.static_handler = OneRequestAtATimeHandler
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    """The one Chromium of the test session: Playwright's sync API can run only one driver at a
    time in a thread, so every browser test shares it (each test opens its own context)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls that pytest-django
    # makes around each test (flushing the live server's database) must still be allowed.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def browser(chromium_browser: Any) -> Any:
    return chromium_browser


@dataclass
class LoggedPage:
    """A Playwright page and every request it made, as "METHOD URL", with the failures."""

    page: Any
    origin: str
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def outside_requests(self) -> list[str]:
        return [r for r in self.requests if _origin(r.split(" ", 1)[1]) != self.origin]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def logged_page(browser: Any, live_server: Any) -> Iterator[LoggedPage]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    logged = LoggedPage(page=context.new_page(), origin=_origin(live_server.url))

    def route(route: Any) -> None:
        if _origin(route.request.url) == logged.origin or route.request.url.startswith("data:"):
            route.continue_()
        else:
            route.abort()  # logged by the "request" event; never sent

    context.route("**/*", route)
    context.on("request", lambda request: logged.requests.append(f"{request.method} {request.url}"))
    context.on(
        "requestfailed",
        lambda request: logged.failures.append(f"{request.method} {request.url}"),
    )
    context.on(
        "response",
        lambda response: (
            logged.failures.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    logged.page.set_default_timeout(60_000)  # a shared CI machine can be slow
    yield logged
    context.close()
