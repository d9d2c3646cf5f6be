"""`make cluster-soak`: the reliability soak through HAProxy in front of two gunicorn instances,
while one whole instance (its master and its workers) is SIGKILLed and started again.

Usage: python scripts/cluster_soak.py [--seconds 60] [--users 8] [--threads-per-user 2]
                                      [--workers 2] [--kill-every 12] [--down-seconds 2]
                                      [--smoke] [--no-docs]

The clients are bench/soak.py's (creates with an Idempotency-Key, replays, updates, deletes,
goal contributions, lists, summaries; a create without an answer, a 5xx or a 429 is retried
with its key); they talk to HAProxy only. Both instances run production settings on
PostgreSQL (CLUSTER_DATABASE_URL, default a database fintrack_cluster_soak on DATABASE_URL's
server) and share one Redis (CLUSTER_REDIS_URL, default redis://127.0.0.1:6379/13) for the
throttles. Afterwards, bench/soak.py's checks in the database, plus:

- not one 5xx reached a client, kill windows included (HAProxy retries on the other instance);
- a throttle holds across both instances: THROTTLE_AUTH_RATE is set low, and a burst of twice
  that many sign-up attempts through HAProxy (round robin over both instances) gets at most
  the limit through, the rest 429.

It stops everything it started, by pid. A full run writes its figures into
docs/reliability.md (between the cluster-soak markers) and bench/results/cluster-soak.json;
--smoke (CI: 15 s, 4 users, one instance killed) writes bench/results/cluster-soak-smoke.json
only. Exits non-zero on any failed check.
"""

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cluster import HAProxy, Instance, get_status  # noqa: E402
from bench.common import (  # noqa: E402
    RESULTS,
    ROOT,
    bench_database_url,
    ensure_database,
    log,
    machine_info,
    setup_django,
)
from bench.soak import (  # noqa: E402
    REQUEST_TIMEOUT,
    Client,
    Faults,
    Ledger,
    Outcome,
    SoakServer,
    make_users,
    resolve_pending,
    verify,
)

DOCS = ROOT / "docs" / "reliability.md"
BEGIN = "<!-- BEGIN cluster-soak (written by make cluster-soak) -->"
END = "<!-- END cluster-soak -->"


class Frontend(SoakServer):
    """The soak's server helpers (request, token_for), aimed at HAProxy."""

    def __init__(self, port: int) -> None:  # noqa: D107 - no gunicorn of its own
        self.port = port

    def stop(self) -> None:  # nothing of its own to stop
        pass


def kill_instances(
    instances: list[Instance],
    every: float,
    down_for: float,
    deadline: float,
    faults: Faults,
    events: list[dict],
) -> None:
    """Every `every` s, SIGKILL the next instance whole, leave it down `down_for` s, restart
    it on its port and wait until it is healthy; only then may the next one go."""
    turn = 0
    next_kill = time.monotonic() + every
    while next_kill + down_for < deadline:
        time.sleep(max(next_kill - time.monotonic(), 0))
        victim = instances[turn % len(instances)]
        turn += 1
        moment = time.monotonic()
        pids = victim.kill()
        faults.kills += 1
        log(f"SIGKILLed instance {victim.name} (pids {pids})")
        time.sleep(down_for)
        startup = victim.start()
        back = time.monotonic()
        log(f"instance {victim.name} restarted and healthy in {startup:.1f} s")
        faults.windows.append((moment - REQUEST_TIMEOUT, back + 2.0))
        events.append(
            {
                "instance": victim.name,
                "pids_killed": len(pids),
                "down_seconds": round(back - moment, 2),
                "restart_seconds": round(startup, 2),
            }
        )
        next_kill = back + every


def throttle_check(frontend: Frontend, limit: int) -> dict:
    """2 x limit sign-up attempts (an empty body: refused with 400 after the throttle has
    counted it) from one address through HAProxy; at most `limit` may pass the throttle."""
    statuses: Counter = Counter()
    for _ in range(2 * limit):
        status, _ = frontend.request("POST", "/api/register/", {"username": ""})
        statuses[status] += 1
    passed = sum(n for status, n in statuses.items() if status != 429)
    return {
        "throttle_limit": limit,
        "throttle_attempts": 2 * limit,
        "throttle_passed": passed,
        "throttle_statuses": ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())),
        "throttle_held": 0 < passed <= limit and statuses[429] >= limit,
    }


def render_docs(result: dict) -> str:
    statuses = ", ".join(f"{k}: {v:,}" for k, v in result["statuses"].items())
    kills = "; ".join(
        f"{e['instance']} down {e['down_seconds']} s (restart {e['restart_seconds']} s)"
        for e in result["kill_events"]
    )
    machine = result["machine"]
    return f"""\
### Two instances behind HAProxy, one killed whole (`make cluster-soak`)

Run {result["date"]} with `{result["command"]}` on {machine["cores"]} cores \
({machine["cpu"]}), shared with other engineers' jobs (load average {machine["load_average"]} \
at the start, so latencies are those of a saturated machine); PostgreSQL \
{machine["postgresql"]}, Python {machine["python"]}, gunicorn {machine["gunicorn"]}. Two \
gunicorn instances ({result["workers_per_instance"]} workers each, production settings, one \
Redis for the throttles) behind HAProxy; {result["clients"]} clients for \
{result["seconds"]} s. JSON in `bench/results/cluster-soak.json`.

| requests | answers | p50 / p99 / max ms | instance kills | lost | duplicated | 5xx | no answer |
| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |
| {result["requests"]:,} | {statuses} | {result["p50_ms"]} / {result["p99_ms"]} / \
{result["max_ms"]} | {result["instance_kills"]} | {result["lost_writes"]} | \
{result["duplicates"]} | {result["5xx"]} | {result["no_answer"]} |

- Kills (SIGKILL to the master and every worker at once, then a restart on the same port):
  {kills}.
- Acknowledged: {result["acknowledged_creates"]:,} creates, \
{result["acknowledged_deletes"]:,} deletes, {result["acknowledged_contributions"]:,} \
contributions, {result["replays_sent"]:,} deliberate replays; every one found exactly once in \
the database; totals and per-day totals equal ({result["total_mismatches"]} and \
{result["daily_total_mismatches"]} mismatches).
- Throttle across both instances: `THROTTLE_AUTH_RATE={result["throttle_limit"]}/min`; \
{result["throttle_attempts"]} sign-up attempts through HAProxy (round robin over both), \
{result["throttle_passed"]} passed the throttle (to a 400 for their empty body), the rest got 429 \
({result["throttle_statuses"]}).
"""


def write_docs(markdown: str) -> None:
    text = DOCS.read_text()
    block = f"{BEGIN}\n{markdown.strip()}\n{END}"
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else f"{text}\n{block}\n"
    DOCS.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--threads-per-user", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--kill-every", type=float, default=12, help="seconds between kills")
    parser.add_argument("--down-seconds", type=float, default=2, help="before the restart")
    parser.add_argument("--throttle-limit", type=int, default=40)
    parser.add_argument("--smoke", action="store_true", help="15 s, 4 users, one kill")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/reliability.md")
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.users, args.kill_every, args.no_docs = 15, 4, 5, True

    database_url = os.environ.get("CLUSTER_DATABASE_URL") or bench_database_url(
        "fintrack_cluster_soak"
    )
    redis_url = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/13")
    os.environ.setdefault("ACCESS_TOKEN_MINUTES", "240")
    ensure_database(database_url)
    setup_django(database_url)  # production settings, in this process and the instances
    os.environ["BENCH_CEILING"] = "0"
    os.environ["REDIS_URL"] = redis_url
    # Sign-ups and sign-ins: the soak's own (2 per user) and the throttle check's burst.
    os.environ["THROTTLE_AUTH_RATE"] = f"{args.throttle_limit}/min"
    if 2 * args.users >= args.throttle_limit:
        raise SystemExit("--throttle-limit must exceed twice --users")
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    machine = machine_info()

    work = Path(tempfile.mkdtemp(prefix="cluster-soak-"))
    instances = [Instance(name, args.workers, work) for name in ("a", "b")]
    haproxy = None
    outcomes: list[Outcome] = []
    faults, ledger = Faults(), Ledger()
    events: list[dict] = []
    try:
        for instance in instances:
            log(f"instance {instance.name}: gunicorn on 127.0.0.1:{instance.port}")
            instance.start()
        haproxy = HAProxy([i.port for i in instances], work)
        frontend = Frontend(haproxy.port)
        users = make_users(frontend, args.users)
        started = time.monotonic()
        deadline = started + args.seconds
        clients = [
            Client(
                port=haproxy.port,
                user=user,
                ledger=ledger,
                outcomes=outcomes,
                deadline=deadline,
                seed=index * 100 + thread,
            )
            for index, user in enumerate(users)
            for thread in range(args.threads_per_user)
        ]
        killer = threading.Thread(
            target=kill_instances,
            args=(instances, args.kill_every, args.down_seconds, deadline, faults, events),
            daemon=True,
        )
        log(f"{len(clients)} clients for {args.seconds:.0f} s through HAProxy")
        for thread in [*clients, killer]:
            thread.start()
        for thread in [*clients, killer]:
            thread.join()
        elapsed = time.monotonic() - started
        both_up = all(get_status(i.port) == 200 for i in instances)
        by_user = {u["id"]: u for u in users}
        resolved = resolve_pending(frontend, ledger, by_user)
        checks = verify(frontend, ledger, by_user)
        throttle = throttle_check(frontend, args.throttle_limit)
    finally:
        if haproxy is not None:
            haproxy.stop()
        for instance in instances:
            instance.stop()

    statuses = Counter("no answer" if o.status is None else str(o.status) for o in outcomes)
    latencies = sorted(o.elapsed * 1000 for o in outcomes if o.status is not None)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "make cluster-soak"
        + (f' CLUSTER_ARGS="{" ".join(sys.argv[1:])}"' if sys.argv[1:] else ""),
        "machine": machine,
        "seconds": round(elapsed, 1),
        "clients": len(clients),
        "workers_per_instance": args.workers,
        "requests": len(outcomes),
        "requests_per_second": round(len(outcomes) / elapsed, 1),
        "statuses": dict(sorted(statuses.items())),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99)], 1) if latencies else None,
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "instance_kills": faults.kills,
        "kill_events": events,
        "5xx": sum(1 for o in outcomes if o.status is not None and o.status >= 500),
        "no_answer": statuses.get("no answer", 0),
        "both_instances_up_at_the_end": both_up,
        "resolved_after_run": resolved,
        **checks,
        **throttle,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "cluster-soak-smoke" if args.smoke else "cluster-soak"
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
            "5xx",
        )
        if result[key]
    ]
    if not faults.kills:
        failures.append("no instance was killed")
    if not both_up:
        failures.append("an instance was not healthy at the end")
    if not throttle["throttle_held"]:
        failures.append("the throttle did not hold across the instances")
    if not args.no_docs:
        write_docs(render_docs(result))
        log(f"figures written to {DOCS.relative_to(ROOT)}")
    if failures:
        log("FAILED: " + ", ".join(failures))
        return 1
    log(
        f"cluster soak passed: {faults.kills} instance kill(s), {len(outcomes):,} requests, "
        "no lost or doubled write, no 5xx, the throttle held across both instances"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
