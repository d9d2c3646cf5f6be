"""Benchmark of the summary and trends endpoints on PostgreSQL behind gunicorn.

Data shapes and targets: ../shared/benchmarks.md. Two questions:
1. growing history: does the month summary (and the 12-month trend) slow down when the heavy
   user's history grows from 10,000 to 1,000,000 records, with 1,000,000 rows of other users
   beside it? Target: latency at 1M <= 1.5 x latency at 10k.
2. dense window: with 30,000 records in one month (360,000 over 12 months), how close is the
   API to the execution time of the same aggregate SQL run directly (EXPLAIN ANALYZE)?

Usage: python -m bench.summary_bench [--history 10000,1000000] [--others 1000000]
                                      [--requests 200] [--smoke]
"""

import argparse
import http.client
import io
import json
import os
import platform
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/fintrack_bench"
MEASURED_MONTH = (2026, 6)  # the heavy user's month under test
HISTORY_START = date(2023, 7, 1)  # three years of history around it
HISTORY_END = date(2026, 10, 31)
CATEGORIES = [
    ("income", "Salary"),
    ("income", "Freelance"),
    ("income", "Interest"),
    ("expense", "Rent"),
    ("expense", "Groceries"),
    ("expense", "Transport"),
    ("expense", "Restaurants"),
    ("expense", "Utilities"),
    ("expense", "Health"),
    ("expense", "Leisure"),
    ("expense", "Clothes"),
    ("expense", "Travel"),
]
PASSWORD = "bench-password-not-secret-1"


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


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("THROTTLE_AUTH_RATE", "100000/min")
    os.environ.setdefault("THROTTLE_USER_RATE", "10000000/hour")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


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
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE ledger_entry, ledger_category, goals_contribution, goals_goal, "
            "token_blacklist_blacklistedtoken, token_blacklist_outstandingtoken, "
            "accounts_user RESTART IDENTITY CASCADE"
        )


def make_user(username: str):  # type: ignore[no-untyped-def]
    from fintrack.accounts.models import User
    from fintrack.ledger.models import Category

    user = User(username=username, email=f"{username}@bench.invalid")
    user.set_password(PASSWORD)
    user.save()
    categories = Category.objects.bulk_create(
        [Category(user=user, kind=kind, name=name) for kind, name in CATEGORIES]
    )
    return user, categories


def copy_entries(rows_iter, total: int, label: str) -> None:  # type: ignore[no-untyped-def]
    """Bulk-load entries with COPY, in chunks, with a progress bar."""
    from django.db import connection

    columns = "(user_id, kind, amount, date, category_id, description, created_at, updated_at)"
    now = datetime.now(UTC).isoformat()
    done = 0
    chunk = io.StringIO()
    connection.ensure_connection()
    raw_connection = connection.connection
    with (
        raw_connection.cursor() as raw,
        raw.copy(f"COPY ledger_entry {columns} FROM STDIN") as copy,
    ):
        for user_id, kind, cents, day, category_id in rows_iter:
            chunk.write(f"{user_id}\t{kind}\t{cents}\t{day}\t{category_id}\tbench\t{now}\t{now}\n")
            done += 1
            if done % 50_000 == 0:
                copy.write(chunk.getvalue())
                chunk = io.StringIO()
                progress(done, total, label)
        copy.write(chunk.getvalue())
    progress(done, total, label)


def random_rows(
    rng: random.Random,
    user,
    categories,
    count: int,  # type: ignore[no-untyped-def]
    start: date,
    end: date,
    skip_month: tuple[int, int] | None = None,
):
    span = (end - start).days
    while count:
        day = start + timedelta(days=rng.randrange(span + 1))
        if skip_month and (day.year, day.month) == skip_month:
            continue
        kind, _name = CATEGORIES[rng.randrange(len(CATEGORIES))]
        category = categories[rng.randrange(len(categories))]
        if category.kind != kind:
            continue
        cents = rng.randrange(100, 500_000) if kind == "expense" else rng.randrange(10_000, 900_000)
        yield user.pk, kind, cents, day.isoformat(), category.pk
        count -= 1


def vacuum_analyze() -> None:
    from django.db import connection

    log("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE ledger_entry")
        cursor.execute("VACUUM ANALYZE ledger_category")
        cursor.execute("VACUUM ANALYZE goals_contribution")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with production settings on a loopback port."""

    def __init__(self, workers: int = 2) -> None:
        self.port = free_port()
        env = dict(os.environ)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
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
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _ = self.request("GET", "/api/health/")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not come up")

    def request(
        self, method: str, path: str, body: dict | None = None, token: str | None = None
    ) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Content-Type": "application/json"}
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


def sql_execution_ms(run_selector) -> float:  # type: ignore[no-untyped-def]
    """Sum of the EXPLAIN ANALYZE execution times of the SQL a selector runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run_selector()
    total = 0.0
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            total += plan[0]["Execution Time"]
    return total


def raw_sql_ms(sql: str, params: list, repeats: int = 20) -> float:  # type: ignore[type-arg]
    """Median EXPLAIN ANALYZE execution time of one SQL statement."""
    from django.db import connection

    def once() -> float:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            return plan[0]["Execution Time"]

    once()
    return round(statistics.median(once() for _ in range(repeats)), 3)


# The same aggregates computed straight from the records, without the per-day totals: what
# the database itself needs to sum the rows of the period (the "physical limit").
RAW_SUMMARY_SQL = """
    SELECT kind, category_id, SUM(amount), COUNT(*) FROM ledger_entry
    WHERE user_id = %s AND date BETWEEN %s AND %s GROUP BY kind, category_id
"""
RAW_TRENDS_SQL = """
    SELECT date_trunc('month', date), kind, SUM(amount) FROM ledger_entry
    WHERE user_id = %s AND date BETWEEN %s AND %s GROUP BY 1, 2
"""


def best_sql_ms(run_selector, repeats: int = 20) -> float:  # type: ignore[no-untyped-def]
    sql_execution_ms(run_selector)  # warm the buffers
    return round(statistics.median(sql_execution_ms(run_selector) for _ in range(repeats)), 3)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--history", default="10000,1000000", help="comma-separated history sizes of the heavy user"
    )
    parser.add_argument("--others", type=int, default=1_000_000, help="rows of other users")
    parser.add_argument("--dense", type=int, default=360_000, help="rows in the dense 12 months")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per scenario")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks that it runs")
    args = parser.parse_args()
    if args.smoke:
        args.history, args.others, args.dense, args.requests = "1000,3000", 2000, 3600, 20
    sizes = [int(size) for size in args.history.split(",")]

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    ensure_database(database_url)
    setup_django(database_url)
    from django.db import connection

    from fintrack.analytics import selectors
    from fintrack.core.periods import month_period

    rng = random.Random(20261124)
    log(f"database {database_url}")
    reset_data()
    heavy, heavy_categories = make_user("heavy")
    dense, dense_categories = make_user("dense")

    # Other users: the rows every query must skip.
    others = [make_user(f"other{index}") for index in range(20)]
    per_other = args.others // len(others)

    def other_rows():  # type: ignore[no-untyped-def]
        for user, categories in others:
            yield from random_rows(rng, user, categories, per_other, HISTORY_START, HISTORY_END)

    copy_entries(other_rows(), per_other * len(others), "other users")

    # The measured month: ~300 realistic records.
    month = month_period(*MEASURED_MONTH)
    copy_entries(
        random_rows(rng, heavy, heavy_categories, 300, month.start, month.end),
        300,
        "measured month",
    )

    # The dense window: 30,000 records a month over 12 months.
    dense_end = month_period(2025, 12)
    dense_start = month_period(2025, 1)
    copy_entries(
        random_rows(rng, dense, dense_categories, args.dense, dense_start.start, dense_end.end),
        args.dense,
        "dense window",
    )

    results: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "make bench-summary " + " ".join(sys.argv[1:]),
        "machine": {
            "cores": os.cpu_count(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
            "python": platform.python_version(),
            "postgresql": connection.cursor().connection.info.server_version,
        },
        "growing_history": [],
        "dense_window": {},
    }
    summary_path = f"/api/summary/?month={MEASURED_MONTH[0]}-{MEASURED_MONTH[1]:02d}"
    trends_path = f"/api/summary/trends/?months=12&end={MEASURED_MONTH[0]}-{MEASURED_MONTH[1]:02d}"

    loaded = 0
    for size in sizes:
        copy_entries(
            random_rows(
                rng,
                heavy,
                heavy_categories,
                size - loaded,
                HISTORY_START,
                HISTORY_END,
                skip_month=MEASURED_MONTH,
            ),
            size - loaded,
            f"heavy history to {size:,}",
        )
        loaded = size
        vacuum_analyze()
        connection.close()
        server = Server()
        try:
            token = server.token("heavy")
            row = {
                "history": size,
                "summary": measure(server, summary_path, token, args.requests),
                "trends": measure(server, trends_path, token, args.requests),
            }
        finally:
            server.stop()
        log(
            f"history {size:,}: summary p50 {row['summary']['p50_ms']} ms, "
            f"trends p50 {row['trends']['p50_ms']} ms"
        )
        results["growing_history"].append(row)

    first, last = results["growing_history"][0], results["growing_history"][-1]
    results["growing_history_ratio"] = {
        "summary": round(last["summary"]["p50_ms"] / first["summary"]["p50_ms"], 3),
        "trends": round(last["trends"]["p50_ms"] / first["trends"]["p50_ms"], 3),
        "target": 1.5,
    }

    server = Server()
    try:
        token = server.token("dense")
        dense_summary = measure(server, "/api/summary/?month=2025-06", token, args.requests)
        dense_trends = measure(
            server, "/api/summary/trends/?months=12&end=2025-12", token, args.requests
        )
    finally:
        server.stop()
    june = month_period(2025, 6)
    summary_sql = best_sql_ms(
        lambda: selectors.summary_for_period(
            user=dense, period=june, previous=june.previous_month()
        )
    )
    trends_sql = best_sql_ms(
        lambda: selectors.monthly_trends(user=dense, end_year=2025, end_month=12, months=12)
    )
    raw_summary = raw_sql_ms(RAW_SUMMARY_SQL, [dense.pk, june.previous_month().start, june.end])
    raw_trends = raw_sql_ms(RAW_TRENDS_SQL, [dense.pk, dense_start.start, dense_end.end])
    results["dense_window"] = {
        "rows_in_month": args.dense // 12,
        "rows_in_12_months": args.dense,
        "summary": {
            **dense_summary,
            "sql_ms": summary_sql,
            "ratio": round(dense_summary["p50_ms"] / summary_sql, 3),
            "raw_records_sql_ms": raw_summary,
            "ratio_to_raw": round(dense_summary["p50_ms"] / raw_summary, 3),
        },
        "trends": {
            **dense_trends,
            "sql_ms": trends_sql,
            "ratio": round(dense_trends["p50_ms"] / trends_sql, 3),
            "raw_records_sql_ms": raw_trends,
            "ratio_to_raw": round(dense_trends["p50_ms"] / raw_trends, 3),
        },
        "target": 1.5,
    }

    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "summary-smoke.json" if args.smoke else "summary.json"
    (RESULTS / name).write_text(json.dumps(results, indent=2) + "\n")
    print(render_table(results))
    errors = sum(
        row[k]["errors"] for row in results["growing_history"] for k in ("summary", "trends")
    )
    errors += dense_summary["errors"] + dense_trends["errors"]
    if errors:
        log(f"FAILED: {errors} non-200 answers")
        return 1
    return 0


def render_table(results: dict) -> str:
    lines = [
        "",
        "| scenario | history | p50 ms | p99 ms | errors |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in results["growing_history"]:
        for key in ("summary", "trends"):
            r = row[key]
            lines.append(
                f"| {key} | {row['history']:,} | {r['p50_ms']} | {r['p99_ms']} | {r['errors']} |"
            )
    ratio = results["growing_history_ratio"]
    lines.append(
        f"\ngrowing history ratio (p50 at largest / smallest): summary {ratio['summary']}, "
        f"trends {ratio['trends']} (target <= {ratio['target']})"
    )
    dense = results["dense_window"]
    for key in ("summary", "trends"):
        r = dense[key]
        lines.append(
            f"dense window {key}: API p50 {r['p50_ms']} ms; its own SQL {r['sql_ms']} ms "
            f"(ratio {r['ratio']}); the same aggregate over the raw records "
            f"{r['raw_records_sql_ms']} ms (ratio {r['ratio_to_raw']}, target <= {dense['target']})"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
