"""Where a request's time goes: py-spy samples the gunicorn workers while wrk drives a scenario.

Runs against the data `make bench` loaded (the database fintrack_bench_api, or
BENCH_DATABASE_URL), so run that first. Writes the raw stacks (flamegraph.pl / speedscope
input) to bench/results/profile-<scenario>-<records>.txt and prints the share of the workers'
samples spent in each phase of a request (health check, authentication, filters, each query,
formatting, rendering, gunicorn) and in each function (inclusive).

Usage: python -m bench.profile SCENARIO [--user heavy|baseline] [--duration 15] [--rate 500]
       make bench-profile SCENARIO=list
"""

import argparse
import os
import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from .api_bench import CREATING, SCENARIO_BY_NAME, Client, delete_created_records, run_wrk
from .common import RESULTS, Server, bench_database_url, log, setup_django

# The phases of a request, by the frame that runs each; a sample counts in the first phase
# whose frame is on its stack (the health check runs inside the first query, authentication's).
PHASES = [
    # Django's own check; fintrack's PostgreSQL backend sends one only before a transaction or
    # a write that opens a request (fintrack/core/postgresql/base.py).
    ("connection health check (SELECT 1)", "is_usable"),
    ("JWT authentication: decode, user query", "JWTAuthentication.authenticate"),
    ("throttle", "APIView.check_throttles"),
    ("create: input validation", "Serializer.is_valid"),
    ("create: the category lookup (get_or_create)", "category_for_name"),
    ("create: the insert (per-day totals by trigger), commit", "entry_create"),
    ("create: the answer's representation (its tags query)", "EntrySerializer.to_representation"),
    # Around all of the above; what is left is the idempotency wrapper and the view itself.
    ("create: the rest (idempotency wrapper, view)", "run_idempotently"),
    ("django-filter: parse and validate", "GenericAPIView.filter_queryset"),
    ("list: count and total query", "entry_list_totals"),
    ("list: page query", "StandardPagination.paginate_queryset"),
    ("list: formatting the rows", "entry_rows_representation"),
    ("summary: the selector's queries", "summary_for_period"),
    ("trends: the selector's query", "monthly_trends"),
    ("DRF serializers", "rest_framework/serializers.py"),
    ("JSON rendering", "JSONRenderer.render"),
]
REST = "the rest of Django, DRF, the middleware and the view"
OUTSIDE = "gunicorn: reading the request, sending the answer"


def py_spy() -> str:
    for candidate in (shutil.which("py-spy"), str(Path(sys.executable).parent / "py-spy")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise SystemExit("py-spy is not installed: .venv/bin/pip install py-spy")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", choices=sorted(SCENARIO_BY_NAME))
    parser.add_argument("--user", choices=("heavy", "baseline"), default="heavy")
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--rate", type=int, default=500, help="py-spy samples per second")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    spy = py_spy()

    setup_django(bench_database_url("fintrack_bench_api"))
    from fintrack.ledger.models import Entry

    first = (
        Entry.objects.filter(user__username=args.user, kind="expense", date__range=MONTH_RANGE)
        .order_by("-date", "-id")
        .values_list("id", flat=True)
        .first()
    )
    if first is None:
        raise SystemExit("No bench data: run `make bench` first.")
    records = Entry.objects.filter(user__username=args.user).count()
    scenario = SCENARIO_BY_NAME[args.scenario]
    server = Server(workers=args.workers)
    try:
        client = Client(args.user, records, server.token(args.user), first)
        lines = scenario.plan(client)
        run_wrk(server, lines, client.token, argparse.Namespace(**{**vars(args), "duration": 3}))
        outputs = []
        spies = []
        for pid in server.worker_pids():
            output = RESULTS / f"profile-{args.scenario}-{records}-{pid}.tmp"
            outputs.append(output)
            command = [spy, "record", "--pid", str(pid), "--duration", str(args.duration)]
            command += ["--rate", str(args.rate), "--format", "raw", "--output", str(output)]
            spies.append(subprocess.Popen(command, stdout=subprocess.DEVNULL))
        load = threading.Thread(
            target=run_wrk,
            args=(server, lines, client.token, argparse.Namespace(**vars(args))),
        )
        load.start()
        for spy_process in spies:
            spy_process.wait(timeout=args.duration + 60)
        load.join()
    finally:
        server.stop()
        if args.scenario in CREATING:  # the history keeps the size make bench loaded
            delete_created_records()

    stacks: Counter[str] = Counter()
    for output in outputs:
        for line in output.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            stacks[stack] += int(count)
        output.unlink()
    target = RESULTS / f"profile-{args.scenario}-{records}.txt"
    target.write_text("".join(f"{stack} {count}\n" for stack, count in stacks.items()))
    print(report(stacks, args.top))
    log(f"raw stacks in {target.relative_to(RESULTS.parent.parent)}")
    return 0


MONTH_RANGE = ("2026-06-01", "2026-06-30")


def report(stacks: Counter[str], top: int) -> str:
    """Share of the samples inside a request per phase, and inclusive per function."""
    in_request = Counter(
        {stack: count for stack, count in stacks.items() if "handle_request" in stack}
    )
    total = sum(in_request.values()) or 1
    inclusive: Counter[str] = Counter()
    phases: Counter[str] = Counter()
    for stack, count in in_request.items():
        frames = stack.split(";")
        for frame in set(frames):
            inclusive[frame] += count
        phase = next((name for name, key in PHASES if any(key in frame for frame in frames)), None)
        if phase is None:
            inside = any("WSGIHandler.__call__" in frame for frame in frames)
            phase = REST if inside else OUTSIDE
        phases[phase] += count
    lines = [f"{sum(stacks.values())} samples, {total} inside a request", ""]
    lines += ["| phase | share of the request |", "| --- | ---: |"]
    for name in [*(name for name, _ in PHASES), REST, OUTSIDE]:
        if phases[name]:
            lines.append(f"| {name} | {100 * phases[name] / total:.1f} % |")
    lines += ["", "inclusive, by function:"]
    lines += [f"  {100 * n / total:5.1f} %  {frame}" for frame, n in inclusive.most_common(top)]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
