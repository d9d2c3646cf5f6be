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
import json
import random
import statistics
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from .common import (
    HISTORY_END,
    HISTORY_START,
    MEASURED_MONTH,
    Server,
    copy_entries,
    load_other_users,
    log,
    machine_info,
    make_user,
    measure,
    open_bench_database,
    publish_results,
    random_rows,
    reset_data,
    vacuum_analyze,
)

# RESULTS is re-exported: bench.soak imports it, with the server helpers, from this module.
from .common import RESULTS as RESULTS


def sql_execution_ms(run_selector: Callable[[], object]) -> float:
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


def raw_sql_ms(sql: str, params: list, repeats: int = 20) -> float:
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


def best_sql_ms(run_selector: Callable[[], object], repeats: int = 20) -> float:
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

    database_url = open_bench_database("fintrack_bench")
    from django.db import connection

    from fintrack.analytics import selectors
    from fintrack.core.periods import month_period

    rng = random.Random(20261124)
    log(f"database {database_url}")
    reset_data()
    heavy, heavy_categories = make_user("heavy")
    dense, dense_categories = make_user("dense")

    load_other_users(rng, args.others)

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
        "machine": machine_info(),
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
            row: dict[str, Any] = {
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

    table = render_table(results)
    docs = None if args.smoke else ("bench-summary", render_docs(results, table))
    publish_results("summary-smoke.json" if args.smoke else "summary.json", results, table, docs)
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


def render_docs(results: dict, table: str) -> str:
    machine = results["machine"]
    return "\n".join(
        [
            "## `make bench-summary`: summary and trends, growing history and dense window",
            "",
            f"Run {results['date']} with `{results['command'].strip()}` on {machine['cores']} "
            f"cores, {machine['memory_gib']} GiB, PostgreSQL {machine['postgresql']}, "
            f"Python {machine['python']}. Latency of sequential requests on one connection "
            "(results: `bench/results/summary.json`).",
            # The table, then its ratios as a list (consecutive lines would run together).
            "\n".join(
                f"- {line}" if line and not line.startswith("|") else line
                for line in table.splitlines()
            ),
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
