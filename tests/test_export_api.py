"""GET /api/export/: every record, streamed as CSV or JSON, with the list filters and kind."""

import csv
import io
import json
import threading
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import StreamingHttpResponse
from freezegun import freeze_time
from pytest_django import Settings

from fintrack.accounts.models import User
from fintrack.ledger.models import Category, Entry, EntryTag, Kind, Tag

from .assertions import assert_problem, assert_quota_refused, rate_limit
from .conftest import client_for, set_throttle_rates

EXPORT = "/api/export/"
ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY writes the CSV on PostgreSQL only"
)
HEADER = (
    "id,kind,date,amount,currency,category,description,tags,external_id,"
    "recurring_id,import_id,created_at,updated_at"
)


def _record(user, kind, amount, day, category="Food", description="", tags=(), **fields):
    cat, _ = Category.objects.get_or_create(user=user, kind=kind, name=category)
    entry = Entry.objects.create(
        user=user,
        kind=kind,
        amount=Decimal(amount),
        date=day,
        category=cat,
        description=description,
        **fields,
    )
    for name in tags:
        tag, _ = Tag.objects.get_or_create(user=user, name=name, name_key=name.lower())
        EntryTag.objects.create(entry=entry, tag=tag)
    return entry


def _body(response) -> str:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content).decode()


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(_body(response))))


@pytest.fixture
def records(alice, bob):
    _record(bob, Kind.EXPENSE, "1.00", "2026-11-02", description="bob's")
    return [
        _record(alice, Kind.EXPENSE, "4.20", "2026-11-03", description="Coffee", tags=["b", "A"]),
        _record(alice, Kind.INCOME, "2500.00", "2026-11-01", "Salary", "=HYPERLINK(1)"),
        _record(alice, Kind.EXPENSE, "12.00", "2026-10-15", "Rent", "-rent", external_id="X-1"),
    ]


@pytest.mark.django_db
def test_csv_export_oldest_first_with_guard(alice_client, records):
    response = alice_client.get(EXPORT)
    text = _body(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="fintrack-export.csv"'
    assert text.splitlines()[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    rent, salary, coffee = records[2], records[1], records[0]
    assert [row["id"] for row in rows] == [str(rent.id), str(salary.id), str(coffee.id)]
    assert rows[0] | {"created_at": "", "updated_at": ""} == {
        "id": str(rent.id),
        "kind": "expense",
        "date": "2026-10-15",
        "amount": "12.00",
        "currency": "USD",
        "category": "Rent",
        "description": "'-rent",
        "tags": "",
        "external_id": "X-1",
        "recurring_id": "",
        "import_id": "",
        "created_at": "",
        "updated_at": "",
    }
    assert rows[1]["description"] == "'=HYPERLINK(1)"
    assert rows[2]["tags"] == "A;b"
    assert rows[2]["external_id"] == ""


@pytest.mark.django_db
def test_json_export(alice_client, records):
    response = alice_client.get(EXPORT + "?format=json&kind=expense")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="fintrack-export.json"'
    data = json.loads(_body(response))
    coffee = records[0]
    assert [item["id"] for item in data] == [records[2].id, coffee.id]
    assert data[1] == {
        "id": coffee.id,
        "kind": "expense",
        "amount": "4.20",
        "date": "2026-11-03",
        "category": "Food",
        "description": "Coffee",
        "tags": ["A", "b"],
        "external_id": None,
        "recurring_id": None,
        "import_id": None,
        "created_at": data[1]["created_at"],
        "updated_at": data[1]["updated_at"],
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=income", [1]),
        ("kind=expense", [2, 0]),
        ("date_from=2026-11-01", [1, 0]),
        ("date_to=2026-11-01", [2, 1]),
        ("month=2026-10", [2]),
        ("category=food&category=RENT", [2, 0]),
        ("min_amount=5", [2, 1]),
        ("max_amount=5", [0]),
        ("search=coff", [0]),
        ("tag=a", [0]),
        ("external_id=X-1", [2]),
        ("ordering=-amount&page=3&page_size=1", [2, 1, 0]),
    ],
)
def test_every_filter(alice_client, records, query, expected):
    rows = _csv(alice_client.get(f"{EXPORT}?{query}"))
    assert [row["id"] for row in rows] == [str(records[i].id) for i in expected]


@pytest.mark.django_db
@pytest.mark.parametrize("search", ["ZÜRICH", "déjeuner", "ÉPICERIE", "épicerie"])
def test_search_ignores_the_case_of_every_letter(alice, alice_client, records, search):
    """The list's rule (tests/entry_cases.py, SearchCases): É/é and Ü/ü match, in the
    description as in the category name."""
    lunch = _record(alice, Kind.EXPENSE, "9.50", "2026-11-04", "Épicerie", "Déjeuner à Zürich")

    rows = _csv(alice_client.get(EXPORT, {"search": search}))

    assert [row["id"] for row in rows] == [str(lunch.id)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("format=xml", "format"),
        ("kind=gift", "kind"),
        ("month=2026-13", "month"),
        ("min_amount=x", "min_amount"),
    ],
)
def test_bad_parameters_are_400(alice_client, query, field):
    assert_problem(alice_client.get(f"{EXPORT}?{query}"), 400, errors=[field])


@pytest.mark.django_db
def test_bob_never_appears(bob_client, records):
    rows = _csv(bob_client.get(EXPORT))
    assert [row["description"] for row in rows] == ["bob's"]


@pytest.mark.django_db
def test_round_trip_into_a_fresh_account(alice, alice_client, records):
    from .factories import UserFactory

    exported = _body(alice_client.get(EXPORT))
    carol = UserFactory(username="carol", email="carol@example.com")
    carol_client = client_for(carol)
    response = carol_client.generic(
        "POST", "/api/imports/?commit=true", exported.encode(), content_type="text/csv"
    )
    assert response.status_code == 201, response.content
    assert response.json()["new"] == 3

    def shape(user):
        return sorted(
            (
                e.kind,
                e.date.isoformat(),
                e.amount,
                e.category.name,
                e.description,
                sorted(e.tags.values_list("name", flat=True)),
                e.external_id,
            )
            for e in Entry.objects.filter(user=user)
        )

    assert shape(carol) == shape(alice)


# The export quota: THROTTLE_EXPORT_RATE exports in any 60 minutes, counting only those
# answered 200 (three an hour here).


@pytest.fixture
def export_quota(settings: Settings) -> None:
    set_throttle_rates(settings, export="3/hour")


@pytest.mark.django_db
def test_the_export_quota_is_any_60_minutes_not_the_clock_hour(alice, export_quota):
    with freeze_time("2026-11-24 03:50:00") as clock:
        answers = [client_for(alice).get(EXPORT) for _ in range(3)]
        clock.move_to("2026-11-24 04:00:30")  # a new clock hour, 10.5 minutes later
        response = client_for(alice).get(EXPORT)

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [rate_limit(a) for a in answers] == [
        ("3", "2", "3600"),
        ("3", "1", "3600"),
        ("3", "0", "3600"),
    ]
    # Until 04:50:00, when the three exports of 03:50:00 leave the window.
    assert_quota_refused(response, limit=3, wait=2970)


@pytest.mark.django_db
def test_an_export_frees_its_slot_exactly_60_minutes_later(alice, export_quota):
    with freeze_time("2026-11-24 09:00:00") as clock:
        for moment in ("09:00:00", "09:10:00", "09:20:00"):
            clock.move_to(f"2026-11-24 {moment}")
            assert client_for(alice).get(EXPORT).status_code == 200
        clock.move_to("2026-11-24 09:30:00")
        partway = client_for(alice).get(EXPORT)
        clock.move_to("2026-11-24 09:59:59")
        refused = client_for(alice).get(EXPORT)
        clock.move_to("2026-11-24 10:00:00")
        accepted = client_for(alice).get(EXPORT)
        refused_again = client_for(alice).get(EXPORT)

    # The oldest of the three leaves at 10:00:00.
    assert_quota_refused(partway, limit=3, wait=1800)
    assert_quota_refused(refused, limit=3, wait=1)
    assert accepted.status_code == 200
    # 09:10, 09:20 and 10:00 count; the next to leave is 09:10's, at 10:10.
    assert rate_limit(accepted) == ("3", "0", "600")
    assert_quota_refused(refused_again, limit=3, wait=600)


@pytest.mark.django_db
def test_after_the_quota_is_lowered_the_wait_lasts_until_a_slot_frees(alice, settings):
    set_throttle_rates(settings, export="3/hour")
    with freeze_time("2026-11-24 09:00:00") as clock:
        for moment in ("09:00:00", "09:10:00", "09:20:00"):
            clock.move_to(f"2026-11-24 {moment}")
            assert client_for(alice).get(EXPORT).status_code == 200
        set_throttle_rates(settings, export="2/hour")
        clock.move_to("2026-11-24 09:30:00")
        response = client_for(alice).get(EXPORT)

    # Three uses for two slots: one frees up once 09:00's and 09:10's have left, at 10:10.
    assert_problem(response, 429)
    assert response["Retry-After"] == "2400"
    assert rate_limit(response) == ("2", "0", "2400")


@pytest.mark.django_db
def test_refused_and_not_modified_exports_do_not_use_the_quota(alice, export_quota):
    with freeze_time("2026-11-24 09:00:00"):
        client = client_for(alice)
        first = client.get(EXPORT)
        refused = {
            query: client.get(f"{EXPORT}?{query}")
            for query in ("format=xml", "kind=gift", "min_amount=x", "month=2026-13")
        }
        not_modified = client.get(EXPORT, HTTP_IF_NONE_MATCH=first["ETag"])
        later = [client.get(EXPORT) for _ in range(3)]

    assert first.status_code == 200
    assert rate_limit(first) == ("3", "2", "3600")
    assert {query: r.status_code for query, r in refused.items()} == dict.fromkeys(refused, 400)
    assert {query: rate_limit(r) for query, r in refused.items()} == dict.fromkeys(
        refused, ("3", "2", "3600")
    )
    assert not_modified.status_code == 304
    assert [r.status_code for r in later] == [200, 200, 429]
    assert rate_limit(later[0]) == ("3", "1", "3600")


@pytest.mark.django_db
def test_a_head_is_no_export_and_uses_nothing(alice, export_quota):
    with freeze_time("2026-11-24 09:00:00"):
        client = client_for(alice)
        heads = [client.head(f"{EXPORT}?format={f}") for f in ("csv", "json", "csv")]
        gets = [client.get(EXPORT) for _ in range(3)]

    assert [h.status_code for h in heads] == [200, 200, 200]
    assert [h["Content-Disposition"] for h in heads] == [
        'attachment; filename="fintrack-export.csv"',
        'attachment; filename="fintrack-export.json"',
        'attachment; filename="fintrack-export.csv"',
    ]
    assert [rate_limit(h) for h in heads] == [("3", "3", "3600")] * 3
    assert [g.status_code for g in gets] == [200, 200, 200]


@pytest.mark.django_db
def test_a_used_up_quota_still_answers_a_head_and_a_304(alice, export_quota):
    """Neither is an export: the quota refuses neither, and the next export is still a 429."""
    with freeze_time("2026-11-24 09:00:00"):
        client = client_for(alice)
        last = [client.get(EXPORT) for _ in range(3)][-1]
        head = client.head(EXPORT)
        not_modified = client.get(EXPORT, HTTP_IF_NONE_MATCH=last["ETag"])
        refused = client.get(EXPORT)

    assert head.status_code == 200
    assert not_modified.status_code == 304
    assert rate_limit(head) == rate_limit(not_modified) == ("3", "0", "3600")
    assert_quota_refused(refused, limit=3, wait=3600)


@pytest.mark.django_db
def test_another_users_exports_never_use_the_quota(alice, bob, export_quota):
    with freeze_time("2026-11-24 09:00:00"):
        for _ in range(3):
            assert client_for(alice).get(EXPORT).status_code == 200
        bobs = client_for(bob).get(EXPORT)
        alices = client_for(alice).get(EXPORT)

    assert bobs.status_code == 200
    assert rate_limit(bobs) == ("3", "2", "3600")
    assert_quota_refused(alices, limit=3, wait=3600)


@pytest.mark.django_db
def test_an_export_that_raced_past_the_check_is_refused_under_the_lock(
    alice, export_quota, monkeypatch
):
    from fintrack.quotas.api import throttles
    from fintrack.quotas.selectors import QuotaState

    with freeze_time("2026-11-24 09:00:00") as clock:
        for _ in range(3):
            assert client_for(alice).get(EXPORT).status_code == 200
        clock.move_to("2026-11-24 09:05:00")
        # The check read the quota before three concurrent exports were counted.
        stale = QuotaState(scope="export", limit=3, used=0, reset=3600)
        monkeypatch.setattr(throttles, "quota_state", lambda **kwargs: stale)
        response = client_for(alice).get(EXPORT)

    assert_quota_refused(response, limit=3, wait=3300)


@pytest.mark.django_db
def test_the_headers_show_the_quota_after_the_use_even_when_looser_than_at_the_check(
    alice, export_quota, monkeypatch
):
    from fintrack.quotas.api import throttles
    from fintrack.quotas.selectors import QuotaState

    # At the check, two uses counted, the older leaving in 10 s; both left before the export
    # was counted (the only use now is its own).
    stale = QuotaState(scope="export", limit=3, used=2, reset=10)
    monkeypatch.setattr(throttles, "quota_state", lambda **kwargs: stale)
    with freeze_time("2026-11-24 09:00:00"):
        response = client_for(alice).get(EXPORT)

    assert response.status_code == 200
    assert rate_limit(response) == ("3", "2", "3600")


@pytest.mark.django_db
def test_the_headers_report_the_tightest_limit(alice, settings):
    set_throttle_rates(settings, user="4/min", export="30/hour")
    cache.clear()  # the per-user counters of earlier tests
    with freeze_time("2026-11-24 09:00:00"):
        client = client_for(alice)
        answers = [client.get(EXPORT) for _ in range(5)]

    # The quota leaves 29, 28...: the per-user limit (4 a minute) is tighter from the start.
    assert [rate_limit(a) for a in answers[:4]] == [
        ("4", "3", "60"),
        ("4", "2", "60"),
        ("4", "1", "60"),
        ("4", "0", "60"),
    ]
    assert answers[4].status_code == 429
    assert answers[4]["Retry-After"] == "60"


@pytest.mark.django_db
def test_the_headers_report_the_quota_once_it_is_the_tighter(alice, settings):
    set_throttle_rates(settings, user="100/min", export="2/hour")
    cache.clear()  # the per-user counters of earlier tests
    with freeze_time("2026-11-24 09:00:00") as clock:
        client = client_for(alice)
        first = client.get(EXPORT)
        clock.move_to("2026-11-24 09:20:00")
        client = client_for(alice)  # the access token lives 15 minutes
        second = client.get(EXPORT)
        third = client.get(EXPORT)

    assert rate_limit(first) == ("2", "1", "3600")
    # After the use of this very request, the one of 09:00 leaving at 10:00.
    assert rate_limit(second) == ("2", "0", "2400")
    assert third.status_code == 429
    assert third["Retry-After"] == "2400"
    assert rate_limit(third) == ("2", "0", "2400")


@pytest.mark.django_db(transaction=True)
def test_concurrent_exports_never_exceed_the_quota(alice: User, settings: Settings) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the race needs real concurrent transactions (PostgreSQL)")
    set_throttle_rates(settings, export="2/hour")
    barrier = threading.Barrier(8)
    answers: list[int] = []

    def export() -> None:
        client = client_for(alice)
        barrier.wait()
        try:
            response = client.get(EXPORT)
            if response.status_code == 200:
                assert isinstance(response, StreamingHttpResponse)
                b"".join(response.streaming_content)
            answers.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=export) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers) == [200, 200] + [429] * 6


@pytest.mark.django_db
def test_queries_do_not_grow_with_records(alice, alice_client, django_assert_max_num_queries):
    for i in range(30):
        _record(alice, Kind.EXPENSE, f"{i + 1}.00", "2026-11-01", tags=["t"])
    # The quota's fixed handful included: read, lock, prune, count, record.
    with django_assert_max_num_queries(15):
        rows = _csv(alice_client.get(EXPORT))
    assert len(rows) == 30


@pytest.mark.django_db
def test_without_server_side_cursors_pages_by_keyset(alice, alice_client, monkeypatch):
    from fintrack.imports import exports

    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    monkeypatch.setattr(exports, "CHUNK_ROWS", 3)
    # The Python writer's paging (on PostgreSQL the CSV is COPY's, behind PgBouncer too).
    monkeypatch.setattr(exports, "copy_applies", lambda queryset: False)
    made = [_record(alice, Kind.EXPENSE, f"{i + 1}.00", f"2026-11-0{1 + i % 3}") for i in range(8)]
    rows = _csv(alice_client.get(EXPORT))
    expected = sorted(made, key=lambda e: (e.date, e.id))
    assert [row["id"] for row in rows] == [str(e.id) for e in expected]


def _export_bytes(client, query: str, monkeypatch, *, copy: bool) -> bytes:
    """The CSV export's bytes, written by COPY or by the Python writer (the other one made
    unreachable, so the test knows which one wrote them)."""
    from fintrack.imports import exports

    def unreachable(*args, **kwargs):
        raise AssertionError("the other CSV writer ran")

    with monkeypatch.context() as patch:
        if copy:
            patch.setattr(exports, "python_csv_chunks", unreachable)
        else:
            patch.setattr(exports, "copy_applies", lambda queryset: False)
        response = client.get(f"{EXPORT}?{query}")
        assert response.status_code == 200, response.content
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="fintrack-export.csv"'
        return b"".join(response.streaming_content)


@pytest.fixture
def varied(alice, bob):
    """Records with every kind of cell the CSV writers must agree on."""
    from datetime import UTC, datetime

    from fintrack.imports.models import Import
    from fintrack.recurring.models import RecurringRule

    _record(bob, Kind.EXPENSE, "1.00", "2026-11-02", description="=bob", tags=["=b"])
    rule_category, _ = Category.objects.get_or_create(user=alice, kind=Kind.INCOME, name="Pay")
    rule = RecurringRule.objects.create(
        user=alice,
        kind=Kind.INCOME,
        amount=Decimal("2500.00"),
        category=rule_category,
        frequency="monthly",
        start_date="2026-01-01",
    )
    batch = Import.objects.create(user=alice, status="committed")
    cells = [
        ("0.01", "2026-01-01", "Food", "Coffee, large", ["b", "A", "Äpfel"], {}),
        ("9999999999.99", "2026-01-01", "=Cat", 'He said "hi"', ["=sum", "z"], {}),
        ("0.10", "2026-02-28", "Food", "line one\nline two\r\nthree", [], {}),
        ("100.00", "2026-03-01", "Rent", "+cmd", ['quote"tag'], {"external_id": "-X,1"}),
        ("12.34", "2026-03-01", "Rent", "@SUM(A1)", [], {"external_id": "@ext"}),
        ("5.00", "2026-03-02", "Food", "-5 refund", ["\ttab"], {"external_id": "'q"}),
        ("7.07", "2026-03-03", "Food", "'quoted", [], {}),
        ("8.00", "2026-03-04", "Food", "\tlead tab", [], {}),
        ("9.00", "2026-03-05", "Food", "\rlead cr", [], {}),
        ("10.00", "2026-03-06", "Food", "", ["  spaced  "], {}),
        ("11.00", "2026-03-07", "Café ☕", "unicode ümlaut 日本 🙂", ["日本"], {}),
        ("12.00", "2026-03-08", "Food", "trailing space ", [], {"external_id": "x" * 40}),
        ("13.00", "2026-03-09", "Food", "back\\slash;semi", [], {}),
        ("14.00", "2026-03-10", "Food", "=", ["-"], {}),
    ]
    made = []
    for i, (amount, day, category, description, tags, fields) in enumerate(cells):
        kind = Kind.EXPENSE if i % 3 else Kind.INCOME
        made.append(_record(alice, kind, amount, day, category, description, tags, **fields))
    made.append(
        _record(alice, Kind.INCOME, "2500.00", "2026-02-01", "Pay", "Salary", recurring=rule)
    )
    made.append(
        _record(alice, Kind.EXPENSE, "3.50", "2026-02-01", "Food", "Bank", source_import=batch)
    )
    # Datetimes with and without microseconds (isoformat() omits ".000000").
    Entry.objects.filter(pk=made[0].pk).update(
        created_at=datetime(2026, 1, 1, 8, 0, 0, tzinfo=UTC),
        updated_at=datetime(2026, 1, 2, 9, 30, 15, 1, tzinfo=UTC),
    )
    Entry.objects.filter(pk=made[1].pk).update(
        created_at=datetime(999, 1, 1, 0, 0, 0, 500000, tzinfo=UTC)
    )
    return made


@pytest.mark.django_db
@ON_POSTGRESQL
@pytest.mark.parametrize(
    "query",
    [
        "",
        "kind=income",
        "kind=expense",
        "date_from=2026-02-01&date_to=2026-03-05",
        "month=2026-03",
        "category=food&category=%3DCAT",
        "tag=a&tag=%22",
        "tag=%3Dsum",
        "min_amount=5&max_amount=12.34",
        "search=line",
        "search=caf%C3%A9",
        "search=%25",
        "search=_",
        "external_id=-X,1",
        "ordering=-amount&page=2&page_size=1",
        "kind=expense&min_amount=1&search=o&date_from=2026-01-01",
    ],
)
def test_copy_writes_the_bytes_of_the_python_writer(alice_client, varied, monkeypatch, query):
    by_copy = _export_bytes(alice_client, query, monkeypatch, copy=True)
    by_python = _export_bytes(alice_client, query, monkeypatch, copy=False)
    assert by_copy == by_python
    assert by_copy.startswith(HEADER.encode() + b"\r\n")
    if not query:
        assert by_copy.count(b"\r\n") > len(varied)  # the header, the rows, embedded breaks


@pytest.mark.django_db
@ON_POSTGRESQL
def test_copy_chunks_and_an_empty_export(alice, alice_client, monkeypatch):
    from fintrack.imports import exports

    assert _export_bytes(alice_client, "", monkeypatch, copy=True) == HEADER.encode() + b"\r\n"
    none = Entry.objects.filter(user=alice, category__in=[])  # EmptyResultSet when compiled
    assert b"".join(exports.copy_csv_chunks(none, currency="USD")) == HEADER.encode() + b"\r\n"
    monkeypatch.setattr(exports, "CHUNK_ROWS", 3)
    for i in range(8):
        _record(alice, Kind.EXPENSE, f"{i + 1}.00", f"2026-11-0{1 + i % 3}", description=f"d{i}")
    by_copy = _export_bytes(alice_client, "", monkeypatch, copy=True)
    assert by_copy == _export_bytes(alice_client, "", monkeypatch, copy=False)
    assert by_copy.count(b"\r\n") == 9


@pytest.mark.django_db
@ON_POSTGRESQL
def test_copy_closed_early_leaves_the_connection_usable(alice, monkeypatch):
    """A client that goes away mid-download: the response closes the generator with the COPY
    unfinished; psycopg cancels and drains it, and the connection serves the next query."""
    from fintrack.imports import exports

    monkeypatch.setattr(exports, "CHUNK_ROWS", 2)
    for i in range(10):
        _record(alice, Kind.EXPENSE, f"{i + 1}.00", "2026-11-01")
    chunks = exports.copy_csv_chunks(Entry.objects.filter(user=alice), currency="USD")
    assert next(chunks) == HEADER.encode() + b"\r\n"
    assert next(chunks).count(b"\r\n") == 2
    chunks.close()
    assert Entry.objects.filter(user=alice).count() == 10
