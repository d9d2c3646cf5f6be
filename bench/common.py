"""What fintrack's benchmarks share: the database, bulk loading with COPY, and gunicorn.

Both `make bench` (bench.api_bench) and `make bench-summary` (bench.summary_bench) load data
with PostgreSQL COPY into a database of their own, serve it with gunicorn under production
settings on a free loopback port, and write their figures under bench/results/ and into their
own section of docs/benchmarks.md.
"""

import http.client
import io
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

if TYPE_CHECKING:
    # Imported where used at run time: Django is set up first (setup_django).
    from fintrack.accounts.models import User
    from fintrack.ledger.models import Category

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOCS = ROOT / "docs" / "benchmarks.md"
LOCAL_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres"
MEASURED_MONTH = (2026, 6)  # the heavy user's month under test
HISTORY_START = date(2023, 7, 1)  # three years of history around it
HISTORY_END = date(2026, 10, 31)
# A dozen categories, each with the descriptions its records get (searched by `?search=`).
CATEGORIES = [
    ("income", "Salary", ("Monthly pay", "Salary", "Bonus")),
    ("income", "Freelance", ("Invoice paid", "Consulting", "Design job")),
    ("income", "Interest", ("Savings interest", "Dividend")),
    ("expense", "Rent", ("Rent", "Rent and charges")),
    ("expense", "Groceries", ("Supermarket", "Farmers market", "Bakery", "Butcher")),
    ("expense", "Transport", ("Metro pass", "Fuel", "Taxi", "Train ticket")),
    ("expense", "Restaurants", ("Lunch", "Dinner out", "Coffee", "Takeaway")),
    ("expense", "Utilities", ("Electricity", "Water", "Internet", "Phone")),
    ("expense", "Health", ("Pharmacy", "Doctor", "Dentist")),
    ("expense", "Leisure", ("Cinema", "Concert", "Books", "Streaming")),
    ("expense", "Clothes", ("Shoes", "Jacket", "Market stall")),
    ("expense", "Travel", ("Hotel", "Flight", "Car rental")),
]
PASSWORD = "bench-password-not-secret-1"

Row = tuple[int, str, int, str, int, str]  # user_id, kind, cents, date, category_id, description


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def progress(done: int, total: int, label: str) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    end = "\n" if done >= total else ""
    print(
        f"\r  {label} [{'#' * filled}{'.' * (width - filled)}] {done:>9,}/{total:,}",
        end=end,
        flush=True,
    )


def bench_database_url(name: str) -> str:
    """The database a benchmark wipes and fills: BENCH_DATABASE_URL if set, otherwise a
    database called `name` on the PostgreSQL server of DATABASE_URL (default: the local one).

    Never DATABASE_URL's own database: a benchmark truncates every table it touches.
    """
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        return explicit
    server = os.environ.get("DATABASE_URL") or LOCAL_SERVER_URL
    url = urlparse(server)
    if url.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(
            f"The benchmarks need PostgreSQL; DATABASE_URL is {url.scheme}://... "
            "Set DATABASE_URL (or BENCH_DATABASE_URL) to a postgres:// address."
        )
    return url._replace(path=f"/{name}").geturl()


def bench_environment(database_url: str) -> None:
    """The environment of the bench process and of the gunicorn it starts: production
    settings, the ceiling endpoint on, throttles out of the way, persistent connections."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["BENCH_CEILING"] = "1"
    # Out of the way, yet still run on every request, as in production. Per second: DRF keeps
    # every request's timestamp within the window and pickles the list on each request, so
    # an hour-long window grows it through a run (37,000 entries, 1.2 ms a request, by the
    # end of a make bench) and skews the later scenarios and the workers' memory.
    os.environ["THROTTLE_AUTH_RATE"] = "100000/s"
    os.environ["THROTTLE_USER_RATE"] = "1000000/s"
    os.environ["THROTTLE_LOGIN_FAILURE_RATE"] = "100000/s"
    os.environ["THROTTLE_IMPORT_RATE"] = "100000/s"
    os.environ["THROTTLE_EXPORT_RATE"] = "100000/s"
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def setup_django(database_url: str) -> None:
    bench_environment(database_url)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def open_bench_database(name: str, database_url: str | None = None) -> str:
    """The benchmark's database (`database_url`, or bench_database_url(name)), created if it
    is missing, with Django set up on it; returns its URL."""
    database_url = database_url or bench_database_url(name)
    ensure_database(database_url)
    setup_django(database_url)
    return database_url


def ensure_database(database_url: str) -> None:
    import psycopg

    url = urlparse(database_url)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def reset_data() -> None:
    """Migrate, then empty every table of fintrack's own apps (and the token blacklist).

    Found from the app registry rather than listed, so a new app's table cannot be forgotten:
    sync_change once was, and as its user_id is a plain column (no foreign key for CASCADE to
    follow), a second run on the same database met the first run's change numbers.
    """
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    tables = sorted(
        {
            model._meta.db_table
            for config in apps.get_app_configs()
            if config.name.startswith("fintrack.") or config.label == "token_blacklist"
            for model in config.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {', '.join(connection.ops.quote_name(t) for t in tables)} "
            "RESTART IDENTITY CASCADE"
        )


def make_user(username: str) -> "tuple[User, list[Category]]":
    """A user with the dozen categories; returns (user, categories in CATEGORIES order)."""
    from fintrack.accounts.models import User
    from fintrack.ledger.models import Category

    user = User(username=username, email=f"{username}@bench.invalid")
    user.set_password(PASSWORD)
    user.save()
    categories = Category.objects.bulk_create(
        [Category(user=user, kind=kind, name=name) for kind, name, _ in CATEGORIES]
    )
    return user, categories


def copy_rows(
    table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], total: int, label: str
) -> None:
    """Bulk-load `rows` into `table` with one COPY, with a progress bar.

    Values must hold no tab, newline or backslash (COPY's text format).
    """
    from django.db import connection

    done = 0
    chunk = io.StringIO()
    connection.ensure_connection()
    with (
        connection.connection.cursor() as raw,
        raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            chunk.write("\t".join(map(str, row)) + "\n")
            done += 1
            if done % 50_000 == 0:
                copy.write(chunk.getvalue())
                chunk = io.StringIO()
                progress(done, total, label)
        copy.write(chunk.getvalue())
    if done % 50_000 or not done:  # else the loop has just drawn it
        progress(done, total, label)


def copy_entries(rows: Iterable[Row], total: int, label: str) -> None:
    """Bulk-load ledger entries; the triggers keep ledger_dailytotal in step, per statement."""
    now = datetime.now(UTC).isoformat()
    copy_rows(
        "ledger_entry",
        ("user_id", "kind", "amount", "date", "category_id", "description", "created_at")
        + ("updated_at",),
        ((*row, now, now) for row in rows),
        total,
        label,
    )


def random_rows(
    rng: random.Random,
    user: "User",
    categories: "Sequence[Category]",
    count: int,
    start: date,
    end: date,
    skip_month: tuple[int, int] | None = None,
) -> Iterator[Row]:
    """`count` records spread uniformly over the days from `start` to `end` and over the
    categories, with realistic amounts and descriptions."""
    span = (end - start).days
    while count:
        day = start + timedelta(days=rng.randrange(span + 1))
        if skip_month and (day.year, day.month) == skip_month:
            continue
        index = rng.randrange(len(CATEGORIES))
        kind, _name, descriptions = CATEGORIES[index]
        cents = rng.randrange(100, 500_000) if kind == "expense" else rng.randrange(10_000, 900_000)
        description = descriptions[rng.randrange(len(descriptions))]
        yield user.pk, kind, cents, day.isoformat(), categories[index].pk, description
        count -= 1


OTHER_USERS = 20


def load_other_users(rng: random.Random, total: int) -> list[tuple[Any, Any]]:
    """Twenty other users sharing `total` records over the history: the rows every query of
    the measured users must skip. Returns each one's (user, categories)."""
    others = [make_user(f"other{index:02d}") for index in range(OTHER_USERS)]
    per_other = total // len(others)

    def rows() -> Iterator[Row]:
        for user, categories in others:
            yield from random_rows(rng, user, categories, per_other, HISTORY_START, HISTORY_END)

    copy_entries(rows(), per_other * len(others), "other users' records")
    return others


def vacuum_analyze() -> None:
    from django.db import connection

    log("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        for table in ("ledger_entry", "ledger_dailytotal", "ledger_category"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        for table in ("goals_goal", "goals_contribution", "accounts_user"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with production settings on a free loopback port (the environment of
    bench_environment: ceiling on, throttles out of the way)."""

    def __init__(self, workers: int = 2, root: Path = ROOT) -> None:
        """`root`: the source tree to serve (another commit's, for an A/B comparison), run
        with this very virtualenv."""
        self.port = free_port()
        self.workers = workers
        env = dict(os.environ)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=root,
            env=env,
            check=True,
        )
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--no-control-socket",
                "--log-level",
                "warning",
            ],
            cwd=root,
            env=env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited at start")
            try:
                status, _ = self.request("GET", "/api/health/")
                if status == 200 and len(self.worker_pids()) == workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not come up")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        token: str | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Content-Type": "application/json", **(extra_headers or {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=json.dumps(body) if body else None, headers=headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, data

    def token(self, username: str) -> str:
        status, data = self.request(
            "POST", "/api/token/", {"username": username, "password": PASSWORD}
        )
        assert status == 200, data
        return json.loads(data)["access"]

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the children of the master process."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return sorted(int(pid) for pid in children.read_text().split())
        except OSError:
            return []

    def worker_rss_kib(self) -> list[int]:
        """Resident memory (VmRSS, KiB) of each worker, in pid order."""
        sizes = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
            sizes.append(int(match.group(1)) if match else 0)
        return sizes

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def measure(server: Server, path: str, token: str, requests: int) -> dict:
    """Sequential requests on one keep-alive connection: latency, not throughput."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Authorization": f"Bearer {token}"}
    latencies = []
    errors = 0
    for index in range(requests + 10):
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            errors += 1
        if response.will_close:
            conn.close()
        if index >= 10:  # the first ten warm caches and connections
            latencies.append(elapsed * 1000)
    conn.close()
    latencies.sort()
    return {
        "path": path,
        "requests": requests,
        "errors": errors,
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2),
        "mean_ms": round(statistics.fmean(latencies), 2),
    }


def machine_info() -> dict[str, Any]:
    """Cores, memory and versions, for the record of a run."""
    import django
    import gunicorn
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgresql = cursor.fetchone()[0].split()[0]
    cpu = ""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
        cpu = match.group(1).strip() if match else ""
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "postgresql": postgresql,
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def publish_results(
    name: str, results: dict[str, Any], table: str, docs: tuple[str, str] | None = None
) -> None:
    """Write bench/results/<name>, print the table and, given `docs` (a section of
    docs/benchmarks.md and its markdown), rewrite that section."""
    write_results(name, results)
    print(table)
    if docs is not None:
        update_docs_section(*docs)


def write_results(name: str, results: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(results, indent=2) + "\n")
    return path


DOCS_HEADER = """# Benchmarks

Figures from `make bench` (every endpoint, against the stack's own ceiling) and from
`make bench-summary` (summary and trends), on PostgreSQL behind gunicorn with production
settings. The targets are defined in `../shared/benchmarks.md`. The sections between the
`BEGIN`/`END` markers are written by the benchmarks themselves; the rest by hand.
"""


def update_docs_section(name: str, markdown: str) -> None:
    """Replace the section `name` of docs/benchmarks.md (between its BEGIN/END markers),
    appending it when it is not there yet; hand-written text around it is kept."""
    begin, end = f"<!-- BEGIN {name} (written by the benchmark) -->", f"<!-- END {name} -->"
    block = f"{begin}\n{markdown.strip()}\n{end}"
    text = DOCS.read_text() if DOCS.exists() else DOCS_HEADER
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text)
