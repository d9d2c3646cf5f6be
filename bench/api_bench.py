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

Then the A/B phase: the ceiling, GET /api/me/ and create served by this tree and by an earlier
commit (--ab-base, by default the one before the fixed cost of a request was cut), two
gunicorns side by side on the same data, alternating; the ratio of their requests/s.

Usage: python -m bench.api_bench [--records 1000000] [--baseline 10000] [--others 1000000]
                                 [--duration 10] [--connections 8] [--threads 2]
                                 [--rounds 3] [--workers 2] [--scenarios list,summary]
                                 [--ab-base COMMIT|none] [--ab-rounds 3]
                                 [--keep-data] [--smoke]
"""

import argparse
import dataclasses
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from .common import (
    CATEGORIES,
    HISTORY_END,
    HISTORY_START,
    MEASURED_MONTH,
    ROOT,
    Server,
    copy_entries,
    copy_rows,
    load_other_users,
    log,
    machine_info,
    make_user,
    open_bench_database,
    publish_results,
    random_rows,
    reset_data,
    vacuum_analyze,
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
    # A floor under --duration: a request that takes seconds needs a window of several.
    min_duration: int = 0
    # The plan as it must be just before the run, from the server's state (an ETag, a sync
    # cursor); `plan` then only describes it for the report.
    prepare: Callable[[Server, Client], list[str]] | None = None


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


BULK_RECORDS = 500
TAG = "trip"
TAGGED_EVERY = 10  # one expense in ten carries the tag, over the whole history
# A dozen budgets: the nine expense categories of bench.common and three without records; the
# even ones roll over since the first month of the history.
BUDGET_CATEGORIES = [name for kind, name, _ in CATEGORIES if kind == "expense"]
BUDGET_CATEGORIES += ["Gifts", "Education", "Pets"]


def _bulk_lines(client: Client) -> list[str]:
    expense_categories = [name for kind, name, _ in CATEGORIES if kind == "expense"]
    records = [
        {
            "amount": f"{3 + index % 200}.{index % 100:02d}",
            "date": f"2024-03-{1 + index % 28:02d}",  # outside the measured month
            "category": expense_categories[index % len(expense_categories)],
            "description": CREATE_MARKER,
            "tags": [TAG] if index % TAGGED_EVERY == 0 else [],
        }
        for index in range(BULK_RECORDS)
    ]
    return ["POST /api/expenses/bulk/ " + json.dumps({"records": records}, separators=(",", ":"))]


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
    Scenario(
        "list_search",
        "list: substring search alone, whole history (pg_trgm index)",
        lambda c: ["GET /api/expenses/?search=market"],
    ),
    Scenario(
        "me",
        "me: the caller's profile (authentication and little else)",
        lambda c: ["GET /api/me/"],
        per_size=False,
    ),
    Scenario("read", "read one record", lambda c: [f"GET /api/expenses/{c.entry_id}/"]),
    Scenario("create", "create a record", _create_lines, expected_status=201),
    Scenario("summary", "month summary", lambda c: [f"GET /api/summary/?month={MONTH}"]),
    Scenario(
        "trends", "12-month trends", lambda c: [f"GET /api/summary/trends/?months=12&end={MONTH}"]
    ),
    Scenario("goals", "goals list", lambda c: ["GET /api/goals/"]),
    Scenario(
        "budget_status",
        "budget status of the month: a dozen budgets, half rolling over since the first month",
        lambda c: [f"GET /api/budgets/status/?month={MONTH}"],
    ),
    Scenario(
        "list_tagged",
        "list: a month and a tag, page of 50",
        lambda c: [f"GET /api/expenses/?month={MONTH}&tag={TAG}"],
    ),
    Scenario(
        "create_bulk",
        f"bulk create: {BULK_RECORDS} records a request",
        _bulk_lines,
        expected_status=201,
        min_duration=10,
    ),
]


# --- sync: conditional GETs and the changes feed (issue 15) -----------------------------------

SYNC_CHANGES = 50  # "an incremental sync of 50 changes"
SYNC_MARKER = "bench sync"


def _summary_304_lines(server: Server, client: Client) -> list[str]:
    """The month summary with the ETag it answers now: every request is a 304."""
    path = f"/api/summary/?month={MONTH}"
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    conn.request("GET", path, headers={"Authorization": f"Bearer {client.token}"})
    response = conn.getresponse()
    response.read()
    etag = response.getheader("ETag")
    conn.close()
    if response.status != 200 or not etag:
        raise RuntimeError(f"GET {path} answered {response.status} without an ETag")
    return [f"GET {path} If-None-Match: {etag}"]


def _changes_lines(server: Server, client: Client) -> list[str]:
    """A cursor with exactly SYNC_CHANGES changes after it: records written now (by one bulk
    INSERT, as an import or a bulk create writes them), the cursor from just before."""
    from fintrack.accounts.models import User
    from fintrack.ledger.models import Category, Entry
    from fintrack.sync.api.cursors import cursor_encode
    from fintrack.sync.models import Change
    from fintrack.sync.selectors import Position

    user = User.objects.get(username=client.username)
    Entry.objects.filter(user=user, description=SYNC_MARKER).delete()
    last = Change.objects.filter(user_id=user.pk).order_by("-seq", "-id").first()
    position = Position(last.seq, last.pk) if last else Position(0, 0)
    category = Category.objects.filter(user=user, kind="expense").first()
    Entry.objects.bulk_create(
        Entry(
            user=user,
            kind="expense",
            amount=Decimal(f"{1 + index}.25"),
            date=date(2024, 3, 1 + index % 28),  # outside the measured month
            category=category,
            description=SYNC_MARKER,
        )
        for index in range(SYNC_CHANGES)
    )
    after = Change.objects.filter(user_id=user.pk, seq__gte=position.seq).count()
    if after < SYNC_CHANGES:
        raise RuntimeError(f"{after} changes recorded after the cursor, not {SYNC_CHANGES}")
    cursor = cursor_encode(user_id=user.pk, position=position)
    return [f"GET /api/changes/?cursor={cursor}"]


SCENARIOS += [
    Scenario(
        "summary_304",
        "month summary, unchanged: If-None-Match with its ETag answers 304",
        lambda c: [f"GET /api/summary/?month={MONTH} If-None-Match: <the ETag of a 200>"],
        expected_status=304,
        prepare=_summary_304_lines,
    ),
    Scenario(
        "changes",
        f"changes feed: an incremental sync of {SYNC_CHANGES} changes",
        lambda c: ["GET /api/changes/?cursor=<a cursor 50 changes back>"],
        prepare=_changes_lines,
    ),
]
SCENARIO_BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}

# ../shared/benchmarks.md and the issue.
# requests/s at the largest size / the ceiling's
CEILING_RATIO_TARGET = {"list": 0.6, "summary_304": 0.8}
# p50 largest / p50 smallest
SCALING_TARGET = {
    "list": 1.2,
    "summary": 1.5,
    "trends": 1.5,
    "budget_status": 1.5,
    "list_tagged": 1.2,
    "changes": 1.2,
}
BULK_RATIO_TARGET = 10  # records/s of create_bulk ÷ records/s of create, at the largest size
CREATING = ("create", "create_bulk")  # scenarios whose records go again after each run
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

    others = load_other_users(rng, args.others)

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


def prepare_budgets_and_tags(users: dict[str, Any]) -> None:
    """For each measured user: a dozen budgets, and the tag on one expense in ten (set-based,
    straight into the links table). Done again on every run, so --keep-data databases of an
    earlier version get them too."""
    from django.db import connection

    from fintrack.budgets.models import Budget
    from fintrack.budgets.services import budget_create
    from fintrack.ledger.models import Tag

    first_month = HISTORY_START.replace(day=1)
    for user, _history in users.values():
        Budget.objects.filter(user=user).delete()
        Tag.objects.filter(user=user).delete()
        for index, name in enumerate(BUDGET_CATEGORIES):
            budget_create(
                user=user,
                category=name,
                amount=Decimal(300 + 50 * index),
                start_month=first_month if index % 2 == 0 else date(2025, 1 + index, 1),
                rollover=index % 2 == 0,
            )
        tag = Tag.objects.create(user=user, name=TAG, name_key=TAG)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO ledger_entrytag (entry_id, tag_id) SELECT id, %s FROM ledger_entry "
                "WHERE user_id = %s AND kind = 'expense' AND id %% %s = 0",
                [tag.pk, user.pk, TAGGED_EVERY],
            )
        log(f"{user.username}: {len(BUDGET_CATEGORIES)} budgets, the tag {TAG!r}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ledger_entrytag")


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
            target_amount=Decimal(rng.randrange(500, 30_000)),
            target_date=None if index % 3 == 0 else date(2027, 1 + index % 12, 28),
        )
        for user, count, _ in plan
        for index in range(count)
    )
    per_goal = {goal.pk: contributions for (goal, contributions) in _per_goal(goals, plan)}
    total = sum(per_goal.values())
    now = datetime.now(UTC).isoformat()

    def rows() -> Iterator[tuple[int, int, str, str, str]]:
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
    pairs: list[tuple[Any, int]] = []
    iterator = iter(goals)
    for _user, count, contributions in plan:
        pairs.extend((next(iterator), contributions) for _ in range(count))
    return pairs


def delete_created_records() -> None:
    """The create scenario's records go again, so the history sizes stay what they say."""
    import time

    from django.db import IntegrityError, connection, transaction

    # A request still in flight when wrk stops can add a tagged record between the two
    # statements; then both run again.
    for attempt in range(10):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                # The tag links first: their foreign key has no ON DELETE CASCADE.
                cursor.execute(
                    "DELETE FROM ledger_entrytag WHERE entry_id IN "
                    "(SELECT id FROM ledger_entry WHERE description = %s)",
                    [CREATE_MARKER],
                )
                cursor.execute("DELETE FROM ledger_entry WHERE description = %s", [CREATE_MARKER])
            return
        except IntegrityError:
            if attempt == 9:
                raise
            time.sleep(1)


# --- load generation --------------------------------------------------------------------------


def run_wrk(
    server: Server,
    lines: list[str],
    token: str,
    args: argparse.Namespace,
    min_duration: int = 0,
) -> dict[str, Any]:
    """One wrk run of --duration seconds (at least `min_duration`) over the plan `lines`."""
    with tempfile.TemporaryDirectory(prefix="fintrack-bench-") as folder:
        plan = Path(folder) / "plan.txt"
        report = Path(folder) / "report.json"
        plan.write_text("\n".join([token, *lines]) + "\n")
        env = {**os.environ, "BENCH_WRK_PLAN": str(plan), "BENCH_WRK_REPORT": str(report)}
        command = [
            "wrk",
            f"--threads={args.threads}",
            f"--connections={args.connections}",
            f"--duration={max(args.duration, min_duration)}s",
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


def _refreshed(server: Server, client: Client) -> Client:
    """The client with a new access token."""
    return dataclasses.replace(client, token=server.token(client.username))


def check_plan(server: Server, lines: list[str], token: str, expected: int) -> None:
    """Each request of a plan once, before any load: the status must be the expected one."""
    for line in lines:
        method, path, *rest = line.split(" ", 2)
        body, headers = None, None
        if rest and rest[0].startswith(("{", "[")):
            body = json.loads(rest[0])
        elif rest:  # "Name: value", as the wrk script reads it
            name, value = rest[0].split(": ", 1)
            headers = {name: value}
        status, data = server.request(method, path, body, token=token, extra_headers=headers)
        if status != expected:
            raise RuntimeError(f"{method} {path} answered {status}, not {expected}: {data[:300]!r}")


def run_scenario(
    server: Server, scenario: Scenario, client: Client, args: argparse.Namespace
) -> dict[str, Any]:
    lines = scenario.prepare(server, client) if scenario.prepare else scenario.plan(client)
    check_plan(server, lines, client.token, scenario.expected_status)
    rss_before = server.worker_rss_kib()
    result = run_wrk(server, lines, client.token, args, scenario.min_duration)
    rss_after = server.worker_rss_kib()
    if scenario.name in CREATING:
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


def memory_phase(server: Server, clients: list[Client], args: argparse.Namespace) -> dict:
    """Exactly --memory-requests requests, cycling through every scenario as each user, from
    as many client threads as wrk has connections; the workers' RSS after them.

    Not wrk: it can only stop a thread after a count, and the connections such a thread
    leaves open hold gunicorn's sync workers until they time out and are killed.
    """
    work = [
        (client, line)
        for client in clients
        for scenario in SCENARIOS
        if scenario.per_size and not scenario.prepare  # those plans hold live state
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


# --- recurring rules ---------------------------------------------------------------------------

RULES = 12
CATCH_UP_DAYS = 366
CATCH_UP_RUNS = 3
RECURRING_TARGET = 1.05  # p50 with a dozen rules (nothing due) / p50 without, same run
RECURRING_MARKER = "bench recurring"


def _set_rules(user: Any, *, on: bool) -> None:
    """The heavy user with RULES active monthly rules, none due (they start tomorrow and after),
    or with none."""
    from fintrack.recurring.models import RecurringRule
    from fintrack.recurring.services import rule_create, rule_delete

    for rule in RecurringRule.objects.filter(user=user):
        rule_delete(rule=rule)
    if not on:
        return
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    for index in range(RULES):
        rule_create(
            user=user,
            kind="expense" if index % 3 else "income",
            amount=Decimal(f"{10 + index}.50"),
            frequency="monthly",
            start_date=tomorrow + timedelta(days=index),
            category="Subscriptions",
            description=RECURRING_MARKER,
        )


def _catch_up_once(server: Server, client: Client, user: Any) -> dict[str, Any]:
    """A daily rule started CATCH_UP_DAYS ago with nothing created yet (as if nobody had
    signed in since): the latency of the one plain read that creates it all."""
    import time

    from fintrack.accounts.models import User
    from fintrack.ledger.models import Entry
    from fintrack.recurring.models import RecurringRule
    from fintrack.recurring.services import rule_create, rule_delete

    today = datetime.now(UTC).date()
    start = today - timedelta(days=CATCH_UP_DAYS)
    rule = rule_create(
        user=user,
        kind="expense",
        amount=Decimal("3.20"),
        frequency="daily",
        start_date=today + timedelta(days=1),
        category="Coffee",
        description=RECURRING_MARKER,
    )
    RecurringRule.objects.filter(pk=rule.pk).update(start_date=start, next_date=start)
    User.objects.filter(pk=user.pk).update(recurring_due_on=start)
    began = time.perf_counter()
    status, data = server.request("GET", f"/api/expenses/?month={MONTH}", token=client.token)
    elapsed = (time.perf_counter() - began) * 1000
    if status != 200:
        raise RuntimeError(f"catch-up read answered {status}: {data[:300]!r}")
    created = Entry.objects.filter(recurring_id=rule.pk).count()
    Entry.objects.filter(recurring_id=rule.pk).delete()
    rule_delete(rule=RecurringRule.objects.get(pk=rule.pk))
    return {"latency_ms": round(elapsed, 2), "records_created": created}


def recurring_phase(
    server: Server, client: Client, user: Any, args: argparse.Namespace
) -> dict[str, Any]:
    """List and summary of the heavy user with a dozen active rules (nothing due) and without,
    back to back in each round (the order alternating); then the catch-up of a daily rule
    started CATCH_UP_DAYS ago, in one request."""
    plans = {
        "list": Scenario("list", "list", lambda c: [f"GET /api/expenses/?month={MONTH}"]),
        "summary": Scenario("summary", "summary", lambda c: [f"GET /api/summary/?month={MONTH}"]),
    }
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {
        name: {"without": [], "with": []} for name in plans
    }
    try:
        for round_index in range(args.rounds):
            order = ("without", "with") if round_index % 2 == 0 else ("with", "without")
            for state in order:
                _set_rules(user, on=state == "with")
                for name, scenario in plans.items():
                    row = run_scenario(server, scenario, client, args)
                    row["round"] = round_index + 1
                    runs[name][state].append(row)
                    log(
                        f"  recurring {name:<8} {state:<8} rules: p50 {row['p50_ms']:>7.2f} ms, "
                        f"{row['requests_per_second']:>8.1f} req/s, errors {row['errors']}"
                    )
        _set_rules(user, on=False)
        catch_ups = [_catch_up_once(server, client, user) for _ in range(CATCH_UP_RUNS)]
    finally:
        _set_rules(user, on=False)
    result: dict[str, Any] = {"rules": RULES, "scenarios": {}}
    for name, by_state in runs.items():
        pairs = list(zip(by_state["without"], by_state["with"], strict=True))
        result["scenarios"][name] = {
            "p50_ms_without": _median(by_state["without"], "p50_ms"),
            "p50_ms_with": _median(by_state["with"], "p50_ms"),
            "p50_ratio": round(
                statistics.median(high["p50_ms"] / low["p50_ms"] for low, high in pairs), 3
            ),
            "per_round_p50_ratios": [round(h["p50_ms"] / lo["p50_ms"], 3) for lo, h in pairs],
            "errors": sum(row["errors"] for rows in by_state.values() for row in rows),
            "runs": by_state,
        }
    latencies = [run["latency_ms"] for run in catch_ups]
    result["catch_up"] = {
        "days": CATCH_UP_DAYS,
        "records_created": catch_ups[0]["records_created"],
        "latency_ms_median": round(statistics.median(latencies), 2),
        "runs": catch_ups,
    }
    log(
        f"  recurring catch-up of {catch_ups[0]['records_created']} records in one request: "
        f"{result['catch_up']['latency_ms_median']} ms (median of {CATCH_UP_RUNS})"
    )
    return result


# --- the cost of recording changes (issue 15) -----------------------------------------------

RECORDING_TARGET = 1.15  # create p50 with change recording ÷ without


def _set_change_recording(*, on: bool) -> None:
    """Switch the changes feed's triggers (fintrack.sync) on or off, for this comparison only:
    off, a write records nothing and takes no lock on the user row."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE 'sync\\_%%' AND NOT t.tgisinternal"
        )
        triggers = cursor.fetchall()
        if not triggers:
            raise RuntimeError("no change-recording trigger found")
        for table, trigger in triggers:
            state = "ENABLE" if on else "DISABLE"
            cursor.execute(f'ALTER TABLE "{table}" {state} TRIGGER "{trigger}"')
    connection.close()


def recording_phase(server: Server, client: Client, args: argparse.Namespace) -> dict[str, Any]:
    """The create scenario with the change-recording triggers on and off, back to back in each
    round (the order alternating): what the per-user counter and the change rows cost a write."""
    scenario = SCENARIO_BY_NAME["create"]
    runs: dict[str, list[dict[str, Any]]] = {"with": [], "without": []}
    try:
        for round_index in range(args.rounds):
            order = ("with", "without") if round_index % 2 == 0 else ("without", "with")
            for state in order:
                _set_change_recording(on=state == "with")
                row = run_scenario(server, scenario, client, args)
                row["round"] = round_index + 1
                runs[state].append(row)
                log(
                    f"  create, change recording {state:<8}: p50 {row['p50_ms']:>7.2f} ms, "
                    f"{row['requests_per_second']:>8.1f} req/s, errors {row['errors']}"
                )
    finally:
        _set_change_recording(on=True)
    pairs = list(zip(runs["without"], runs["with"], strict=True))
    return {
        "p50_ms_without": _median(runs["without"], "p50_ms"),
        "p50_ms_with": _median(runs["with"], "p50_ms"),
        "p50_ratio": round(statistics.median(w["p50_ms"] / wo["p50_ms"] for wo, w in pairs), 3),
        "per_round_p50_ratios": [round(w["p50_ms"] / wo["p50_ms"], 3) for wo, w in pairs],
        "errors": sum(row["errors"] for rows in runs.values() for row in rows),
        "runs": runs,
    }


def add_recording(results: dict[str, Any], recording: dict[str, Any]) -> None:
    results["recording"] = recording
    results["targets"].insert(
        -3,
        _target(
            "create: p50 with change recording ÷ without",
            recording["p50_ratio"],
            "<=",
            RECORDING_TARGET,
        ),
    )
    results["errors"] += recording["errors"]
    results["targets"][-1]["value"] = results["errors"]
    results["targets"][-1]["met"] = results["errors"] <= 0


def render_recording(results: dict[str, Any]) -> list[str]:
    recording = results.get("recording")
    if recording is None:
        return []
    return [
        "",
        "### The cost of recording changes (the changes feed's triggers)",
        "",
        "The create scenario on the heavy user with fintrack.sync's triggers enabled and "
        "disabled (`ALTER TABLE ... DISABLE TRIGGER`, for this comparison only), back to back "
        "in each round, the order alternating:",
        "",
        "| p50 ms without | p50 ms with | ratio (median of the rounds) | target |",
        "| ---: | ---: | ---: | ---: |",
        f"| {recording['p50_ms_without']} | {recording['p50_ms_with']} | "
        f"{recording['p50_ratio']} {recording['per_round_p50_ratios']} | <= {RECORDING_TARGET} |",
    ]


# --- the fixed cost of a request: this tree against an earlier commit -------------------------

# The commit before the work on the fixed cost of every request (issue 11, item 16): the A/B
# phase serves it beside this tree, on the same data, with the same virtualenv.
AB_BASE = "91c2a22baf0020a4bd03ec72b0638766e75c470d"
AB_SCENARIOS = ("ceiling", "me", "create")
AB_TARGET = {"ceiling": 1.5, "me": 1.5}  # requests/s of this tree ÷ the base's, same run


@contextmanager
def base_tree(ref: str) -> Iterator[Path | None]:
    """The source tree of commit `ref` in a temporary folder (git archive), or None when this
    checkout does not hold it (a shallow clone)."""
    resolved = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if resolved.returncode != 0:
        log(f"A/B: commit {ref} is not in this checkout; skipping the comparison")
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix="fintrack-base-"))
    try:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", resolved.stdout.strip()],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def ab_phase(server: Server, client: Client, args: argparse.Namespace) -> dict[str, Any] | None:
    """The ceiling, `me` and create served by this tree and by commit --ab-base side by side
    (two gunicorns on the same database, one driven at a time), each scenario on both back to
    back and the order alternating from round to round; the ratio is this tree's requests/s
    ÷ the base's, paired within each round, then the median."""
    with base_tree(args.ab_base) as root:
        if root is None:
            return None
        base = Server(workers=args.workers, root=root)
        try:
            servers = {"current": server, "base": base}
            runs: dict[str, dict[str, list[dict[str, Any]]]] = {
                name: {"current": [], "base": []} for name in AB_SCENARIOS
            }
            for round_index in range(args.ab_rounds):
                order = ("current", "base") if round_index % 2 == 0 else ("base", "current")
                for name in AB_SCENARIOS:
                    for side in order:
                        row = run_scenario(servers[side], SCENARIO_BY_NAME[name], client, args)
                        row["round"] = round_index + 1
                        runs[name][side].append(row)
                        log(
                            f"  A/B {name:<8} {side:<8}: {row['requests_per_second']:>8.1f} "
                            f"req/s, p50 {row['p50_ms']:>7.2f} ms, errors {row['errors']}"
                        )
        finally:
            base.stop()
    result: dict[str, Any] = {"base": args.ab_base, "rounds": args.ab_rounds, "scenarios": {}}
    for name, by_side in runs.items():
        pairs = list(zip(by_side["current"], by_side["base"], strict=True))
        ratios = [
            round(_ratio(now["requests_per_second"], then["requests_per_second"]), 3)
            for now, then in pairs
        ]
        result["scenarios"][name] = {
            "requests_per_second_current": _median(by_side["current"], "requests_per_second"),
            "requests_per_second_base": _median(by_side["base"], "requests_per_second"),
            "p50_ms_current": _median(by_side["current"], "p50_ms"),
            "p50_ms_base": _median(by_side["base"], "p50_ms"),
            "ratio": round(statistics.median(ratios), 3),
            "per_round_ratios": ratios,
            "target": AB_TARGET.get(name),
            "errors": sum(row["errors"] for rows in by_side.values() for row in rows),
            "runs": by_side,
        }
    return result


def add_ab(results: dict[str, Any], ab: dict[str, Any]) -> None:
    """The A/B phase's figures and targets, into the results."""
    results["ab"] = ab
    for name, entry in ab["scenarios"].items():
        if entry["target"] is not None:
            results["targets"].insert(
                -3,
                _target(
                    f"{name}: requests/s ÷ commit {ab['base'][:10]}'s, same run",
                    entry["ratio"],
                    ">=",
                    entry["target"],
                ),
            )
        results["errors"] += entry["errors"]
    results["targets"][-1]["value"] = results["errors"]
    results["targets"][-1]["met"] = results["errors"] <= 0


def render_ab(results: dict[str, Any]) -> list[str]:
    ab = results.get("ab")
    if ab is None:
        return []
    lines = [
        "",
        f"### The fixed cost of a request: this tree against commit {ab['base'][:10]}",
        "",
        f"Both served side by side on the same data (two gunicorns, one driven at a time), "
        f"each scenario on both back to back, {ab['rounds']} rounds in alternating order:",
        "",
        "| scenario | req/s this tree | req/s base | p50 ms this tree | p50 ms base "
        "| ratio (median of the rounds) | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, entry in ab["scenarios"].items():
        target = f">= {entry['target']}" if entry["target"] else "-"
        lines.append(
            f"| {name} | {entry['requests_per_second_current']:,.0f} | "
            f"{entry['requests_per_second_base']:,.0f} | {entry['p50_ms_current']} | "
            f"{entry['p50_ms_base']} | {entry['ratio']} {entry['per_round_ratios']} | {target} |"
        )
    return lines


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

    name = "fintrack_bench_api" + ("_smoke" if args.smoke else "")
    database_url = open_bench_database(name)
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
    prepare_budgets_and_tags(users)
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
            assert first is not None, f"no expense of {role}'s in the measured month"
            clients.append(Client(role, history, server.token(role), first))
        baseline, heavy = clients

        log(f"memory: the first {args.memory_requests:,} requests")
        first_thousand = memory_phase(server, clients, args)
        runs: dict[str, dict[int, list[dict]]] = {s.name: {} for s in SCENARIOS}
        for round_index in range(args.rounds):
            # A full run outlasts an access token (15 minutes): a fresh one every round.
            clients = [_refreshed(server, client) for client in clients]
            baseline, heavy = clients
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
        recurring = None
        if args.recurring:
            log("recurring: a dozen rules with nothing due, and a catch-up")
            heavy = _refreshed(server, heavy)
            recurring = recurring_phase(server, heavy, users["heavy"][0], args)
        recording = None
        if SCENARIO_BY_NAME["create"] in args.selected:
            log("change recording: create with the feed's triggers on and off")
            heavy = _refreshed(server, heavy)
            recording = recording_phase(server, heavy, args)
        ab = None
        if args.ab_base != "none":
            log(f"A/B: this tree against commit {args.ab_base[:10]}")
            heavy = _refreshed(server, heavy)
            ab = ab_phase(server, heavy, args)
        log(f"memory: the last {args.memory_requests:,} requests")
        clients = [_refreshed(server, client) for client in clients]
        last_thousand = memory_phase(server, clients, args)
    finally:
        server.stop()

    sql = {}
    for scenario in args.selected:
        if scenario.per_size and scenario.expected_status == 200 and not scenario.prepare:
            sql[scenario.name] = {
                str(client.records): sql_profile(
                    scenario.plan(client)[0].split(" ")[1], client.token
                )
                for client in clients
            }

    results = summarise(args, machine, clients, runs, sql, first_thousand, last_thousand)
    if recurring is not None:
        add_recurring(results, recurring)
    if ab is not None:
        add_ab(results, ab)
    if recording is not None:
        add_recording(results, recording)
    complete = len(args.selected) == len(SCENARIOS) and args.recurring
    name = "api-smoke" if args.smoke else "api" if complete else "api-partial"
    docs = ("bench", render_docs(results)) if not args.smoke and complete else None
    publish_results(f"{name}.json", results, render_table(results), docs)
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
        default=",".join([*SCENARIO_BY_NAME, "recurring"]),
        help="comma-separated subset (the ceiling always runs; `recurring` is the phase of "
        "recurring rules); a subset writes "
        "bench/results/api-partial.json and leaves the docs alone",
    )
    parser.add_argument(
        "--keep-data",
        action="store_true",
        help="reuse the loaded data when the database holds the same sizes",
    )
    parser.add_argument(
        "--ab-base",
        default=AB_BASE,
        help="the commit served beside this tree for the ceiling, me and create (A/B); "
        "`none` skips the comparison",
    )
    parser.add_argument(
        "--ab-rounds", type=int, default=None, help="rounds of the A/B phase (3; smoke: 1)"
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, 2 s per scenario")
    args = parser.parse_args()
    if args.smoke:
        args.records, args.baseline, args.others = 3000, 1000, 2000
        args.duration, args.rounds, args.memory_requests = 2, 1, 200
    if args.ab_rounds is None:
        args.ab_rounds = 1 if args.smoke else 3
    names = {"ceiling", *args.scenarios.split(",")}
    args.recurring = "recurring" in names
    names.discard("recurring")
    unknown = names - set(SCENARIO_BY_NAME)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    args.selected = [scenario for scenario in SCENARIOS if scenario.name in names]
    args.argv = sys.argv[1:]
    return args


# --- figures ----------------------------------------------------------------------------------


def _median(rows: list[dict], key: str) -> float:
    return round(statistics.median(row[key] for row in rows), 2)


def summarise(
    args: argparse.Namespace,
    machine: dict[str, Any],
    clients: list[Client],
    runs: dict[str, dict[int, list[dict]]],
    sql: dict[str, Any],
    first_thousand: dict,
    last_thousand: dict,
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
                    statistics.median(_ratio(high["p50_ms"], low["p50_ms"]) for low, high in pairs),
                    3,
                ),
                "requests_per_second_ratio": round(
                    statistics.median(
                        _ratio(high["requests_per_second"], low["requests_per_second"])
                        for low, high in pairs
                    ),
                    3,
                ),
                "per_round_p50_ratios": [
                    round(_ratio(high["p50_ms"], low["p50_ms"]), 3) for low, high in pairs
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
    if "create" in scenarios and "create_bulk" in scenarios:
        single = scenarios["create"]["by_records"][str(large)]["requests_per_second"]
        bulk = scenarios["create_bulk"]["by_records"][str(large)]["requests_per_second"]
        ratio = round(bulk * BULK_RECORDS / single, 2) if single else 0.0
        scenarios["create_bulk"]["records_per_second_ratio_to_create"] = ratio
        targets.append(
            _target(
                f"create_bulk: records/s ÷ create's records/s, at {large:,}",
                ratio,
                ">=",
                BULK_RATIO_TARGET,
            )
        )
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


def _ratio(value: float, base: float) -> float:
    """value ÷ base; 0 when a run completed no request (a smoke window shorter than one)."""
    return value / base if base else 0.0


def add_recurring(results: dict[str, Any], recurring: dict[str, Any]) -> None:
    """The recurring phase's figures and targets, into the results."""
    results["recurring"] = recurring
    for name, entry in recurring["scenarios"].items():
        results["targets"].insert(
            -3,
            _target(
                f"{name}: p50 with {recurring['rules']} rules (nothing due) ÷ p50 without",
                entry["p50_ratio"],
                "<=",
                RECURRING_TARGET,
            ),
        )
        results["errors"] += entry["errors"]
    results["targets"][-1]["value"] = results["errors"]
    results["targets"][-1]["met"] = results["errors"] <= 0


def render_recurring(results: dict[str, Any]) -> list[str]:
    recurring = results.get("recurring")
    if recurring is None:
        return []
    lines = [
        "",
        "### Recurring rules: the due check and the catch-up",
        "",
        f"The heavy user's month list and summary without rules and with {recurring['rules']} "
        "active rules that have nothing due, back to back in each round:",
        "",
        "| scenario | p50 ms without | p50 ms with | ratio (median of the rounds) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, entry in recurring["scenarios"].items():
        lines.append(
            f"| {name} | {entry['p50_ms_without']} | {entry['p50_ms_with']} | "
            f"{entry['p50_ratio']} {entry['per_round_p50_ratios']} |"
        )
    catch_up = recurring["catch_up"]
    lines += [
        "",
        f"Catch-up: a daily rule started {catch_up['days']} days ago, nothing created yet; one "
        f"plain read of the list creates its {catch_up['records_created']} records: "
        f"{catch_up['latency_ms_median']} ms (median of "
        f"{[run['latency_ms'] for run in catch_up['runs']]}).",
    ]
    return lines


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
            lines.append(f"| {name} | {_row_cells(size, row)}")
    lines += render_recurring(results)
    lines += render_ab(results)
    lines += render_recording(results)
    return "\n".join(lines) + "\n\n" + render_targets(results)


def _row_cells(size: str, row: dict[str, Any]) -> str:
    """A scenario's figures at one size, as the cells of a table row (from `records` on)."""
    records = f"{int(size):,}" if int(size) else "-"
    return (
        f"{records} | {row['requests_per_second']:,.0f} | {row['p50_ms']} | "
        f"{row['p99_ms']} | {row['errors']} | {row['ratio_to_ceiling']:.2f} | "
        f"{row.get('queries', '-')} | {row.get('sql_ms', '-')} | "
        f"{row['rss_mib_before']} → {row['rss_mib_after']} |"
    )


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
            lines.append(f"| {_row_cells(size, row)}")
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
    lines += render_recurring(results)
    lines += render_ab(results)
    lines += render_recording(results)
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
