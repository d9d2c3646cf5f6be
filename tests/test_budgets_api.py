"""/api/budgets/: CRUD with the overlap rule, and GET /api/budgets/status/?month=."""

import calendar
import random
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from freezegun import freeze_time

from fintrack.budgets.models import Budget
from fintrack.ledger.models import Category, Entry, Kind

from .assertions import assert_problem
from .conftest import client_for
from .factories import EntryFactory

BUDGETS = "/api/budgets/"
STATUS = "/api/budgets/status/"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
NOW_JSON = "2026-11-24T09:00:00Z"
STATUS_MAX_QUERIES = 5


def _budget(client, **fields):
    body = {"category": "Groceries", "amount": "400.00", "start_month": "2026-01", **fields}
    response = client.post(BUDGETS, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _expense(user, amount: str, day: date, category: str = "Groceries") -> Entry:
    category_row, _ = Category.objects.get_or_create(user=user, kind=Kind.EXPENSE, name=category)
    return EntryFactory.create(
        user=user, kind=Kind.EXPENSE, amount=Decimal(amount), date=day, category=category_row
    )


# CRUD


@pytest.mark.django_db
def test_create_answers_the_whole_budget(alice):
    with freeze_time(NOW):
        response = client_for(alice).post(
            BUDGETS,
            {
                "category": "Groceries",
                "amount": "400.00",
                "start_month": "2026-01",
                "rollover": True,
            },
            format="json",
        )
    assert response.status_code == 201, response.content
    budget = Budget.objects.get()
    assert response.json() == {
        "id": budget.pk,
        "category": "Groceries",
        "amount": "400.00",
        "start_month": "2026-01",
        "end_month": None,
        "rollover": True,
        "created_at": NOW_JSON,
        "updated_at": NOW_JSON,
    }
    assert (budget.category.kind, budget.start_month) == (Kind.EXPENSE, date(2026, 1, 1))


@pytest.mark.django_db
def test_rollover_defaults_to_false_and_categories_match_in_any_case(alice, alice_client):
    _expense(alice, "1.00", date(2026, 1, 1), "Groceries")
    budget = _budget(alice_client, category="GROCERIES")
    assert (budget["category"], budget["rollover"]) == ("Groceries", False)
    assert Category.objects.filter(user=alice).count() == 1


@pytest.mark.django_db
def test_an_income_category_name_gets_its_own_expense_category(alice, alice_client):
    alice_client.post("/api/incomes/", {"amount": "5.00", "category": "Salary"})
    budget = _budget(alice_client, category="salary")
    assert budget["category"] == "salary"
    kinds = set(Category.objects.filter(user=alice).values_list("kind", "name"))
    assert kinds == {(Kind.INCOME, "Salary"), (Kind.EXPENSE, "salary")}


@pytest.mark.django_db
def test_a_category_rename_shows_on_its_budgets(alice, alice_client):
    budget = _budget(alice_client)
    category = Category.objects.get(user=alice)
    alice_client.patch(f"/api/categories/{category.pk}/", {"name": "Food"})
    assert alice_client.get(f"{BUDGETS}{budget['id']}/").json()["category"] == "Food"


@pytest.mark.django_db
def test_a_category_used_by_a_budget_cannot_be_deleted(alice, alice_client):
    _budget(alice_client)
    category = Category.objects.get(user=alice)
    assert_problem(alice_client.delete(f"/api/categories/{category.pk}/"), 409)
    assert Category.objects.filter(pk=category.pk).exists()


@pytest.mark.django_db
def test_the_list_is_ordered_by_category_name_then_start_month(alice_client):
    _budget(alice_client, category="rent", start_month="2026-03")
    _budget(alice_client, category="Groceries", start_month="2026-05")
    _budget(alice_client, category="Groceries", start_month="2026-01", end_month="2026-04")
    body = alice_client.get(BUDGETS).json()
    assert body["count"] == 3
    assert [(b["category"], b["start_month"]) for b in body["results"]] == [
        ("Groceries", "2026-01"),
        ("Groceries", "2026-05"),
        ("rent", "2026-03"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("existing", "new"),
    [
        (("2026-01", None), ("2027-06", None)),
        (("2026-01", "2026-06"), ("2026-06", None)),
        (("2026-05", None), ("2026-01", "2026-05")),
        (("2026-03", "2026-04"), ("2026-01", None)),
        (("2026-01", None), ("2025-01", "2026-01")),
    ],
)
def test_overlapping_budgets_of_one_category_are_400_naming_start_month(
    alice_client, existing, new
):
    _budget(alice_client, start_month=existing[0], end_month=existing[1])
    response = alice_client.post(
        BUDGETS,
        {"category": "groceries", "amount": "1.00", "start_month": new[0], "end_month": new[1]},
        format="json",
    )
    assert_problem(response, 400, errors=["start_month"])
    assert Budget.objects.count() == 1


@pytest.mark.django_db
def test_adjacent_budgets_and_other_categories_do_not_overlap(alice_client, bob_client):
    _budget(alice_client, start_month="2026-01", end_month="2026-06")
    _budget(alice_client, start_month="2026-07")
    _budget(alice_client, category="Rent", start_month="2026-01")
    _budget(bob_client, start_month="2026-01")
    assert Budget.objects.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"amount": "0.00"}, "amount"),
        ({"amount": "-1.00"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"amount": "10000000000.00"}, "amount"),
        ({"start_month": "2026-13"}, "start_month"),
        ({"start_month": "2026-1"}, "start_month"),
        ({"start_month": None}, "start_month"),
        ({"end_month": "2025-12"}, "end_month"),
        ({"end_month": "soon"}, "end_month"),
        ({"category": ""}, "category"),
        ({"category": "x" * 65}, "category"),
        ({"rollover": "maybe"}, "rollover"),
    ],
)
def test_bad_budget_fields_are_400_naming_them(alice_client, body, named):
    full = {"category": "Groceries", "amount": "400.00", "start_month": "2026-01", **body}
    assert_problem(alice_client.post(BUDGETS, full, format="json"), 400, errors=[named])
    assert not Budget.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["category", "amount", "start_month"])
def test_required_fields(alice_client, missing):
    body = {"category": "Groceries", "amount": "400.00", "start_month": "2026-01"}
    del body[missing]
    assert_problem(alice_client.post(BUDGETS, body, format="json"), 400, errors=[missing])


@pytest.mark.django_db
def test_put_replaces_and_patch_changes_what_it_sends(alice_client):
    budget = _budget(alice_client, end_month="2026-06", rollover=True)
    url = f"{BUDGETS}{budget['id']}/"
    patched = alice_client.patch(url, {"amount": "450.00"}, format="json").json()
    assert (patched["amount"], patched["end_month"], patched["rollover"]) == (
        "450.00",
        "2026-06",
        True,
    )
    put = alice_client.put(
        url, {"category": "Food", "amount": "10.00", "start_month": "2026-02"}, format="json"
    ).json()
    assert (put["category"], put["start_month"], put["end_month"], put["rollover"]) == (
        "Food",
        "2026-02",
        None,
        False,
    )
    cleared = alice_client.patch(url, {"end_month": "2026-03"}, format="json").json()
    assert cleared["end_month"] == "2026-03"
    assert alice_client.patch(url, {"end_month": None}, format="json").json()["end_month"] is None


@pytest.mark.django_db
def test_an_update_may_not_overlap_another_budget_but_may_keep_its_own_months(alice_client):
    first = _budget(alice_client, start_month="2026-01", end_month="2026-03")
    _budget(alice_client, start_month="2026-04")
    url = f"{BUDGETS}{first['id']}/"
    assert alice_client.patch(url, {"amount": "5.00"}, format="json").status_code == 200
    assert_problem(
        alice_client.patch(url, {"end_month": "2026-04"}, format="json"),
        400,
        errors=["start_month"],
    )
    assert_problem(
        alice_client.patch(url, {"end_month": None}, format="json"), 400, errors=["start_month"]
    )


@pytest.mark.django_db
def test_delete(alice_client):
    budget = _budget(alice_client)
    assert alice_client.delete(f"{BUDGETS}{budget['id']}/").status_code == 204
    assert not Budget.objects.exists()


@pytest.mark.django_db
def test_bob_gets_404_on_alices_budget(alice_client, bob_client):
    budget = _budget(alice_client)
    url = f"{BUDGETS}{budget['id']}/"
    for response in (
        bob_client.get(url),
        bob_client.patch(url, {"amount": "1.00"}, format="json"),
        bob_client.put(
            url, {"category": "X", "amount": "1.00", "start_month": "2026-01"}, format="json"
        ),
        bob_client.delete(url),
    ):
        assert_problem(response, 404)
    assert bob_client.get(BUDGETS).json()["count"] == 0
    assert bob_client.get(STATUS, {"month": "2026-03"}).json()["categories"] == []
    assert Budget.objects.get().amount == Decimal("400.00")


@pytest.mark.django_db
def test_a_budget_create_replays_with_its_idempotency_key(alice_client):
    body = {"category": "Food", "amount": "10.00", "start_month": "2026-01"}
    first = alice_client.post(BUDGETS, body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    again = alice_client.post(BUDGETS, body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Budget.objects.count() == 1


# Status


@pytest.mark.django_db
def test_status_of_a_month_whole_payload(alice, alice_client):
    _budget(
        alice_client, category="Groceries", amount="400.00", start_month="2026-10", rollover=True
    )
    _budget(alice_client, category="Rent", amount="800.00", start_month="2026-01")
    _expense(alice, "375.00", date(2026, 10, 3), "Groceries")
    _expense(alice, "310.20", date(2026, 11, 30), "Groceries")
    _expense(alice, "800.00", date(2026, 11, 1), "Rent")
    _expense(alice, "120.00", date(2026, 11, 15), "Books")
    _expense(alice, "99.00", date(2026, 12, 1), "Books")
    alice_client.post("/api/incomes/", {"amount": "5000.00", "date": "2026-11-01"})

    response = alice_client.get(STATUS, {"month": "2026-11"})

    assert response.status_code == 200, response.content
    ids = dict(Budget.objects.values_list("category__name", "id"))
    assert response.json() == {
        "month": "2026-11",
        "currency": "USD",
        "total_budgeted": "1200.00",
        "total_available": "1225.00",
        "total_spent": "1110.20",
        "total_remaining": "114.80",
        "unbudgeted_spent": "120.00",
        "categories": [
            {
                "budget_id": ids["Groceries"],
                "category": "Groceries",
                "budgeted": "400.00",
                "carried_over": "25.00",
                "available": "425.00",
                "spent": "310.20",
                "remaining": "114.80",
                "percent_used": "72.99",
                "state": "ok",
            },
            {
                "budget_id": ids["Rent"],
                "category": "Rent",
                "budgeted": "800.00",
                "carried_over": "0.00",
                "available": "800.00",
                "spent": "800.00",
                "remaining": "0.00",
                "percent_used": "100.00",
                "state": "warning",
            },
        ],
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("spent", "state", "percent"),
    [
        ("0.00", "ok", "0.00"),
        ("79.99", "ok", "79.99"),
        ("80.00", "warning", "80.00"),
        ("99.99", "warning", "99.99"),
        ("100.00", "warning", "100.00"),
        ("100.01", "over", "100.01"),
        ("250.00", "over", "250.00"),
    ],
)
def test_the_80_and_100_percent_boundaries(alice, alice_client, spent, state, percent):
    _budget(alice_client, amount="100.00", start_month="2026-11")
    if spent != "0.00":
        _expense(alice, spent, date(2026, 11, 10))
    (line,) = alice_client.get(STATUS, {"month": "2026-11"}).json()["categories"]
    assert (line["spent"], line["state"], line["percent_used"]) == (spent, state, percent)


@pytest.mark.django_db
def test_a_negative_carry_after_overspending(alice, alice_client):
    _budget(alice_client, amount="100.00", start_month="2026-09", rollover=True)
    _expense(alice, "150.00", date(2026, 9, 5))
    _expense(alice, "60.00", date(2026, 10, 5))
    (line,) = alice_client.get(STATUS, {"month": "2026-11"}).json()["categories"]
    # September leaves 100 - 150 = -50; October has 100 - 50 = 50 and spends 60: -10 carried.
    assert line == {
        **line,
        "carried_over": "-10.00",
        "available": "90.00",
        "spent": "0.00",
        "remaining": "90.00",
        "state": "ok",
        "percent_used": "0.00",
    }
    _expense(alice, "150.00", date(2026, 10, 6))
    (line,) = alice_client.get(STATUS, {"month": "2026-11"}).json()["categories"]
    assert (line["carried_over"], line["available"], line["percent_used"], line["state"]) == (
        "-160.00",
        "-60.00",
        None,
        "over",
    )


@pytest.mark.django_db
def test_nothing_available_and_nothing_spent_is_ok_with_no_percent(alice, alice_client):
    _budget(alice_client, amount="100.00", start_month="2026-10", rollover=True)
    _expense(alice, "100.00", date(2026, 10, 5))
    (line,) = alice_client.get(STATUS, {"month": "2026-11"}).json()["categories"]
    assert (line["available"], line["percent_used"], line["state"]) == ("100.00", "0.00", "ok")
    _expense(alice, "100.00", date(2026, 10, 6))
    (line,) = alice_client.get(STATUS, {"month": "2026-11"}).json()["categories"]
    assert (line["available"], line["percent_used"], line["state"]) == ("0.00", None, "ok")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "active"),
    [
        ("2026-11", None, True),
        ("2026-12", None, False),
        ("2026-01", "2026-10", False),
        ("2026-01", "2026-11", True),
        ("2026-11", "2026-11", True),
        ("2025-11", "2027-01", True),
    ],
)
def test_budgets_starting_and_ending_around_the_month(alice, alice_client, start, end, active):
    _budget(alice_client, amount="50.00", start_month=start, end_month=end)
    _expense(alice, "20.00", date(2026, 11, 2))
    body = alice_client.get(STATUS, {"month": "2026-11"}).json()
    assert len(body["categories"]) == int(active)
    assert body["unbudgeted_spent"] == ("0.00" if active else "20.00")
    assert body["total_spent"] == ("20.00" if active else "0.00")


@pytest.mark.django_db
def test_status_defaults_to_the_current_month(alice, alice_client):
    _budget(alice_client, start_month="2026-11")
    with freeze_time(NOW):
        body = client_for(alice).get(STATUS).json()
    assert body["month"] == "2026-11"
    assert len(body["categories"]) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["2026-13", "2026-1", "nope", "0000-01", "2026-11-01"])
def test_a_malformed_month_is_400_naming_it(alice_client, month):
    assert_problem(alice_client.get(STATUS, {"month": month}), 400, errors=["month"])


@pytest.mark.django_db
def test_status_never_counts_bobs_or_incomes(alice, bob, alice_client):
    _budget(alice_client, start_month="2026-11")
    _expense(bob, "30.00", date(2026, 11, 2))
    alice_client.post(
        "/api/incomes/", {"amount": "30.00", "category": "Groceries", "date": "2026-11-02"}
    )
    body = alice_client.get(STATUS, {"month": "2026-11"}).json()
    assert (body["total_spent"], body["unbudgeted_spent"]) == ("0.00", "0.00")


# Against an independent model


def _months(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    months, (year, month) = [], first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _expected_status(budgets, expenses, month: tuple[int, int]) -> dict:
    """The status computed month by month, carrying forward (not the closed form)."""
    spent: dict[tuple[str, tuple[int, int]], Decimal] = {}
    for category, day, amount in expenses:
        key = (category, (day.year, day.month))
        spent[key] = spent.get(key, Decimal("0.00")) + amount
    lines = []
    for budget in budgets:
        start, end = budget["start"], budget["end"]
        if not (start <= month and (end is None or month <= end)):
            continue
        carry = Decimal("0.00")
        for earlier in _months(start, month)[:-1]:
            if budget["rollover"]:
                carry = budget["amount"] + carry - spent.get((budget["category"], earlier), 0)
        available = budget["amount"] + carry
        used = spent.get((budget["category"], month), Decimal("0.00"))
        if used > available:
            state = "over"
        elif available > 0 and used * 5 >= available * 4:
            state = "warning"
        else:
            state = "ok"
        percent = (
            None
            if available <= 0
            else f"{(used * 100 / available).quantize(Decimal('0.01'), ROUND_HALF_UP):.2f}"
        )
        lines.append(
            {
                "budget_id": budget["id"],
                "category": budget["category"],
                "budgeted": f"{budget['amount']:.2f}",
                "carried_over": f"{carry:.2f}",
                "available": f"{available:.2f}",
                "spent": f"{used:.2f}",
                "remaining": f"{available - used:.2f}",
                "percent_used": percent,
                "state": state,
            }
        )
    lines.sort(key=lambda line: (line["category"].lower(), line["budget_id"]))
    budgeted = {line["category"] for line in lines}
    unbudgeted = sum(
        (a for c, d, a in expenses if (d.year, d.month) == month and c not in budgeted),
        Decimal("0.00"),
    )

    def total(name: str) -> str:
        return f"{sum((Decimal(line[name]) for line in lines), Decimal('0.00')):.2f}"

    return {
        "month": f"{month[0]:04d}-{month[1]:02d}",
        "currency": "USD",
        "total_budgeted": total("budgeted"),
        "total_available": total("available"),
        "total_spent": total("spent"),
        "total_remaining": total("remaining"),
        "unbudgeted_spent": f"{unbudgeted:.2f}",
        "categories": lines,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_status_matches_an_independent_computation_over_many_months(
    alice, bob, alice_client, django_assert_max_num_queries, seed
):
    rng = random.Random(seed)
    categories = ["Books", "dining", "Groceries", "Rent", "Travel", "Utilities"]
    expenses = []
    for _ in range(300):
        category = rng.choice(categories)
        year, month = rng.choice(_months((2025, 10), (2027, 2)))
        day = date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))
        amount = Decimal(rng.randint(1, 40_000)) / 100
        expenses.append((category, day, amount))
    # Bob's records in the same categories must never count.
    for category, day, amount in expenses[:50]:
        _expense(bob, f"{amount:.2f}", day, category)
    entry_rows = []
    for category, day, amount in expenses:
        entry_rows.append(_expense(alice, f"{amount:.2f}", day, category))
    specs = [
        ("Groceries", "400.00", (2025, 11), None, True),
        ("Rent", "1200.00", (2025, 10), (2026, 6), False),
        ("Rent", "1300.00", (2026, 7), None, True),
        ("dining", "150.50", (2026, 3), (2026, 9), True),
        ("Travel", "99.99", (2026, 1), None, False),
        ("Utilities", "0.01", (2026, 5), None, True),
    ]
    budgets = []
    for category, amount, start, end, rollover in specs:
        made = _budget(
            alice_client,
            category=category,
            amount=amount,
            start_month=f"{start[0]:04d}-{start[1]:02d}",
            end_month=None if end is None else f"{end[0]:04d}-{end[1]:02d}",
            rollover=rollover,
        )
        budgets.append(
            {
                "id": made["id"],
                "category": category,
                "amount": Decimal(amount),
                "start": start,
                "end": end,
                "rollover": rollover,
            }
        )

    for month in _months((2025, 9), (2027, 3)):
        with django_assert_max_num_queries(STATUS_MAX_QUERIES):
            response = alice_client.get(STATUS, {"month": f"{month[0]:04d}-{month[1]:02d}"})
        assert response.status_code == 200
        assert response.json() == _expected_status(budgets, expenses, month), month


@pytest.mark.django_db
def test_status_queries_do_not_grow_with_budgets_months_or_records(
    alice, alice_client, django_assert_max_num_queries
):
    _budget(alice_client, category="C0", start_month="2020-01", rollover=True)
    _expense(alice, "1.00", date(2026, 11, 1), "C0")
    with django_assert_max_num_queries(STATUS_MAX_QUERIES) as few:
        alice_client.get(STATUS, {"month": "2026-11"})
    for n in range(1, 15):
        _budget(alice_client, category=f"C{n}", start_month="2019-01", rollover=n % 2 == 0)
        for m in range(1, 12):
            _expense(alice, "3.00", date(2020 + n % 6, m, 1 + n), f"C{n}")
    with django_assert_max_num_queries(STATUS_MAX_QUERIES) as many:
        body = alice_client.get(STATUS, {"month": "2026-11"}).json()
    assert len(body["categories"]) == 15
    assert len(many.captured_queries) == len(few.captured_queries)
