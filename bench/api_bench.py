"""`make bench`: every endpoint on PostgreSQL behind gunicorn, against the stack's own ceiling.

Data shapes and targets: ../shared/benchmarks.md. The data set: twenty other users sharing
--others rows (default 1,000,000); a heavy user with --records rows (default 1,000,000) over
three years and a dozen categories, plus the measured month (June 2026) of ~300 records; a
baseline user with the very same measured month and --baseline rows (default 10,000) around
it; goals with contributions for everyone. All of it bulk-loaded with COPY.

The two history sizes live side by side and every scenario runs at both sizes back to back,
in rounds whose order alternates, so that the scaling ratio (latency at 1,000,000 / latency
at 10,000) is measured in the same minutes on this shared, noisy machine. wrk drives each
scenario (bench/wrk/fintrack.lua); each round also measures the ceiling, a fixed list-sized
answer behind the same gunicorn, middleware, JWT authentication and throttles
(BENCH_CEILING), and every throughput is reported as a ratio to it. Worker memory (VmRSS) is
read before and after every scenario, and after the first and the last 1,000 requests of
the run.

Usage: python -m bench.api_bench [--records 1000000] [--baseline 10000] [--others 1000000]
                                 [--duration 10] [--connections 8] [--threads 2]
                                 [--rounds 3] [--workers 2] [--scenarios list,summary]
                                 [--keep-data] [--smoke]
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from .common import (
    CATEGORIES,
    HISTORY_END,
    HISTORY_START,
    MEASURED_MONTH,
    ROOT,
    Server,
    bench_database_url,
    copy_entries,
    copy_rows,
    ensure_database,
    log,
    machine_info,
    make_user,
    random_rows,
    reset_data,
    setup_django,
    update_docs_section,
    vacuum_analyze,
    write_results,
)

LUA_SCRIPT = ROOT / "bench" / "wrk" / "fintrack.lua"
MONTH = f"{MEASURED_MONTH[0]}-{MEASURED_MONTH[1]:02d}"
MONTH_RECORDS = 300
CREATE_MARKER = "bench create"
MEMORY_REQUESTS = 1000  # "the first and the last thousand requests"
SEED = 20261124


@dataclass(frozen=True)
class Client:
    """A user the scenarios act as: their token and one of their records to read."""

    username: str
    records: int
    token: str
    entry_id: int


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    plan: Callable[[Client], list[str]]  # the wrk plan lines: "METHOD PATH [BODY]"
    expected_status: int = 200
    per_size: bool = True  # False: independent of the user's history (the ceiling)


def _create_lines(client: Client) -> list[str]:
    expense_categories = [name for kind, name, _ in CATEGORIES if kind == "expense"]
    return [
        "POST /api/expenses/ "
        + json.dumps(
            {
                "amount": f"{12 + index}.34",
                "date": f"2024-03-{index + 1:02d}",  # outside the measured month
                "category": name,
                "description": CREATE_MARKER,
            },
            separators=(",", ":"),
        )
        for index, name in enumerate(expense_categories)
    ]


SCENARIOS = [
    Scenario(
        "ceiling",
        "ceiling: a fixed list page, no work of fintrack's own",
        lambda c: ["GET /api/bench/ceiling/"],
        per_size=False,
    ),
    Scenario(
        "list",
        "list: a month, page of 50",
        lambda c: [f"GET /api/expenses/?month={MONTH}"],
    ),
    Scenario(
        "list_filtered",
        "list: category + amount + search filters, whole history",
        lambda c: ["GET /api/expenses/?category=groceries&min_amount=20&search=market"],
    ),
    Scenario("read", "read one record", lambda c: [f"GET /api/expenses/{c.entry_id}/"]),
    Scenario("create", "create a record", _create_lines, expected_status=201),
    Scenario("summary", "month summary", lambda c: [f"GET /api/summary/?month={MONTH}"]),
    Scenario(
        "trends", "12-month trends", lambda c: [f"GET /api/summary/trends/?months=12&end={MONTH}"]
    ),
    Scenario("goals", "goals list", lambda c: ["GET /api/goals/"]),
]
SCENARIO_BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}

# ../shared/benchmarks.md and the issue.
CEILING_RATIO_TARGET = {"list": 0.6}  # requests/s at the largest size / the ceiling's
SCALING_TARGET = {"list": 1.2, "summary": 1.5, "trends": 1.5}  # p50 largest / p50 smallest
MEMORY_TARGET = 1.1  # worker RSS after the last 1,000 requests / after the first 1,000


# --- data -------------------------------------------------------------------------------------


def loaded_users(args: argparse.Namespace) -> dict[str, Any] | None:
    """The users of an earlier load of the same sizes, if the database holds one."""
    from django.db import ProgrammingError
    from django.db.models import Count

    from fintrack.accounts.models import User
    from fintrack.ledger.models import Entry

    try:
        users = {user.username: user for user in User.objects.filter(username__in=ROLES)}
        counts = dict(
            Entry.objects.filter(user__in=users.values())
            .values_list("user__username")
            .annotate(Count("id"))
        )
        others = Entry.objects.filter(user__username__startswith="other").count()
    except ProgrammingError:  # not migrated yet
        return None
    expected = {"baseline": args.baseline, "heavy": args.records}
    if others != args.others // 20 * 20 or set(users) != set(ROLES):
        return None
    if any(counts.get(role) != size + MONTH_RECORDS for role, size in expected.items()):
        return None
    return {role: (users[role], expected[role]) for role in ROLES}


ROLES = ("baseline", "heavy")


def load_data(args: argparse.Namespace) -> dict[str, Any]:
    """Wipe the bench database and bulk-load the data set; returns the users by role."""
    from fintrack.core.periods import month_period

    rng = random.Random(SEED)
    reset_data()
    month = month_period(*MEASURED_MONTH)

    others = [make_user(f"other{index:02d}") for index in range(20)]
    per_other = args.others // len(others)

    def other_rows():  # type: ignore[no-untyped-def]
        for user, categories in others:
            yield from random_rows(rng, user, categories, per_other, HISTORY_START, HISTORY_END)

    copy_entries(other_rows(), per_other * len(others), "other users' records")

    users = {}
    for role, history in (("baseline", args.baseline), ("heavy", args.records)):
        user, categories = make_user(role)
        users[role] = (user, history)
        # The same month for both: the same seed gives the same records.
        copy_entries(
            random_rows(random.Random(SEED + 1), user, categories, MONTH_RECORDS, *_span(month)),
            MONTH_RECORDS,
            f"{role}: the measured month",
        )
        copy_entries(
            random_rows(
                rng,
                user,
                categories,
                history,
                HISTORY_START,
                HISTORY_END,
                skip_month=MEASURED_MONTH,
            ),
            history,
            f"{role}: history",
        )

    goals = [(user, 12, 36) for user, _ in users.values()]
    goals += [(user, 3, 36) for user, _ in others]
    load_goals(rng, goals)
    vacuum_analyze()
    return users


def _span(period: Any) -> tuple[date, date]:
    return period.start, period.end


def load_goals(rng: random.Random, plan: list[tuple[Any, int, int]]) -> None:
    """Goals for each (user, goals, contributions per goal), contributions bulk-loaded."""
    from fintrack.goals.models import Goal

    names = ["Holiday", "Laptop", "Emergency fund", "Car", "Wedding", "Bike", "House deposit"]
    names += ["Piano", "Sabbatical", "Kitchen", "Camera", "Garden"]
    goals = Goal.objects.bulk_create(
        Goal(
            user=user,
            name=names[index],
            target_amount=rng.randrange(500, 30_000),
            target_date=None if index % 3 == 0 else date(2027, 1 + index % 12, 28),
        )
        for user, count, _ in plan
        for index in range(count)
    )
    per_goal = {goal.pk: contributions for (goal, contributions) in _per_goal(goals, plan)}
    total = sum(per_goal.values())
    now = datetime.now(UTC).isoformat()

    def rows():  # type: ignore[no-untyped-def]
        for goal_id, count in per_goal.items():
            for month in range(count):
                day = HISTORY_START + timedelta(days=30 * month + rng.randrange(28))
                yield goal_id, rng.randrange(1_000, 40_000), day.isoformat(), "saving", now

    copy_rows(
        "goals_contribution",
        ("goal_id", "amount", "date", "note", "created_at"),
        rows(),
        total,
        "goal contributions",
    )


def _per_goal(goals: list[Any], plan: list[tuple[Any, int, int]]) -> list[tuple[Any, int]]:
    pairs = []
    iterator = iter(goals)
    for _user, count, contributions in plan:
        pairs.extend((next(iterator), contributions) for _ in range(count))
    return pairs


def delete_created_records() -> None:
    """The create scenario's records go again, so the history sizes stay what they say."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_entry WHERE description = %s", [CREATE_MARKER])


# --- load generation --------------------------------------------------------------------------


def run_wrk(
    server: Server,
    lines: list[str],
    token: str,
    args: argparse.Namespace,
) -> dict[str, Any]:
    """One wrk run of --duration seconds over the plan `lines`."""
    with tempfile.TemporaryDirectory(prefix="fintrack-bench-") as folder:
        plan = Path(folder) / "plan.txt"
        report = Path(folder) / "report.json"
        plan.write_text("\n".join([token, *lines]) + "\n")
        env = {**os.environ, "BENCH_WRK_PLAN": str(plan), "BENCH_WRK_REPORT": str(report)}
        command = [
            "wrk",
            f"--threads={args.threads}",
            f"--connections={args.connections}",
            f"--duration={args.duration}s",
            "--timeout=10s",
            f"--script={LUA_SCRIPT}",
            server.url,
        ]
        completed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        if completed.returncode != 0 or not report.exists():
            raise RuntimeError(f"wrk failed: {completed.stderr or completed.stdout}")
        result = json.loads(report.read_text())
    errors = result["errors"]
    result["non_2xx_or_failed"] = sum(errors.values())
    return result


def check_plan(server: Server, lines: list[str], token: str, expected: int) -> None:
    """Each request of a plan once, before any load: the status must be the expected one."""
    for line in lines:
        method, path, *body = line.split(" ", 2)
        status, data = server.request(
            method, path, json.loads(body[0]) if body else None, token=token
        )
        if status != expected:
            raise RuntimeError(f"{method} {path} answered {status}, not {expected}: {data[:300]!r}")


def run_scenario(
    server: Server, scenario: Scenario, client: Client, args: argparse.Namespace
) -> dict[str, Any]:
    lines = scenario.plan(client)
    check_plan(server, lines, client.token, scenario.expected_status)
    rss_before = server.worker_rss_kib()
    result = run_wrk(server, lines, client.token, args)
    rss_after = server.worker_rss_kib()
    if scenario.name == "create":
        delete_created_records()
    latency = result["latency_ms"]
    return {
        "requests": result["requests"],
        "requests_per_second": round(result["requests_per_second"], 1),
        "p50_ms": round(latency["50"], 2),
        "p99_ms": round(latency["99"], 2),
        "errors": result["non_2xx_or_failed"],
        "error_detail": result["errors"],
        "rss_kib_before": rss_before,
        "rss_kib_after": rss_after,
    }


def memory_phase(server: Server, clients: list[Client], args: argparse.Namespace) -> dict:  # type: ignore[type-arg]
    """Exactly --memory-requests requests, cycling through every scenario as each user, from
    as many client threads as wrk has connections; the workers' RSS after them.

    Not wrk: it can only stop a thread after a count, and the connections such a thread
    leaves open hold gunicorn's sync workers until they time out and are killed.
    """
    work = [
        (client, line)
        for client in clients
        for scenario in SCENARIOS
        if scenario.per_size
        for line in scenario.plan(client)
    ]
    jobs = [work[index % len(work)] for index in range(args.memory_requests)]
    failures: list[str] = []

    def send(share: list[tuple[Client, str]]) -> None:
        for client, line in share:
            method, path, *body = line.split(" ", 2)
            status, _ = server.request(
                method, path, json.loads(body[0]) if body else None, token=client.token
            )
            if not 200 <= status < 300:
                failures.append(f"{method} {path}: {status}")

    threads = [
        threading.Thread(target=send, args=(jobs[index :: args.connections],))
        for index in range(args.connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    delete_created_records()
    return {
        "requests": len(jobs),
        "errors": len(failures),
        "rss_kib": server.worker_rss_kib(),
        "worker_pids": server.worker_pids(),
    }


# --- queries and plans ------------------------------------------------------------------------


def sql_profile(path: str, token: str) -> dict[str, Any]:
    """The SQL one request runs (through the real view, in this process), each statement's
    EXPLAIN ANALYZE execution time, and the plan of the slowest."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    client = DjangoClient(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get(path, SERVER_NAME="127.0.0.1")  # warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, SERVER_NAME="127.0.0.1")
    assert response.status_code == 200, response.content[:300]
    statements = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            timings = []
            for _ in range(3):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                timings.append(plan[0]["Execution Time"])
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + query["sql"])
            text = "\n".join(row[0] for row in cursor.fetchall())
            statements.append(
                {"sql": query["sql"], "execution_ms": round(min(timings), 3), "plan": text}
            )
    return {
        "queries": len(statements),
        "sql_ms": round(sum(s["execution_ms"] for s in statements), 3),
        "statements": statements,
    }


# --- the run ----------------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    subprocess.run(["bash", str(ROOT / "bench" / "install-wrk.sh")], check=True)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed")

    database_url = bench_database_url("fintrack_bench_api" + ("_smoke" if args.smoke else ""))
    ensure_database(database_url)
    setup_django(database_url)
    from django.db import connection

    from fintrack.core.periods import month_period
    from fintrack.ledger.models import Entry

    log(f"database {database_url.rsplit('/', 1)[-1]} on {database_url.split('@')[-1]}")
    users = loaded_users(args) if args.keep_data else None
    if users is None:
        users = load_data(args)
    else:
        log("--keep-data: the database already holds these sizes; not reloading")
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    machine = machine_info()
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    machine["wrk"] = (wrk_version.stdout or wrk_version.stderr).split(" [")[0].strip()
    connection.close()

    server = Server(workers=args.workers)
    month = month_period(*MEASURED_MONTH)
    try:
        clients = []
        for role in ("baseline", "heavy"):
            user, history = users[role]
            first = (
                Entry.objects.filter(user=user, kind="expense", date__range=_span(month))
                .order_by("-date", "-id")
                .values_list("id", flat=True)
                .first()
            )
            clients.append(Client(role, history, server.token(role), first))
        baseline, heavy = clients

        log(f"memory: the first {args.memory_requests:,} requests")
        first_thousand = memory_phase(server, clients, args)
        runs: dict[str, dict[int, list[dict]]] = {s.name: {} for s in SCENARIOS}  # type: ignore[type-arg]
        for round_index in range(args.rounds):
            order = clients if round_index % 2 == 0 else clients[::-1]
            log(f"round {round_index + 1}/{args.rounds}")
            for scenario in args.selected:
                for client in order if scenario.per_size else [heavy]:
                    row = run_scenario(server, scenario, client, args)
                    row["round"] = round_index + 1
                    key = client.records if scenario.per_size else 0
                    runs[scenario.name].setdefault(key, []).append(row)
                    log(
                        f"  {scenario.name:<14} {key:>9,}: {row['requests_per_second']:>8.1f} "
                        f"req/s, p50 {row['p50_ms']:>7.2f} ms, p99 {row['p99_ms']:>7.2f} ms, "
                        f"errors {row['errors']}"
                    )
        log(f"memory: the last {args.memory_requests:,} requests")
        last_thousand = memory_phase(server, clients, args)
    finally:
        server.stop()

    sql = {}
    for scenario in args.selected:
        if scenario.per_size and scenario.expected_status == 200:
            sql[scenario.name] = {
                str(client.records): sql_profile(
                    scenario.plan(client)[0].split(" ")[1], client.token
                )
                for client in clients
            }

    results = summarise(args, machine, clients, runs, sql, first_thousand, last_thousand)
    complete = len(args.selected) == len(SCENARIOS)
    name = "api-smoke" if args.smoke else "api" if complete else "api-partial"
    write_results(f"{name}.json", results)
    table = render_table(results)
    print(table)
    if not args.smoke and complete:
        update_docs_section("bench", render_docs(results))
    errors = results["errors"]
    if errors:
        log(f"FAILED: {errors} answers were not 2xx (or failed)")
        return 1
    log("no errors")
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=1_000_000, help="the heavy user's history")
    parser.add_argument("--baseline", type=int, default=10_000, help="the baseline's history")
    parser.add_argument("--others", type=int, default=1_000_000, help="other users' records")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over every scenario")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn")
    parser.add_argument("--memory-requests", type=int, default=MEMORY_REQUESTS)
    parser.add_argument(
        "--scenarios",
        default=",".join(SCENARIO_BY_NAME),
        help="comma-separated subset (the ceiling always runs); a subset writes "
        "bench/results/api-partial.json and leaves the docs alone",
    )
    parser.add_argument(
        "--keep-data",
        action="store_true",
        help="reuse the loaded data when the database holds the same sizes",
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, 2 s per scenario")
    args = parser.parse_args()
    if args.smoke:
        args.records, args.baseline, args.others = 3000, 1000, 2000
        args.duration, args.rounds, args.memory_requests = 2, 1, 200
    names = {"ceiling", *args.scenarios.split(",")}
    unknown = names - set(SCENARIO_BY_NAME)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    args.selected = [scenario for scenario in SCENARIOS if scenario.name in names]
    args.argv = sys.argv[1:]
    return args


# --- figures ----------------------------------------------------------------------------------


def _median(rows: list[dict], key: str) -> float:  # type: ignore[type-arg]
    return round(statistics.median(row[key] for row in rows), 2)


def summarise(
    args: argparse.Namespace,
    machine: dict[str, Any],
    clients: list[Client],
    runs: dict[str, dict[int, list[dict]]],  # type: ignore[type-arg]
    sql: dict[str, Any],
    first_thousand: dict,  # type: ignore[type-arg]
    last_thousand: dict,  # type: ignore[type-arg]
) -> dict[str, Any]:
    small, large = clients[0].records, clients[1].records
    ceiling_by_round = {row["round"]: row["requests_per_second"] for row in runs["ceiling"][0]}
    scenarios: dict[str, Any] = {}
    for scenario in args.selected:
        by_size = {}
        for size, rows in runs[scenario.name].items():
            ratios = [row["requests_per_second"] / ceiling_by_round[row["round"]] for row in rows]
            by_size[str(size)] = {
                "requests_per_second": _median(rows, "requests_per_second"),
                "p50_ms": _median(rows, "p50_ms"),
                "p99_ms": _median(rows, "p99_ms"),
                "errors": sum(row["errors"] for row in rows),
                "ratio_to_ceiling": round(statistics.median(ratios), 3),
                "rss_mib_before": round(sum(rows[0]["rss_kib_before"]) / 1024, 1),
                "rss_mib_after": round(sum(rows[-1]["rss_kib_after"]) / 1024, 1),
                "runs": rows,
            }
            if scenario.name in sql and str(size) in sql[scenario.name]:
                profile = sql[scenario.name][str(size)]
                by_size[str(size)]["queries"] = profile["queries"]
                by_size[str(size)]["sql_ms"] = profile["sql_ms"]
        entry: dict[str, Any] = {
            "title": scenario.title,
            "request": scenario.plan(clients[1])[0],
            "by_records": by_size,
        }
        if scenario.per_size:
            # Paired within each round (the two sizes ran back to back), then the median.
            pairs = list(zip(runs[scenario.name][small], runs[scenario.name][large], strict=True))
            entry["scaling"] = {
                "p50_ratio": round(
                    statistics.median(high["p50_ms"] / low["p50_ms"] for low, high in pairs), 3
                ),
                "requests_per_second_ratio": round(
                    statistics.median(
                        high["requests_per_second"] / low["requests_per_second"]
                        for low, high in pairs
                    ),
                    3,
                ),
                "per_round_p50_ratios": [
                    round(high["p50_ms"] / low["p50_ms"], 3) for low, high in pairs
                ],
                "target_p50_ratio": SCALING_TARGET.get(scenario.name),
            }
            entry["target_ratio_to_ceiling"] = CEILING_RATIO_TARGET.get(scenario.name)
        scenarios[scenario.name] = entry

    memory = {
        "requests_each": args.memory_requests,
        "rss_kib_after_first": first_thousand["rss_kib"],
        "rss_kib_after_last": last_thousand["rss_kib"],
        "ratio": round(sum(last_thousand["rss_kib"]) / sum(first_thousand["rss_kib"]), 3),
        # A worker replaced in between (a timeout, a crash) would make the ratio meaningless.
        "same_workers": first_thousand["worker_pids"] == last_thousand["worker_pids"],
        "target": MEMORY_TARGET,
        "errors": first_thousand["errors"] + last_thousand["errors"],
    }
    errors = memory["errors"] + sum(
        size["errors"] for entry in scenarios.values() for size in entry["by_records"].values()
    )
    targets = []
    for name, target in CEILING_RATIO_TARGET.items():
        if name not in scenarios:
            continue
        value = scenarios[name]["by_records"][str(large)]["ratio_to_ceiling"]
        targets.append(
            _target(f"{name}: requests/s at {large:,} ÷ the ceiling's", value, ">=", target)
        )
    for name, target in SCALING_TARGET.items():
        if name not in scenarios:
            continue
        value = scenarios[name]["scaling"]["p50_ratio"]
        targets.append(_target(f"{name}: p50 at {large:,} ÷ p50 at {small:,}", value, "<=", target))
    requests = f"{args.memory_requests:,}"
    targets.append(
        _target(f"worker RSS, last ÷ first {requests} requests", memory["ratio"], "<=", 1.1)
    )
    replaced = 0 if memory["same_workers"] else 1
    targets.append(_target("gunicorn workers replaced during the run", replaced, "<=", 0))
    targets.append(_target("non-2xx answers, every scenario", errors, "<=", 0))
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "make bench" + (f" BENCH_ARGS='{' '.join(args.argv)}'" if args.argv else ""),
        "machine": machine,
        "settings": {
            "records": large,
            "baseline_records": small,
            "measured_month": MONTH,
            "measured_month_records": MONTH_RECORDS,
            "other_users_records": args.others,
            "wrk": f"-t {args.threads} -c {args.connections} -d {args.duration}s",
            "rounds": args.rounds,
            "gunicorn_workers": args.workers,
            "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
        },
        "scenarios": scenarios,
        "memory": memory,
        "targets": targets,
        "errors": errors,
        "sql": sql,
    }


def _target(figure: str, value: float, op: str, target: float) -> dict[str, Any]:
    met = value >= target if op == ">=" else value <= target
    return {"figure": figure, "value": value, "target": f"{op} {target}", "met": met}


def render_table(results: dict[str, Any]) -> str:
    lines = [
        "",
        "| scenario | records | req/s | p50 ms | p99 ms | errors | ÷ ceiling | queries "
        "| SQL ms | worker RSS MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, entry in results["scenarios"].items():
        for size, row in entry["by_records"].items():
            records = f"{int(size):,}" if int(size) else "-"
            lines.append(
                f"| {name} | {records} | {row['requests_per_second']:,.0f} | {row['p50_ms']} | "
                f"{row['p99_ms']} | {row['errors']} | {row['ratio_to_ceiling']:.2f} | "
                f"{row.get('queries', '-')} | {row.get('sql_ms', '-')} | "
                f"{row['rss_mib_before']} → {row['rss_mib_after']} |"
            )
    return "\n".join(lines) + "\n\n" + render_targets(results)


def render_targets(results: dict[str, Any]) -> str:
    lines = ["| target | value | target | met |", "| --- | ---: | ---: | --- |"]
    for target in results["targets"]:
        met = "yes" if target["met"] else "**no**"
        lines.append(f"| {target['figure']} | {target['value']} | {target['target']} | {met} |")
    return "\n".join(lines)


def render_docs(results: dict[str, Any]) -> str:
    machine, settings = results["machine"], results["settings"]
    lines = [
        "## `make bench`: every endpoint against the ceiling",
        "",
        f"Run {results['date']} with `{results['command']}` on {machine['cores']} cores "
        f"({machine['cpu']}), {machine['memory_gib']} GiB, {machine['os']}; PostgreSQL "
        f"{machine['postgresql']}, Python {machine['python']}, Django {machine['django']}, "
        f"gunicorn {machine['gunicorn']} ({settings['gunicorn_workers']} sync workers), "
        f"{machine.get('wrk', 'wrk')} `{settings['wrk']}`, {settings['rounds']} rounds "
        "(medians). Load average at the start "
        f"{machine['load_average']}, at the end {settings['load_average_at_end']}. "
        "Results: `bench/results/api.json`.",
        "",
        f"Data: the heavy user has {settings['records']:,} records over three years and a dozen "
        f"categories, the baseline user {settings['baseline_records']:,}; both have the same "
        f"measured month ({settings['measured_month']}, {settings['measured_month_records']} "
        f"records) and goals with contributions; {settings['other_users_records']:,} records of "
        "twenty other users sit beside them. `queries` and `SQL ms` are the statements one "
        "request runs and the sum of their EXPLAIN ANALYZE execution times.",
    ]
    for entry in results["scenarios"].values():
        lines += [
            "",
            f"### {entry['title']}",
            "",
            f"`{entry['request'][:160]}`",
            "",
            "| records | req/s | p50 ms | p99 ms | errors | ÷ ceiling | queries | SQL ms "
            "| worker RSS MiB (before → after) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for size, row in entry["by_records"].items():
            records = f"{int(size):,}" if int(size) else "-"
            lines.append(
                f"| {records} | {row['requests_per_second']:,.0f} | {row['p50_ms']} | "
                f"{row['p99_ms']} | {row['errors']} | {row['ratio_to_ceiling']:.2f} | "
                f"{row.get('queries', '-')} | {row.get('sql_ms', '-')} | "
                f"{row['rss_mib_before']} → {row['rss_mib_after']} |"
            )
        if "scaling" in entry:
            scaling = entry["scaling"]
            target = scaling["target_p50_ratio"]
            verdict = (
                f" (target ≤ {target}: {'met' if scaling['p50_ratio'] <= target else 'missed'})"
                if target
                else " (no target)"
            )
            lines += [
                "",
                f"Scaling, largest ÷ smallest history (median of the rounds' paired ratios "
                f"{scaling['per_round_p50_ratios']}): p50 × {scaling['p50_ratio']}{verdict}; "
                f"requests/s × {scaling['requests_per_second_ratio']}.",
            ]
    memory = results["memory"]
    lines += [
        "",
        "### Worker memory",
        "",
        f"VmRSS of the gunicorn workers after the first {memory['requests_each']:,} requests "
        f"of the run: {[round(k / 1024, 1) for k in memory['rss_kib_after_first']]} MiB; after "
        f"the last {memory['requests_each']:,}: "
        f"{[round(k / 1024, 1) for k in memory['rss_kib_after_last']]} MiB; ratio "
        f"{memory['ratio']} (target ≤ {memory['target']}); "
        + (
            "the same workers throughout."
            if memory["same_workers"]
            else "**a worker was replaced in between: the ratio means nothing.**"
        ),
        "",
        "### Targets",
        "",
        render_targets(results),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
