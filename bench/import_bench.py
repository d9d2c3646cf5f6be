"""Benchmark of the CSV import and of the streamed export, on PostgreSQL behind gunicorn.

1. import: a 50,000-row bank CSV previewed (POST /api/imports/) then committed, in rows/s,
   against COPY of the same rows into ledger_entry (its daily-total triggers included), in
   the same run. Target: ratio >= 0.25.
2. export: the heavy user's 1,000,000 records as CSV (GET /api/export/), in rows/s, against
   COPY (SELECT the same columns) TO STDOUT, with the growth of the worker's VmRSS sampled
   while it streams. Targets: ratio >= 0.3, RSS growth < 20 MiB.

Usage: python -m bench.import_bench [--rows 50000] [--records 1000000] [--smoke]
"""

import argparse
import http.client
import io
import json
import random
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from .common import (
    CATEGORIES,
    HISTORY_END,
    HISTORY_START,
    Server,
    bench_database_url,
    copy_entries,
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

if TYPE_CHECKING:
    # Imported where used at run time: Django is set up first (setup_django).
    from fintrack.accounts.models import User
    from fintrack.ledger.models import Category

IMPORT_RATIO_TARGET = 0.25
EXPORT_RATIO_TARGET = 0.3
RSS_GROWTH_TARGET_MIB = 20


def bank_csv(rows: list[tuple]) -> str:
    """The rows as a bank would write them: signed amounts, no kind column."""
    names = {index: name for index, (_kind, name, _d) in enumerate(CATEGORIES)}
    lines = ["Date,Amount,Description,Category"]
    for _user, kind, cents, day, category_index, description in rows:
        sign = "-" if kind == "expense" else ""
        lines.append(
            f"{day},{sign}{cents // 100}.{cents % 100:02d},{description},{names[category_index]}"
        )
    return "\n".join(lines) + "\n"


def post_csv(server: Server, path: str, token: str, body: bytes) -> tuple[int, bytes, float]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
    started = time.perf_counter()
    conn.request("POST", path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return response.status, data, elapsed


def copy_rate(rows: list[tuple], user: "User", categories: "Sequence[Category]") -> float:
    """Rows/s of COPY of these rows into ledger_entry (triggers included), then removed."""
    from django.db import connection

    started = time.perf_counter()
    copy_entries(
        (
            (user.pk, kind, cents, day, categories[index].pk, text)
            for _u, kind, cents, day, index, text in rows
        ),
        len(rows),
        "COPY baseline",
    )
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_entry WHERE user_id = %s", [user.pk])
    return len(rows) / elapsed


EXPORT_SQL = """
    SELECT e.id, e.kind, e.date, e.amount, c.name, e.description, e.external_id,
           e.recurring_id, e.import_id, e.created_at, e.updated_at
    FROM ledger_entry e JOIN ledger_category c ON c.id = e.category_id
    WHERE e.user_id = %s ORDER BY e.date, e.id
"""


def copy_out_rate(user_id: int, records: int) -> float:
    from django.db import connection

    connection.ensure_connection()
    started = time.perf_counter()
    size = 0
    with connection.connection.cursor() as raw:
        query = "COPY (" + EXPORT_SQL.replace("%s", str(int(user_id))) + ") TO STDOUT WITH CSV"
        with raw.copy(query) as copy:
            for block in copy:
                size += len(block)
    return records / (time.perf_counter() - started)


def export_rate(server: Server, token: str, records: int) -> tuple[float, float, int]:
    """Rows/s of GET /api/export/ read to the end, the worker's largest RSS growth (MiB)
    sampled while it streams, and the rows received."""
    before = max(server.worker_rss_kib())
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], *server.worker_rss_kib())
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    started = time.perf_counter()
    conn.request("GET", "/api/export/?format=csv", headers={"Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    lines = 0
    while block := response.read(1 << 16):
        lines += block.count(b"\n")
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    conn.close()
    assert response.status == 200, response.status
    return (lines - 1) / elapsed, (peak[0] - before) / 1024, lines - 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=50_000, help="rows of the imported file")
    parser.add_argument("--records", type=int, default=1_000_000, help="records exported")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks that it runs")
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.records = 2_000, 5_000

    database_url = bench_database_url("fintrack_bench_import")
    ensure_database(database_url)
    setup_django(database_url)
    from django.db import connection

    rng = random.Random(20261129)
    log(f"database {database_url}")
    reset_data()
    importer, _ = make_user("importer")
    baseline, baseline_categories = make_user("copier")
    heavy, heavy_categories = make_user("heavy")
    copy_entries(
        random_rows(rng, heavy, heavy_categories, args.records, HISTORY_START, HISTORY_END),
        args.records,
        "heavy user's records",
    )
    # The file: distinct rows (a real statement), as (user, kind, cents, day, category, text).
    index_of = {category.pk: i for i, category in enumerate(heavy_categories)}
    rows = [
        (None, kind, cents, day, index_of[category], f"{text} {n}")
        for n, (_u, kind, cents, day, category, text) in enumerate(
            random_rows(
                rng, heavy, heavy_categories, args.rows, date(2027, 1, 1), date(2027, 12, 31)
            )
        )
    ]
    vacuum_analyze()
    copy_rows_per_second = copy_rate(rows, baseline, baseline_categories)
    body = bank_csv(rows).encode()
    copy_out_per_second = copy_out_rate(heavy.pk, args.records)
    connection.close()

    server = Server(workers=1)
    try:
        token = server.token("importer")
        status, data, preview_s = post_csv(server, "/api/imports/", token, body)
        assert status == 201, data[:500]
        batch = json.loads(data)
        assert batch["new"] == args.rows, batch
        status, data, commit_s = post_csv(server, f"/api/imports/{batch['id']}/commit/", token, b"")
        assert status == 200, data[:500]
        import_per_second = args.rows / (preview_s + commit_s)
        heavy_token = server.token("heavy")
        export_per_second, rss_growth_mib, exported = export_rate(server, heavy_token, args.records)
        assert exported == args.records, exported
    finally:
        server.stop()

    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench.import_bench " + " ".join(sys.argv[1:]),
        "machine": machine_info(),
        "import": {
            "rows": args.rows,
            "preview_s": round(preview_s, 3),
            "commit_s": round(commit_s, 3),
            "rows_per_second": round(import_per_second),
            "copy_rows_per_second": round(copy_rows_per_second),
            "ratio": round(import_per_second / copy_rows_per_second, 3),
            "target": IMPORT_RATIO_TARGET,
        },
        "export": {
            "records": args.records,
            "rows_per_second": round(export_per_second),
            "copy_out_rows_per_second": round(copy_out_per_second),
            "ratio": round(export_per_second / copy_out_per_second, 3),
            "target": EXPORT_RATIO_TARGET,
            "worker_rss_growth_mib": round(rss_growth_mib, 1),
            "rss_target_mib": RSS_GROWTH_TARGET_MIB,
        },
    }
    log(json.dumps({"import": results["import"], "export": results["export"]}))
    write_results("import-smoke.json" if args.smoke else "import.json", results)
    if not args.smoke:
        update_docs_section("bench-import", render_docs(results))
    return 0


def render_docs(results: dict) -> str:
    imp, exp = results["import"], results["export"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "missed"

    out = io.StringIO()
    out.write(f"## Import and export ({results['date']}, `{results['command']}`)\n\n")
    out.write(
        f"- Import of {imp['rows']:,} rows: preview {imp['preview_s']} s + commit "
        f"{imp['commit_s']} s = {imp['rows_per_second']:,} rows/s; COPY of the same rows "
        f"{imp['copy_rows_per_second']:,} rows/s; ratio {imp['ratio']} (target ≥ "
        f"{imp['target']}: {verdict(imp['ratio'] >= imp['target'])}).\n"
    )
    out.write(
        f"- Export of {exp['records']:,} records as CSV: {exp['rows_per_second']:,} rows/s; "
        f"COPY (SELECT ...) TO STDOUT {exp['copy_out_rows_per_second']:,} rows/s; ratio "
        f"{exp['ratio']} (target ≥ {exp['target']}: {verdict(exp['ratio'] >= exp['target'])}); "
        f"worker RSS growth {exp['worker_rss_growth_mib']} MiB (target < {exp['rss_target_mib']}: "
        f"{verdict(exp['worker_rss_growth_mib'] < exp['rss_target_mib'])}).\n"
    )
    return out.getvalue()


if __name__ == "__main__":
    raise SystemExit(main())
