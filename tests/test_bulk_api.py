"""POST /api/incomes/bulk/ and /api/expenses/bulk/: 1 to 500 records, all or nothing."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from freezegun import freeze_time

from fintrack.ledger.models import Category, DailyTotal, Entry, EntryTag, Kind, Tag

from .assertions import assert_problem
from .conftest import client_for

EXPENSES_BULK = "/api/expenses/bulk/"
INCOMES_BULK = "/api/incomes/bulk/"
# A fixed handful (the idempotency and savepoint queries, an external-id check, categories
# and tags resolved in bulk: select, insert, select) plus the INSERT batches. PostgreSQL
# inserts all 500 records in one statement; SQLite's 999 parameters take about 90 records
# (and 500 tag links) a statement: 6 + 3 statements for 500 records with 1000 tags.
BULK_MAX_QUERIES = 25


def _records(n: int, **fields) -> list[dict]:
    return [
        {"amount": f"{(i % 97) + 1}.{i % 100:02d}", "date": f"2026-11-{1 + i % 28:02d}", **fields}
        for i in range(n)
    ]


@pytest.mark.django_db
def test_bulk_creates_every_record_in_order(alice):
    body = {
        "records": [
            {"amount": "10.00", "date": "2026-11-02", "category": "Food", "tags": ["b", "A"]},
            {"amount": "2.50", "category": "food", "description": "tea", "external_id": "X-1"},
            {"amount": 3, "date": "2026-10-31", "category": "Rent", "tags": ["a"]},
        ]
    }
    with freeze_time(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)):
        response = client_for(alice).post(EXPENSES_BULK, body, format="json")

    assert response.status_code == 201, response.content
    records = response.json()["records"]
    ids = list(Entry.objects.order_by("id").values_list("id", flat=True))
    assert [r["id"] for r in records] == ids
    stamp = "2026-11-24T09:00:00Z"
    common = {"recurring_id": None, "import_id": None, "created_at": stamp, "updated_at": stamp}
    assert records == [
        {
            "id": ids[0],
            "amount": "10.00",
            "date": "2026-11-02",
            "category": "Food",
            "description": "",
            "tags": ["A", "b"],
            "external_id": None,
            **common,
        },
        {
            "id": ids[1],
            "amount": "2.50",
            "date": "2026-11-24",
            "category": "Food",
            "description": "tea",
            "tags": [],
            "external_id": "X-1",
            **common,
        },
        {
            "id": ids[2],
            "amount": "3.00",
            "date": "2026-10-31",
            "category": "Rent",
            "description": "",
            "tags": ["A"],
            "external_id": None,
            **common,
        },
    ]
    assert Category.objects.filter(user=alice, kind=Kind.EXPENSE).count() == 2
    assert Tag.objects.filter(user=alice).count() == 2
    assert EntryTag.objects.count() == 3
    client = client_for(alice)
    for record in records:
        assert client.get(f"/api/expenses/{record['id']}/").json() == record


@pytest.mark.django_db
def test_bulk_reuses_existing_categories_and_tags_in_any_case(alice, alice_client):
    alice_client.post(
        "/api/expenses/",
        {"amount": "1.00", "category": "Groceries", "tags": ["Trip"]},
        format="json",
    )
    body = {"records": [{"amount": "1.00", "category": "GROCERIES", "tags": ["trip"]}]}
    record = alice_client.post(EXPENSES_BULK, body, format="json").json()["records"][0]
    assert (record["category"], record["tags"]) == ("Groceries", ["Trip"])
    assert Category.objects.filter(user=alice).count() == 1
    assert Tag.objects.filter(user=alice).count() == 1


@pytest.mark.django_db
def test_bulk_incomes_are_incomes(alice, alice_client):
    response = alice_client.post(INCOMES_BULK, {"records": _records(3)}, format="json")
    assert response.status_code == 201
    assert set(Entry.objects.values_list("kind", flat=True)) == {Kind.INCOME}


@pytest.mark.django_db
def test_500_records_in_a_fixed_number_of_queries_and_totals_stay_exact(
    alice, alice_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(BULK_MAX_QUERIES) as one:
        body = {"records": _records(1, category="C0", tags=["t0"])}
        assert alice_client.post(EXPENSES_BULK, body, format="json").status_code == 201
    records = [
        {
            **record,
            "category": f"C{i % 40}",
            "tags": [f"t{i % 30}", f"u{i % 7}"],
            "external_id": f"E-{i}",
        }
        for i, record in enumerate(_records(500))
    ]
    with django_assert_max_num_queries(BULK_MAX_QUERIES) as many:
        response = alice_client.post(EXPENSES_BULK, {"records": records}, format="json")
    assert response.status_code == 201, response.content
    assert len(response.json()["records"]) == 500
    # Never one query per record: at most the extra INSERT batches of SQLite.
    assert len(many.captured_queries) <= len(one.captured_queries) + 8

    sums = Entry.objects.values("date", "category").annotate(total=Sum("amount"))
    stored = {(r["date"], r["category"]): r["total"] for r in sums}
    daily = {(d.date, d.category_id): d.total for d in DailyTotal.objects.all()}
    assert daily == stored
    assert sum(daily.values()) == sum(
        (Decimal(r["amount"]) for r in _records(1) + _records(500)), Decimal("0.00")
    )
    assert EntryTag.objects.count() == 1 + 1000


@pytest.mark.django_db
def test_a_bad_record_refuses_them_all_with_errors_by_position(alice_client):
    records = _records(5)
    records[1]["amount"] = "0.00"
    records[3] = {"amount": "1.001", "tags": ["x" * 33], "date": "2026-02-30"}
    response = alice_client.post(EXPENSES_BULK, {"records": records}, format="json")
    body = assert_problem(response, 400, errors=["records"])
    assert set(body["errors"]["records"]) == {"1", "3"}
    assert set(body["errors"]["records"]["1"]) == {"amount"}
    assert set(body["errors"]["records"]["3"]) == {"amount", "tags", "date"}
    assert all(isinstance(m, str) for m in body["errors"]["records"]["3"]["tags"])
    assert not Entry.objects.exists()
    assert not Category.objects.exists()


@pytest.mark.django_db
def test_external_ids_clashing_within_the_request_or_with_stored_ones_are_400(alice_client):
    alice_client.post("/api/expenses/", {"amount": "1.00", "external_id": "OLD"}, format="json")
    records = _records(4)
    records[0]["external_id"] = "NEW"
    records[2]["external_id"] = "NEW"
    records[3]["external_id"] = "OLD"
    body = assert_problem(
        alice_client.post(EXPENSES_BULK, {"records": records}, format="json"),
        400,
        errors=["records"],
    )
    assert set(body["errors"]["records"]) == {"2", "3"}
    assert set(body["errors"]["records"]["2"]) == {"external_id"}
    assert Entry.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"records": []},
        {"records": _records(501)},
        {"records": "nope"},
        {"records": None},
        [],
    ],
    ids=["missing", "empty", "501", "string", "null", "list-body"],
)
def test_a_bad_list_is_400_naming_records(alice_client, body):
    assert_problem(alice_client.post(EXPENSES_BULK, body, format="json"), 400, errors=["records"])
    assert not Entry.objects.exists()


@pytest.mark.django_db
def test_a_record_that_is_no_object_is_named_by_position(alice_client):
    body = {"records": [{"amount": "1.00"}, "x", 7, None, []]}
    problem = assert_problem(
        alice_client.post(EXPENSES_BULK, body, format="json"), 400, errors=["records"]
    )
    items = problem["errors"]["records"]
    assert set(items) == {"1", "2", "3", "4"}
    assert {position: set(errors) for position, errors in items.items()} == dict.fromkeys(
        items, {"non_field_errors"}
    )
    # null (a 500 once) is said the way the other non-objects are.
    assert items["3"]["non_field_errors"] == ["Invalid data. Expected a dictionary, but got null."]
    assert items["2"]["non_field_errors"] == ["Invalid data. Expected a dictionary, but got int."]
    assert not Entry.objects.exists()


@pytest.mark.django_db
def test_bulk_replays_with_its_idempotency_key(alice_client):
    body = {"records": _records(3)}
    first = alice_client.post(EXPENSES_BULK, body, format="json", HTTP_IDEMPOTENCY_KEY="b-1")
    again = alice_client.post(EXPENSES_BULK, body, format="json", HTTP_IDEMPOTENCY_KEY="b-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Entry.objects.count() == 3
    other = alice_client.post(
        EXPENSES_BULK, {"records": _records(2)}, format="json", HTTP_IDEMPOTENCY_KEY="b-1"
    )
    assert_problem(other, 422)


@pytest.mark.django_db
def test_bulk_records_are_the_callers_own(alice, bob, bob_client):
    bob_client.post(
        EXPENSES_BULK, {"records": _records(2, category="Food", tags=["t"])}, format="json"
    )
    assert set(Entry.objects.values_list("user", flat=True)) == {bob.pk}
    assert not Category.objects.filter(user=alice).exists()
    assert client_for(alice).get("/api/expenses/").json()["count"] == 0


@pytest.mark.django_db
def test_bulk_without_a_token_is_401(anon_client):
    assert_problem(anon_client.post(EXPENSES_BULK, {"records": _records(1)}, format="json"), 401)
    assert date.today()  # nothing else to check: nothing was written
    assert not Entry.objects.exists()
