"""Soak test: many clients write and read through gunicorn on PostgreSQL while faults are
injected; afterwards every acknowledged write is checked against the database.

Usage: python -m bench.soak [--seconds 60] [--users 8] [--threads-per-user 2]
                            [--kill-every 5] [--restart-postgres] [--smoke]

- Creates carry an Idempotency-Key and a unique marker in their description (or note);
  a create that got no answer is retried with the same key, so it lands exactly once.
- Faults: --kill-every N SIGKILLs a gunicorn worker every N seconds; --restart-postgres
  stops PostgreSQL for a few seconds a third of the way in: the machine's cluster (do not run
  it while others use that server), or the one that SOAK_PG_STOP and SOAK_PG_START control.
- Checks: every acknowledged create exists exactly once, every acknowledged delete is gone,
  every acknowledged update holds, each goal's saved amount is the sum of its acknowledged
  contributions, totals read through the API equal the database's sums, the per-day totals
  equal the entries, and no 5xx other than 503 during a fault window.
"""

import argparse
import http.client
import json
import os
import random
import shlex
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bench.common import RESULTS, Server, log, open_bench_database

PASSWORD = "soak-password-not-secret-1"
REQUEST_TIMEOUT = 10.0
CATEGORIES = ["Rent", "Groceries", "Transport", "Leisure", "Health"]


@dataclass
class Outcome:
    op: str
    status: int | None  # None: no answer (connection dropped, timeout)
    at: float
    elapsed: float


@dataclass
class Faults:
    """Time windows (monotonic seconds) in which errors are expected."""

    windows: list[tuple[float, float]] = field(default_factory=list)
    kills: int = 0
    recovery_seconds: float | None = None
    health_while_down: Counter = field(default_factory=Counter)

    def covers(self, moment: float) -> bool:
        return any(start <= moment <= end for start, end in self.windows)


class Ledger:
    """What the clients were told: the acknowledged state, and what remains unknown."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.created: dict[str, dict] = {}  # marker -> {"id", "user", "kind", "amount", "key"}
        self.pending: dict[str, dict] = {}  # marker -> request never acknowledged
        self.deleted: set[int] = set()
        self.uncertain_amount: set[int] = set()
        self.contributions: dict[str, dict] = {}  # marker -> {"goal", "amount"}
        self.pending_contributions: dict[str, dict] = {}
        self.replays = 0
        self.duplicate_replays = 0


class Client(threading.Thread):
    def __init__(
        self, *, port: int, user: dict, ledger: Ledger, outcomes: list, deadline: float, seed: int
    ) -> None:
        super().__init__(daemon=True)
        self.port, self.user, self.ledger, self.outcomes = port, user, ledger, outcomes
        self.deadline = deadline
        self.rng = random.Random(seed)
        self.mine: list[str] = []  # markers this thread created and acknowledged
        self.connection: http.client.HTTPConnection | None = None

    # One HTTP exchange; (status, body) or (None, None) when no answer came.
    def call(
        self, op: str, method: str, path: str, body: dict | None = None, key: str | None = None
    ) -> tuple[int | None, dict | None]:
        headers = {
            "Authorization": f"Bearer {self.user['token']}",
            "Content-Type": "application/json",
        }
        if key:
            headers["Idempotency-Key"] = key
        started = time.monotonic()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT
                )
            self.connection.request(method, path, json.dumps(body) if body else None, headers)
            response = self.connection.getresponse()
            raw = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            if self.connection is not None:
                self.connection.close()
            self.connection = None
            status, raw = None, b""
        try:  # an answer that is not JSON (a proxy's error page) still counts by its status
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        self.outcomes.append(Outcome(op, status, started, time.monotonic() - started))
        return status, parsed

    def retrying(
        self,
        op: str,
        method: str,
        path: str,
        body: dict | None = None,
        key: str | None = None,
        attempts: int = 6,
    ) -> tuple[int | None, dict | None]:
        """Retry what got no answer, a 5xx or a 429, as a client on a bad network would, with
        a doubling pause between attempts; the last answer (or None) when none succeeded."""
        status, parsed = self.call(op, method, path, body, key)
        for attempt in range(attempts - 1):
            if status is not None and status < 500 and status != 429:
                break
            time.sleep(min(0.1 * 2**attempt, 2.0))
            status, parsed = self.call(op, method, path, body, key)
        return status, parsed

    def run(self) -> None:
        operations = [
            (self.create, 30),
            (self.replay, 5),
            (self.update, 10),
            (self.delete, 8),
            (self.contribute, 15),
            (self.list, 17),
            (self.summary, 15),
        ]
        functions = [f for f, _ in operations]
        weights = [w for _, w in operations]
        while time.monotonic() < self.deadline:
            self.rng.choices(functions, weights)[0]()

    def _day(self) -> str:
        return (date(2026, 1, 1) + timedelta(days=self.rng.randrange(320))).isoformat()

    def create(self) -> None:
        marker = uuid.uuid4().hex
        kind = self.rng.choice(["incomes", "expenses"])
        amount = Decimal(self.rng.randrange(1, 500_000)) / 100
        body = {
            "amount": str(amount),
            "date": self._day(),
            "category": self.rng.choice(CATEGORIES),
            "description": marker,
        }
        status, parsed = self.retrying("create", "POST", f"/api/{kind}/", body, key=marker)
        record = {
            "user": self.user["id"],
            "kind": kind,
            "amount": amount,
            "key": marker,
            "path": f"/api/{kind}/",
            "body": body,
        }
        with self.ledger.lock:
            if status == 201 and parsed:
                self.ledger.created[marker] = {**record, "id": parsed["id"]}
                self.mine.append(marker)
            else:
                self.ledger.pending[marker] = record

    def replay(self) -> None:
        """Resend an acknowledged create, as a client that never saw the answer would."""
        if not self.mine:
            return
        record = self.ledger.created[self.rng.choice(self.mine)]
        status, parsed = self.retrying(
            "replay", "POST", record["path"], record["body"], key=record["key"]
        )
        with self.ledger.lock:
            self.ledger.replays += 1
            if status == 201 and parsed and parsed["id"] != record["id"]:
                self.ledger.duplicate_replays += 1

    def _live_record(self) -> dict | None:
        live = [m for m in self.mine if self.ledger.created[m]["id"] not in self.ledger.deleted]
        return self.ledger.created[self.rng.choice(live)] if live else None

    def update(self) -> None:
        record = self._live_record()
        if record is None:
            return
        amount = Decimal(self.rng.randrange(1, 500_000)) / 100
        status, _ = self.retrying(
            "update", "PATCH", f"{record['path']}{record['id']}/", {"amount": str(amount)}
        )
        with self.ledger.lock:
            if status == 200:
                record["amount"] = amount
            else:
                self.ledger.uncertain_amount.add(record["id"])

    def delete(self) -> None:
        record = self._live_record()
        if record is None:
            return
        status, _ = self.retrying("delete", "DELETE", f"{record['path']}{record['id']}/")
        with self.ledger.lock:
            # A 404 after an unanswered attempt: that attempt deleted it.
            if status in (204, 404):
                self.ledger.deleted.add(record["id"])

    def contribute(self) -> None:
        marker = uuid.uuid4().hex
        amount = Decimal(self.rng.randrange(-2_000, 10_000)) / 100 or Decimal("1.00")
        body = {"amount": str(amount), "date": self._day(), "note": marker}
        path = f"/api/goals/{self.user['goal']}/contributions/"
        status, _ = self.retrying("contribute", "POST", path, body, key=marker)
        with self.ledger.lock:
            record = {
                "goal": self.user["goal"],
                "amount": amount,
                "key": marker,
                "path": path,
                "body": body,
            }
            if status == 201:
                self.ledger.contributions[marker] = record
            elif status != 400:  # a 400 is a refused withdrawal: nothing written
                self.ledger.pending_contributions[marker] = record

    def list(self) -> None:
        month = self.rng.randrange(1, 11)
        self.call("list", "GET", f"/api/expenses/?month=2026-{month:02d}&page_size=50")

    def summary(self) -> None:
        month = self.rng.randrange(1, 11)
        self.call("summary", "GET", f"/api/summary/?month=2026-{month:02d}")


class SoakServer(Server):
    """The benchmark's gunicorn, signing in the soak's own users."""

    def token_for(self, username: str, password: str) -> str:
        status, data = self.request(
            "POST", "/api/token/", {"username": username, "password": password}
        )
        assert status == 200, data
        return json.loads(data)["access"]


def kill_workers(server: Server, every: float, deadline: float, faults: Faults) -> None:
    rng = random.Random(7)
    while time.monotonic() + every < deadline:
        time.sleep(every)
        pids = server.worker_pids()
        if pids:
            moment = time.monotonic()
            os.kill(rng.choice(pids), signal.SIGKILL)
            faults.kills += 1
            # Requests in flight on that worker drop; a new one is forked within a second.
            faults.windows.append((moment - REQUEST_TIMEOUT, moment + 2.0))


def postgres_control(action: str) -> list[str]:
    """The command that stops or starts the database server: SOAK_PG_STOP / SOAK_PG_START
    (for a private cluster), by default the machine's cluster through pg_ctlcluster."""
    custom = os.environ.get(f"SOAK_PG_{action.upper()}")
    if custom:
        return shlex.split(custom)
    version = sorted(os.listdir("/etc/postgresql"))[0]
    cluster = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]
    return [*cluster, "stop", "-m", "fast"] if action == "stop" else [*cluster, "start"]


def restart_postgres(port: int, at: float, down_for: float, faults: Faults) -> None:
    time.sleep(max(at - time.monotonic(), 0))
    started = time.monotonic()
    subprocess.run(postgres_control("stop"), check=True)
    log("PostgreSQL stopped")
    health = http.client.HTTPConnection
    until = time.monotonic() + down_for
    while time.monotonic() < until:
        try:
            conn = health("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
            conn.request("GET", "/api/health/")
            faults.health_while_down[conn.getresponse().status] += 1
            conn.close()
        except (OSError, http.client.HTTPException):
            faults.health_while_down["no answer"] += 1
        time.sleep(0.2)
    subprocess.run(postgres_control("start"), check=True)
    back = time.monotonic()
    log("PostgreSQL started")
    while True:  # recovered: the health check says the database answers again
        try:
            conn = health("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
            conn.request("GET", "/api/health/")
            if conn.getresponse().status == 200:
                break
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.05)
    recovered = time.monotonic()
    faults.recovery_seconds = round(recovered - back, 3)
    faults.windows.append((started - REQUEST_TIMEOUT, recovered + 1.0))


def make_users(server: SoakServer, count: int) -> list[dict]:
    users = []
    for index in range(count):
        name = f"soak{index}-{uuid.uuid4().hex[:6]}"
        status, body = server.request(
            "POST",
            "/api/register/",
            {"username": name, "email": f"{name}@soak.invalid", "password": PASSWORD},
        )
        assert status == 201, body
        user_id = json.loads(body)["id"]
        token = server.token_for(name, PASSWORD)
        status, body = server.request(
            "POST",
            "/api/goals/",
            {"name": "Emergency fund", "target_amount": "100000.00"},
            token=token,
        )
        assert status == 201, body
        users.append({"id": user_id, "token": token, "goal": json.loads(body)["id"]})
    return users


def _resend(server: SoakServer, record: dict, owner: dict) -> tuple[int, bytes]:
    """Send an unacknowledged create again with its key: it either replays or lands now."""
    return server.request(
        "POST",
        record["path"],
        record["body"],
        token=owner["token"],
        extra_headers={"Idempotency-Key": record["key"]},
    )


def resolve_pending(server: SoakServer, ledger: Ledger, users: dict[int, dict]) -> int:
    """Retry every unacknowledged create (records, then contributions) with its key."""
    resolved = 0
    for marker, record in list(ledger.pending.items()):
        status, body = _resend(server, record, users[record["user"]])
        if status == 201:
            ledger.created[marker] = {**record, "id": json.loads(body)["id"]}
            del ledger.pending[marker]
            resolved += 1
    goal_owner = {u["goal"]: u for u in users.values()}
    for marker, record in list(ledger.pending_contributions.items()):
        status, _ = _resend(server, record, goal_owner[record["goal"]])
        if status == 201:
            ledger.contributions[marker] = record
            resolved += 1
        if status in (201, 400):
            del ledger.pending_contributions[marker]
    return resolved


def verify(server: SoakServer, ledger: Ledger, users: dict[int, dict]) -> dict:
    """Compare the acknowledged state with the database, and the API's totals with both."""
    from django.db import connection
    from django.db.models import Count, Sum

    from fintrack.goals.models import Contribution
    from fintrack.ledger.models import Entry

    connection.close()
    user_ids = list(users)
    entries = Entry.objects.filter(user_id__in=user_ids)
    per_marker = dict(entries.values_list("description").annotate(n=Count("id")))
    lost = duplicates = wrong_amount = undeleted = 0
    for marker, record in ledger.created.items():
        found = per_marker.get(marker, 0)
        if record["id"] in ledger.deleted:
            undeleted += found
            continue
        lost += found == 0
        duplicates += max(found - 1, 0)
        if found == 1 and record["id"] not in ledger.uncertain_amount:
            stored = entries.get(pk=record["id"]).amount
            wrong_amount += stored != record["amount"]
    phantoms = sum(n for marker, n in per_marker.items() if marker not in ledger.created)

    notes = dict(
        Contribution.objects.filter(goal__user_id__in=user_ids)
        .values_list("note")
        .annotate(n=Count("id"))
    )
    lost_contributions = sum(notes.get(m, 0) == 0 for m in ledger.contributions)
    duplicate_contributions = sum(max(notes.get(m, 0) - 1, 0) for m in ledger.contributions)
    goal_mismatches = 0
    for user in users.values():
        acknowledged = sum(
            (c["amount"] for c in ledger.contributions.values() if c["goal"] == user["goal"]),
            Decimal("0.00"),
        )
        saved = Contribution.objects.filter(goal_id=user["goal"]).aggregate(
            total=Sum("amount", default=0)
        )["total"]
        goal_mismatches += saved != acknowledged

    total_mismatches = 0
    for user in users.values():
        sums = dict(
            Entry.objects.filter(user_id=user["id"])
            .values_list("kind")
            .annotate(total=Sum("amount"))
        )
        for kind, path in (("expense", "/api/expenses/"), ("income", "/api/incomes/")):
            _, body = server.request("GET", f"{path}?page_size=1", token=user["token"])
            read = Decimal(json.loads(body)["total_amount"])
            total_mismatches += read != sums.get(kind, Decimal("0.00"))
        _, body = server.request(
            "GET", "/api/summary/?date_from=2026-01-01&date_to=2026-12-31", token=user["token"]
        )
        summary = json.loads(body)
        total_mismatches += Decimal(summary["total_income"]) != sums.get("income", Decimal("0"))
        total_mismatches += Decimal(summary["total_expenses"]) != sums.get("expense", Decimal("0"))

    with connection.cursor() as cursor:  # the per-day totals the triggers keep
        cursor.execute("""
            SELECT COUNT(*) FROM (
              SELECT user_id, date, kind, category_id, SUM(amount) AS total, COUNT(*) AS n
              FROM ledger_entry GROUP BY 1, 2, 3, 4
            ) e FULL JOIN ledger_dailytotal d USING (user_id, date, kind, category_id)
            WHERE e.total IS DISTINCT FROM d.total OR e.n IS DISTINCT FROM d.count
        """)
        daily_total_mismatches = cursor.fetchone()[0]

    return {
        "acknowledged_creates": len(ledger.created),
        "acknowledged_deletes": len(ledger.deleted),
        "acknowledged_contributions": len(ledger.contributions),
        "unresolved_creates": len(ledger.pending) + len(ledger.pending_contributions),
        "lost_writes": lost + lost_contributions,
        "duplicates": duplicates + duplicate_contributions + ledger.duplicate_replays,
        "phantom_records": phantoms,
        "undeleted": undeleted,
        "wrong_amounts": wrong_amount,
        "goal_mismatches": goal_mismatches,
        "total_mismatches": total_mismatches,
        "daily_total_mismatches": daily_total_mismatches,
        "replays_sent": ledger.replays,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--threads-per-user", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--kill-every", type=float, default=0, help="SIGKILL a worker every N s")
    parser.add_argument("--restart-postgres", action="store_true")
    parser.add_argument("--down-seconds", type=float, default=5)
    parser.add_argument("--smoke", action="store_true", help="10 s, 4 users, one worker kill")
    parser.add_argument("--name", default=None, help="results file name (bench/results/)")
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.users, args.kill_every = 10, 4, 6

    os.environ.setdefault("ACCESS_TOKEN_MINUTES", "240")
    open_bench_database("fintrack_soak", os.environ.get("SOAK_DATABASE_URL"))
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    server = SoakServer(workers=args.workers)
    outcomes: list[Outcome] = []
    faults = Faults()
    ledger = Ledger()
    try:
        users = make_users(server, args.users)
        started = time.monotonic()
        deadline = started + args.seconds
        clients = [
            Client(
                port=server.port,
                user=user,
                ledger=ledger,
                outcomes=outcomes,
                deadline=deadline,
                seed=index * 100 + thread,
            )
            for index, user in enumerate(users)
            for thread in range(args.threads_per_user)
        ]
        helpers = []
        if args.kill_every:
            helpers.append(
                threading.Thread(
                    target=kill_workers,
                    daemon=True,
                    args=(server, args.kill_every, deadline, faults),
                )
            )
        if args.restart_postgres:
            helpers.append(
                threading.Thread(
                    target=restart_postgres,
                    daemon=True,
                    args=(server.port, started + args.seconds / 3, args.down_seconds, faults),
                )
            )
        log(
            f"{len(clients)} clients for {args.seconds:.0f} s"
            f"{f', killing a worker every {args.kill_every:.0f} s' if args.kill_every else ''}"
            f"{', restarting PostgreSQL' if args.restart_postgres else ''}"
        )
        for thread in [*clients, *helpers]:
            thread.start()
        for thread in [*clients, *helpers]:
            thread.join()
        elapsed = time.monotonic() - started
        resolved = resolve_pending(server, ledger, {u["id"]: u for u in users})
        checks = verify(server, ledger, {u["id"]: u for u in users})
    finally:
        server.stop()

    statuses = Counter("no answer" if o.status is None else str(o.status) for o in outcomes)
    server_errors_outside = sum(
        1 for o in outcomes if o.status is not None and o.status >= 500 and not faults.covers(o.at)
    )
    non_503_in_faults = sum(
        1
        for o in outcomes
        if o.status is not None and o.status >= 500 and o.status != 503 and faults.covers(o.at)
    )
    no_answer_outside = sum(1 for o in outcomes if o.status is None and not faults.covers(o.at))
    latencies = sorted(o.elapsed * 1000 for o in outcomes if o.status is not None)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "make soak " + " ".join(sys.argv[1:]),
        "seconds": round(elapsed, 1),
        "clients": len(clients),
        "requests": len(outcomes),
        "requests_per_second": round(len(outcomes) / elapsed, 1),
        "statuses": dict(sorted(statuses.items())),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99)], 1) if latencies else None,
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "worker_kills": faults.kills,
        "postgres_recovery_seconds": faults.recovery_seconds,
        "health_while_database_down": dict(faults.health_while_down),
        "resolved_after_run": resolved,
        "5xx_outside_fault_windows": server_errors_outside,
        "non_503_5xx_in_fault_windows": non_503_in_faults,
        "no_answer_outside_fault_windows": no_answer_outside,
        **checks,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = args.name or ("soak-smoke" if args.smoke else "soak")
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    failures = [
        key
        for key in (
            "lost_writes",
            "duplicates",
            "phantom_records",
            "undeleted",
            "wrong_amounts",
            "goal_mismatches",
            "total_mismatches",
            "daily_total_mismatches",
            "unresolved_creates",
            "5xx_outside_fault_windows",
            "non_503_5xx_in_fault_windows",
        )
        if result[key]
    ]
    if args.restart_postgres and "503" not in {str(k) for k in faults.health_while_down}:
        failures.append("health never answered 503 while the database was down")
    if failures:
        log("FAILED: " + ", ".join(failures))
        return 1
    log("soak passed: no lost write, no duplicate, no 5xx outside the fault windows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
