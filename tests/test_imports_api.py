"""POST/GET /api/imports/, rows, commit, undo, delete: bank CSVs imported without duplicates."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum
from freezegun import freeze_time
from pytest_django import Settings

from fintrack.imports.models import Import, ImportRow
from fintrack.ledger.models import Category, DailyTotal, Entry, Kind

from .assertions import assert_problem, assert_quota_refused, rate_limit
from .conftest import client_for, set_throttle_rates

IMPORTS = "/api/imports/"


def _upload(client, text: str | bytes, query: str = "", **headers):
    body = text.encode() if isinstance(text, str) else text
    return client.generic("POST", IMPORTS + query, body, content_type="text/csv", **headers)


def _rows(client, batch_id: int, verdict: str = "") -> list[dict]:
    query = f"?verdict={verdict}&page_size=500" if verdict else "?page_size=500"
    response = client.get(f"{IMPORTS}{batch_id}/rows/{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _expense(user, amount: str, day: str, description: str = "", **fields) -> Entry:
    category, _ = Category.objects.get_or_create(user=user, kind=Kind.EXPENSE, name="Food")
    return Entry.objects.create(
        user=user,
        kind=Kind.EXPENSE,
        amount=Decimal(amount),
        date=day,
        category=category,
        description=description,
        **fields,
    )


BANK = (
    "Date,Amount,Description,Category,Tags\n"
    "2026-11-03,-4.20,Coffee,Food,work;Morning\n"
    "2026-11-03,-4.20,coffee ,Food,\n"
    "2026-11-01,2500.00,November pay,Salary,\n"
)


@pytest.mark.django_db
def test_preview_answers_the_import_and_creates_nothing(alice_client):
    response = _upload(alice_client, BANK)

    assert response.status_code == 201, response.content
    body = response.json()
    batch = Import.objects.get()
    assert body == {
        "id": batch.id,
        "status": "previewed",
        "filename": None,
        "rows": 3,
        "new": 3,
        "duplicates": 0,
        "errors": 0,
        "created_at": body["created_at"],
        "committed_at": None,
    }
    assert not Entry.objects.exists()
    assert _rows(alice_client, batch.id) == [
        {
            "line": 2,
            "verdict": "new",
            "errors": None,
            "record": {
                "kind": "expense",
                "amount": "4.20",
                "date": "2026-11-03",
                "category": "Food",
                "description": "Coffee",
                "tags": ["work", "Morning"],
                "external_id": None,
            },
            "duplicate_of": None,
        },
        {
            "line": 3,
            "verdict": "new",
            "errors": None,
            "record": {
                "kind": "expense",
                "amount": "4.20",
                "date": "2026-11-03",
                "category": "Food",
                "description": "coffee",
                "tags": [],
                "external_id": None,
            },
            "duplicate_of": None,
        },
        {
            "line": 4,
            "verdict": "new",
            "errors": None,
            "record": {
                "kind": "income",
                "amount": "2500.00",
                "date": "2026-11-01",
                "category": "Salary",
                "description": "November pay",
                "tags": [],
                "external_id": None,
            },
            "duplicate_of": None,
        },
    ]


@pytest.mark.django_db
def test_commit_creates_the_new_rows_and_reimport_is_all_duplicates(alice, alice_client):
    batch_id = _upload(alice_client, BANK).json()["id"]
    response = alice_client.post(f"{IMPORTS}{batch_id}/commit/")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "committed"
    assert response.json()["committed_at"] is not None
    records = Entry.objects.filter(user=alice).order_by("id")
    assert [(e.kind, e.amount, e.description, e.source_import_id) for e in records] == [
        ("expense", Decimal("4.20"), "Coffee", batch_id),
        ("expense", Decimal("4.20"), "coffee", batch_id),
        ("income", Decimal("2500.00"), "November pay", batch_id),
    ]
    first = records[0]
    assert sorted(first.tags.values_list("name", flat=True)) == ["Morning", "work"]
    assert alice_client.get(f"/api/expenses/{first.id}/").json()["import_id"] == batch_id

    again = _upload(alice_client, BANK).json()
    assert (again["new"], again["duplicates"]) == (0, 3)
    rows = _rows(alice_client, again["id"])
    assert [row["duplicate_of"] for row in rows] == [e.id for e in records]


@pytest.mark.django_db
def test_identical_in_any_case_means_every_letter_not_only_a_to_z(alice, alice_client):
    """Rows repeat records whose description differs only in case, accents and other scripts
    included (as search reads case: each letter's capital, so ß is not SS)."""
    existing = [
        _expense(alice, "3.00", "2026-11-05", "Café Zürich"),
        _expense(alice, "4.00", "2026-11-05", "Καφές"),
        _expense(alice, "5.00", "2026-11-05", "Straße"),
    ]
    text = (
        "date,amount,description\n"
        "2026-11-05,-3.00,CAFÉ ZÜRICH\n"
        "2026-11-05,-4.00,ΚΑΦΈΣ\n"
        "2026-11-05,-5.00,STRASSE\n"
    )
    body = _upload(alice_client, text).json()

    assert (body["new"], body["duplicates"]) == (1, 2)
    rows = _rows(alice_client, body["id"])
    assert [row["duplicate_of"] for row in rows] == [existing[0].id, existing[1].id, None]


@pytest.mark.django_db
def test_kth_identical_row_rule(alice, alice_client):
    existing = _expense(alice, "3.00", "2026-11-05", "Coffee")
    text = "date,amount,description\n" + "2026-11-05,-3.00,COFFEE\n" * 3
    body = _upload(alice_client, text).json()

    assert (body["new"], body["duplicates"]) == (2, 1)
    rows = _rows(alice_client, body["id"])
    assert [(r["verdict"], r["duplicate_of"]) for r in rows] == [
        ("duplicate", existing.id),
        ("new", None),
        ("new", None),
    ]


@pytest.mark.django_db
def test_external_ids_match_records_of_the_same_kind_and_repeat_once(alice, alice_client):
    expense = _expense(alice, "9.00", "2026-11-05", "x", external_id="B-1")
    text = (
        "date,amount,kind,external_id\n"
        "2026-11-06,1.00,expense,B-1\n"  # the expense's id: duplicate
        "2026-11-06,1.00,income,B-1\n"  # another kind: new
        "2026-11-06,2.00,expense,B-2\n"  # first of its id: new
        "2026-11-07,3.00,expense,B-2\n"  # repeats the row above
    )
    body = _upload(alice_client, text).json()
    rows = _rows(alice_client, body["id"])

    assert [(r["verdict"], r["duplicate_of"]) for r in rows] == [
        ("duplicate", expense.id),
        ("new", None),
        ("new", None),
        ("duplicate", None),
    ]


@pytest.mark.django_db
def test_error_rows_carry_the_errors_of_a_create(alice_client):
    text = (
        "date,amount,kind,category,currency,tags\n"
        "2026-11-06,-1.00,expense,Food,USD,\n"
        '2026-13-06,0,gift,Food,EUR,"a;b,c"\n'
        "2026-11-06,1.001,income,,USD,\n"
        "2026-11-06,12\n"
        "2026-11-06,abc,income,,USD,\n"
    )
    body = _upload(alice_client, text).json()
    rows = _rows(alice_client, body["id"], "error")

    assert body["errors"] == 5
    assert [(r["line"], sorted(r["errors"])) for r in rows] == [
        (2, ["amount"]),
        (3, ["amount", "currency", "date", "kind", "tags"]),
        (4, ["amount"]),
        (5, ["non_field_errors"]),
        (6, ["amount"]),
    ]
    assert rows[0]["errors"] == {"amount": ["Ensure this value is greater than or equal to 0.01."]}
    assert rows[0]["record"] is None
    # Word for word what a create says about the same date.
    created = alice_client.post("/api/expenses/", {"amount": "1.00", "date": "2026-13-06"})
    assert (
        rows[1]["errors"]["date"] == assert_problem(created, 400, errors=["date"])["errors"]["date"]
    )


@pytest.mark.django_db
def test_date_formats_decimal_comma_and_formula_guard(alice_client):
    text = "date;amount;description\n"
    text = 'Date,Amount,Description\n03.11.2026,"-1.234,56",\'=SUM(A1)\n'
    body = _upload(alice_client, text, "?date_format=DD.MM.YYYY&decimal=comma").json()
    record = _rows(alice_client, body["id"])[0]["record"]

    assert (record["date"], record["amount"], record["kind"]) == (
        "2026-11-03",
        "1234.56",
        "expense",
    )
    assert record["description"] == "=SUM(A1)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [("?commit=yes", "commit"), ("?date_format=YY", "date_format"), ("?decimal=dot", "decimal")],
)
def test_unknown_parameter_values_are_400(alice_client, query, field):
    assert_problem(_upload(alice_client, BANK, query), 400, errors=[field])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (b"", ["file"]),
        (b"date,amount\n", ["file"]),
        (b"date,description\n2026-11-01,x\n", ["amount"]),
        ("date,amount\n2026-11-01,\xe9\n".encode("latin-1"), None),
        (b'date,amount,description\n2026-11-01,1.00,"open\n', ["file"]),
    ],
)
def test_bad_files_are_clear_400s(alice_client, body, errors):
    problem = assert_problem(_upload(alice_client, body), 400, errors=errors)
    assert not Import.objects.exists()
    if errors is None:
        assert "UTF-8" in problem["detail"]


@pytest.mark.django_db
def test_a_quoted_newline_is_part_of_the_cell(alice_client):
    text = 'date,amount,description\n2026-11-01,1.00,"two\nlines"\n2026-11-02,2.00,x\n'
    body = _upload(alice_client, text).json()
    rows = _rows(alice_client, body["id"])
    assert [(r["line"], r["record"]["description"]) for r in rows] == [(2, "two\nlines"), (4, "x")]


@pytest.mark.django_db
def test_other_media_types_and_charsets_are_415(alice_client):
    response = alice_client.post(IMPORTS, {"a": 1}, format="json")
    assert_problem(response, 415)
    response = alice_client.generic(
        "POST", IMPORTS, BANK.encode("utf-16"), content_type="text/csv; charset=utf-16"
    )
    assert_problem(response, 415)


@pytest.mark.django_db
def test_bom_and_bounds(alice_client):
    assert _upload(alice_client, "\ufeff" + BANK).json()["rows"] == 3
    rows = "date,amount\n" + "2026-11-01,1.00\n" * 50_001
    assert_problem(_upload(alice_client, rows), 413)
    huge = "date,amount,description\n" + ("2026-11-01,1.00," + "x" * 1000 + "\n") * 10_700
    assert_problem(_upload(alice_client, huge), 413)


@pytest.mark.django_db
def test_state_machine(alice_client):
    batch_id = _upload(alice_client, BANK).json()["id"]
    url = f"{IMPORTS}{batch_id}/"
    assert_problem(alice_client.post(url + "undo/"), 409)
    assert alice_client.post(url + "commit/").status_code == 200
    assert_problem(alice_client.post(url + "commit/"), 409)
    assert_problem(alice_client.delete(url), 409)
    response = alice_client.post(url + "undo/")
    assert response.status_code == 200
    assert response.json()["status"] == "undone"
    assert_problem(alice_client.post(url + "undo/"), 409)
    assert_problem(alice_client.post(url + "commit/"), 409)
    assert alice_client.delete(url).status_code == 204
    assert not Import.objects.exists()
    assert not ImportRow.objects.exists()
    preview = _upload(alice_client, BANK).json()["id"]
    assert alice_client.delete(f"{IMPORTS}{preview}/").status_code == 204


def _daily(user) -> list[tuple]:
    return list(
        DailyTotal.objects.filter(user=user)
        .order_by("date", "kind", "category__name")
        .values_list("date", "kind", "category__name", "total", "count")
    )


def _daily_from_entries(user) -> list[tuple]:
    from django.db.models import Count

    return list(
        Entry.objects.filter(user=user)
        .values_list("date", "kind", "category__name")
        .annotate(total=Sum("amount"), count=Count("id"))
        .order_by("date", "kind", "category__name")
    )


@pytest.mark.django_db
def test_totals_after_commit_and_undo(alice, alice_client):
    _expense(alice, "4.20", "2026-11-03", "coffee")
    body = _upload(alice_client, BANK, "?commit=true").json()
    assert (body["status"], body["new"], body["duplicates"]) == ("committed", 2, 1)
    assert _daily(alice) == _daily_from_entries(alice)
    response = alice_client.get("/api/expenses/?month=2026-11")
    assert response.json()["total_amount"] == "8.40"

    edited = Entry.objects.filter(source_import_id=body["id"], kind="expense").get()
    assert (
        alice_client.patch(
            f"/api/expenses/{edited.id}/", {"amount": "5"}, format="json"
        ).status_code
        == 200
    )
    assert alice_client.post(f"{IMPORTS}{body['id']}/undo/").status_code == 200
    assert Entry.objects.filter(user=alice).count() == 1
    assert _daily(alice) == _daily_from_entries(alice)


@pytest.mark.django_db
def test_commit_rechecks_verdicts(alice, alice_client):
    body = _upload(alice_client, BANK).json()
    _expense(alice, "4.20", "2026-11-03", "COFFEE")
    response = alice_client.post(f"{IMPORTS}{body['id']}/commit/").json()
    assert (response["new"], response["duplicates"]) == (2, 1)
    assert Entry.objects.filter(user=alice).count() == 3


@pytest.mark.django_db
def test_list_and_retrieve_newest_first(alice_client):
    first = _upload(alice_client, BANK).json()
    second = _upload(alice_client, BANK).json()
    listing = alice_client.get(IMPORTS).json()
    assert [item["id"] for item in listing["results"]] == [second["id"], first["id"]]
    assert listing["count"] == 2
    assert alice_client.get(f"{IMPORTS}{first['id']}/").json() == first


@pytest.mark.django_db
def test_bob_gets_404_on_alices_import(alice_client, bob_client):
    batch_id = _upload(alice_client, BANK).json()["id"]
    url = f"{IMPORTS}{batch_id}/"
    assert_problem(bob_client.get(url), 404)
    assert_problem(bob_client.get(url + "rows/"), 404)
    assert_problem(bob_client.post(url + "commit/"), 404)
    assert_problem(bob_client.post(url + "undo/"), 404)
    assert_problem(bob_client.delete(url), 404)
    assert bob_client.get(IMPORTS).json()["count"] == 0


@pytest.mark.django_db
def test_bad_verdict_filter_is_400(alice_client):
    batch_id = _upload(alice_client, BANK).json()["id"]
    assert_problem(
        alice_client.get(f"{IMPORTS}{batch_id}/rows/?verdict=maybe"), 400, errors=["verdict"]
    )


@pytest.mark.django_db
def test_at_most_twenty_previews_are_kept(alice_client):
    ids = [_upload(alice_client, BANK).json()["id"] for _ in range(21)]
    assert sorted(Import.objects.values_list("id", flat=True)) == ids[1:]


def _file(n: int) -> str:
    lines = [
        f"2026-{1 + i % 12:02d}-{1 + i % 28:02d},-{1 + i}.00,row {i},Cat{i % 3},t{i % 4}"
        for i in range(n)
    ]
    return "date,amount,description,category,tags\n" + "\n".join(lines) + "\n"


@pytest.mark.django_db
@pytest.mark.parametrize("n", [10, 200])
def test_queries_do_not_grow_with_rows(alice_client, django_assert_max_num_queries, n):
    # The quota's fixed handful included: read, lock, prune, count, record, read again.
    with django_assert_max_num_queries(24):
        body = _upload(alice_client, _file(n)).json()
    assert body["new"] == n
    # On PostgreSQL one more: the user's write lock, taken before the categories and tags are
    # looked up (fintrack.sync.services.user_writes_lock).
    with django_assert_max_num_queries(23):
        response = alice_client.post(f"{IMPORTS}{body['id']}/commit/")
    assert response.json()["status"] == "committed"
    assert Entry.objects.count() == n


@pytest.mark.django_db
def test_idempotency_key_replays_the_create(alice_client):
    first = _upload(alice_client, BANK, HTTP_IDEMPOTENCY_KEY="k-1")
    again = _upload(alice_client, BANK, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert Import.objects.count() == 1


# The import quota: THROTTLE_IMPORT_RATE uploads in any 60 minutes, counting only those
# answered 201 (three an hour here).


@pytest.fixture
def import_quota(settings: Settings) -> None:
    set_throttle_rates(settings, **{"import": "3/hour"})


@pytest.mark.django_db
def test_the_import_quota_is_any_60_minutes_not_the_clock_hour(alice, import_quota):
    with freeze_time("2026-11-24 03:50:00") as clock:
        answers = [_upload(client_for(alice), BANK) for _ in range(3)]
        clock.move_to("2026-11-24 04:00:30")  # a new clock hour, 10.5 minutes later
        response = _upload(client_for(alice), BANK)

    assert [a.status_code for a in answers] == [201, 201, 201]
    assert [rate_limit(a) for a in answers] == [
        ("3", "2", "3600"),
        ("3", "1", "3600"),
        ("3", "0", "3600"),
    ]
    # Until 04:50:00, when the three uses of 03:50:00 leave the window.
    assert_quota_refused(response, limit=3, wait=2970)
    assert Import.objects.count() == 3


@pytest.mark.django_db
def test_an_import_frees_its_slot_exactly_60_minutes_later(alice, import_quota):
    with freeze_time("2026-11-24 09:00:00") as clock:
        for moment in ("09:00:00", "09:10:00", "09:20:00"):
            clock.move_to(f"2026-11-24 {moment}")
            assert _upload(client_for(alice), BANK).status_code == 201
        clock.move_to("2026-11-24 09:59:59")
        refused = _upload(client_for(alice), BANK)
        clock.move_to("2026-11-24 10:00:00")
        accepted = _upload(client_for(alice), BANK)
        refused_again = _upload(client_for(alice), BANK)

    assert_quota_refused(refused, limit=3, wait=1)
    assert accepted.status_code == 201
    # 09:10, 09:20 and 10:00 count; the next to leave is 09:10's, at 10:10.
    assert rate_limit(accepted) == ("3", "0", "600")
    assert_quota_refused(refused_again, limit=3, wait=600)


@pytest.mark.django_db
def test_refused_uploads_and_replays_do_not_use_the_quota(alice, import_quota):
    with freeze_time("2026-11-24 09:00:00"):
        client = client_for(alice)
        first = _upload(client, BANK, HTTP_IDEMPOTENCY_KEY="k-1")
        refused = {
            "replay": _upload(client, BANK, HTTP_IDEMPOTENCY_KEY="k-1"),
            "key reused": _upload(client, BANK, "?commit=true", HTTP_IDEMPOTENCY_KEY="k-1"),
            "malformed key": _upload(client, BANK, HTTP_IDEMPOTENCY_KEY="k" * 256),
            "media type": client.post(IMPORTS, {"date": "2026-11-03"}, format="json"),
            "no date column": _upload(client, "amount,description\n-4.20,Coffee\n"),
            "empty file": _upload(client, ""),
            "bad commit": _upload(client, BANK, "?commit=maybe"),
        }
        later = [_upload(client, BANK) for _ in range(3)]

    assert first.status_code == 201
    assert rate_limit(first) == ("3", "2", "3600")
    assert {name: r.status_code for name, r in refused.items()} == {
        "replay": 201,
        "key reused": 422,
        "malformed key": 400,
        "media type": 415,
        "no date column": 400,
        "empty file": 400,
        "bad commit": 400,
    }
    assert refused["replay"]["Idempotent-Replayed"] == "true"
    assert {name: rate_limit(r) for name, r in refused.items()} == {
        name: ("3", "2", "3600") for name in refused
    }
    assert [r.status_code for r in later] == [201, 201, 429]
    assert Import.objects.count() == 3


@pytest.mark.django_db
def test_a_replay_is_answered_when_the_quota_is_used_up(alice, import_quota):
    with freeze_time("2026-11-24 09:00:00"):
        client = client_for(alice)
        firsts = [_upload(client, BANK, HTTP_IDEMPOTENCY_KEY=f"k-{n}") for n in range(3)]
        replay = _upload(client, BANK, HTTP_IDEMPOTENCY_KEY="k-0")
        new_key = _upload(client, BANK, "?commit=true", HTTP_IDEMPOTENCY_KEY="k-3")
        no_key = _upload(client, BANK, "?commit=true")

    assert [r.status_code for r in firsts] == [201, 201, 201]
    assert replay.status_code == 201
    assert replay.json() == firsts[0].json()
    assert rate_limit(replay) == ("3", "0", "3600")
    assert_quota_refused(new_key, limit=3, wait=3600)
    assert_quota_refused(no_key, limit=3, wait=3600)
    assert Import.objects.count() == 3
    assert not Entry.objects.exists()


@pytest.mark.django_db
def test_an_import_that_fails_does_not_use_the_quota(alice, import_quota, monkeypatch):
    from fintrack.core.errors import Conflict
    from fintrack.imports import services

    def conflicting(**kwargs):
        raise Conflict("The categories changed during the commit; commit again.")

    with freeze_time("2026-11-24 09:00:00"):
        client = client_for(alice)
        with monkeypatch.context() as patched:
            patched.setattr(services, "import_commit", conflicting)
            failed = _upload(client, BANK, "?commit=true")
        after = _upload(client, BANK)

    assert_problem(failed, 409)
    assert rate_limit(failed) == ("3", "3", "3600")
    assert rate_limit(after) == ("3", "2", "3600")
    assert Import.objects.count() == 1


@pytest.mark.django_db
def test_an_import_that_raced_past_the_check_is_refused_under_the_lock(
    alice, import_quota, monkeypatch
):
    from fintrack.quotas.api import throttles
    from fintrack.quotas.selectors import QuotaState

    with freeze_time("2026-11-24 09:00:00") as clock:
        for _ in range(3):
            assert _upload(client_for(alice), BANK).status_code == 201
        clock.move_to("2026-11-24 09:05:00")
        # The check read the quota before three concurrent imports were counted.
        stale = QuotaState(scope="import", limit=3, used=0, reset=3600)
        monkeypatch.setattr(throttles, "quota_state", lambda **kwargs: stale)
        response = _upload(client_for(alice), BANK, "?commit=true")

    assert_quota_refused(response, limit=3, wait=3300)
    assert Import.objects.count() == 3
    assert not Entry.objects.exists()


@pytest.mark.django_db
def test_another_users_imports_never_use_the_quota(alice, bob, import_quota):
    with freeze_time("2026-11-24 09:00:00"):
        for _ in range(3):
            assert _upload(client_for(alice), BANK).status_code == 201
        bobs = _upload(client_for(bob), BANK)
        alices = _upload(client_for(alice), BANK)

    assert bobs.status_code == 201
    assert rate_limit(bobs) == ("3", "2", "3600")
    assert_quota_refused(alices, limit=3, wait=3600)


@pytest.mark.django_db
def test_idempotency_key_with_another_query_is_422(alice_client):
    assert _upload(alice_client, BANK, HTTP_IDEMPOTENCY_KEY="k-2").status_code == 201
    response = _upload(alice_client, BANK, "?commit=true", HTTP_IDEMPOTENCY_KEY="k-2")
    assert_problem(response, 422)
    assert not Entry.objects.exists()


@pytest.mark.django_db
def test_the_readme_example_file_imports_as_the_readme_says(alice_client):
    """README, "Importing your bank's CSV": docs/examples/bank-statement.csv previews 5 new rows
    (its header once had no date column: a 400)."""
    example = Path(__file__).resolve().parent.parent / "docs" / "examples" / "bank-statement.csv"
    response = _upload(alice_client, example.read_bytes(), "?date_format=YYYY-MM-DD&decimal=point")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["rows"], body["new"], body["duplicates"]) == ("previewed", 5, 5, 0)
