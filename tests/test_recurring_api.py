"""/api/recurring/ and /api/recurring/upcoming/: rules that create their records by themselves."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from rest_framework.test import APIClient

from fintrack.accounts.models import User
from fintrack.ledger.models import Category, Entry, Tag
from fintrack.recurring.models import RecurringRule

from .assertions import assert_problem, assert_unauthorized
from .conftest import client_for
from .factories import EntryFactory

URL = "/api/recurring/"
UPCOMING_URL = "/api/recurring/upcoming/"
TODAY = date(2026, 11, 29)
NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
NOW_JSON = "2026-11-29T09:00:00Z"
MISSING_ID = 10**9


def detail(rule_id: int) -> str:
    return f"{URL}{rule_id}/"


def at(day: date | datetime) -> Any:
    """Freeze the clock at 09:00 UTC of `day` (or at the datetime given)."""
    moment = day if isinstance(day, datetime) else datetime(*day.timetuple()[:3], 9, tzinfo=UTC)
    return freeze_time(moment)


def rent(**fields: Any) -> dict[str, Any]:
    return {
        "kind": "expense",
        "amount": "950.00",
        "category": "Rent",
        "description": "Flat",
        "frequency": "monthly",
        "start_date": "2026-01-31",
        **fields,
    }


def create(client: APIClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(URL, body)
    assert response.status_code == 201, response.content
    return response.json()


def rule_json(rule_id: int, **fields: Any) -> dict[str, Any]:
    """The rent rule created under at(TODAY); `fields` override."""
    return {
        "id": rule_id,
        "kind": "expense",
        "amount": "950.00",
        "category": "Rent",
        "description": "Flat",
        "tags": [],
        "frequency": "monthly",
        "interval": 1,
        "start_date": "2026-01-31",
        "end_date": None,
        "active": True,
        "next_date": "2026-11-30",
        "created_at": NOW_JSON,
        "updated_at": NOW_JSON,
        **fields,
    }


def dates_of(rule_id: int) -> list[str]:
    days = (
        Entry.objects.filter(recurring_id=rule_id).order_by("date").values_list("date", flat=True)
    )
    return [d.isoformat() for d in days]


RENT_2026 = [
    "2026-01-31",
    "2026-02-28",
    "2026-03-31",
    "2026-04-30",
    "2026-05-31",
    "2026-06-30",
    "2026-07-31",
    "2026-08-31",
    "2026-09-30",
    "2026-10-31",
]


# --- create, read, list --------------------------------------------------------------------


def test_create_with_a_past_start_creates_every_due_occurrence_at_once(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        response = client.post(URL, rent())
        assert response.status_code == 201, response.content
        rule_id = response.json()["id"]
        assert response.json() == rule_json(rule_id)
        assert dates_of(rule_id) == RENT_2026
        entry = Entry.objects.filter(recurring_id=rule_id).earliest("date")
        assert (entry.user, entry.kind, entry.amount, entry.description) == (
            alice,
            "expense",
            Decimal("950.00"),
            "Flat",
        )
        assert entry.category.name == "Rent"
        alice.refresh_from_db()
        assert alice.recurring_due_on == date(2026, 11, 30)


def test_the_records_show_in_lists_and_totals_right_after_creation(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        create(client, rent())
        create(
            client,
            rent(kind="income", amount="2500.00", category="Salary", start_date="2026-11-01"),
        )
        expenses = client.get("/api/expenses/?date_from=2026-01-01").json()
        assert (expenses["count"], expenses["total_amount"]) == (10, "9500.00")
        summary = client.get("/api/summary/?month=2026-10").json()
        assert (summary["total_income"], summary["total_expenses"]) == ("0.00", "950.00")
        summary = client.get("/api/summary/").json()
        assert (summary["total_income"], summary["total_expenses"]) == ("2500.00", "0.00")
        assert summary["income_by_category"] == [
            {"category": "Salary", "total": "2500.00", "count": 1, "percent": "100.00"}
        ]
        trends = client.get("/api/summary/trends/?months=12").json()["months"]
        assert [m["total_expenses"] for m in trends] == ["0.00"] + ["950.00"] * 10 + ["0.00"]


def test_budgets_count_the_records_right_after_creation_and_as_time_passes(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        body = {"category": "rent", "amount": "1000.00", "start_month": "2026-10"}
        assert client.post("/api/budgets/", body).status_code == 201
        create(client, rent(start_date="2026-10-31"))
        status = client.get("/api/budgets/status/?month=2026-10").json()
        assert [(c["category"], c["spent"]) for c in status["categories"]] == [("rent", "950.00")]
        status = client.get("/api/budgets/status/").json()
        assert status["categories"][0]["spent"] == "0.00"
    with at(date(2026, 11, 30)):
        status = client_for(alice).get("/api/budgets/status/").json()
    assert (status["month"], status["categories"][0]["spent"]) == ("2026-11", "950.00")
    assert status["total_spent"] == "950.00"


def test_defaults_and_a_start_today(alice: User) -> None:
    with at(NOW):
        body = create(
            client_for(alice),
            {"kind": "income", "amount": 12.5, "frequency": "weekly", "start_date": "2026-11-29"},
        )
    assert body == {
        **rule_json(body["id"]),
        "kind": "income",
        "amount": "12.50",
        "category": "Uncategorized",
        "description": "",
        "frequency": "weekly",
        "start_date": "2026-11-29",
        "next_date": "2026-12-06",
    }
    assert dates_of(body["id"]) == ["2026-11-29"]


def test_a_retried_create_with_an_idempotency_key_creates_one_rule(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        first = client.post(URL, rent(), HTTP_IDEMPOTENCY_KEY="rent-2026")
        again = client.post(URL, rent(), HTTP_IDEMPOTENCY_KEY="rent-2026")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert RecurringRule.objects.count() == 1
    assert Entry.objects.count() == 10


def test_a_future_rule_creates_nothing_yet(alice: User) -> None:
    with at(NOW):
        body = create(client_for(alice), rent(start_date="2026-12-15", end_date="2027-03-01"))
    assert (body["next_date"], body["end_date"]) == ("2026-12-15", "2027-03-01")
    assert dates_of(body["id"]) == []


def test_a_rule_that_ended_has_no_next_date(alice: User) -> None:
    with at(NOW):
        body = create(client_for(alice), rent(end_date="2026-03-31"))
    assert body["next_date"] is None
    assert dates_of(body["id"]) == ["2026-01-31", "2026-02-28", "2026-03-31"]


def test_created_paused_creates_nothing(alice: User) -> None:
    with at(NOW):
        body = create(client_for(alice), rent(active=False))
    assert (body["active"], body["next_date"]) == (False, None)
    assert dates_of(body["id"]) == []


def test_list_is_ordered_by_next_date_nulls_last_then_id(alice: User, bob: User) -> None:
    with at(NOW):
        client = client_for(alice)
        paused = create(client, rent(active=False))["id"]
        later = create(client, rent(start_date="2027-01-05"))["id"]
        soon = create(client, rent(start_date="2026-12-01"))["id"]
        also_soon = create(client, rent(start_date="2026-12-01"))["id"]
        ended = create(client, rent(end_date="2026-02-01"))["id"]
        create(client_for(bob), rent())
        body = client.get(URL).json()
    assert body["count"] == 5
    assert [r["id"] for r in body["results"]] == [soon, also_soon, later, paused, ended]


def test_read_one(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        rule_id = create(client, rent())["id"]
        assert client.get(detail(rule_id)).json() == rule_json(rule_id)


def test_category_is_a_link_renamed_with_its_category(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        rule_id = create(client, rent(category="rent"))["id"]
        category = Category.objects.get(user=alice, kind="expense", name="rent")
        response = client.patch(f"/api/categories/{category.pk}/", {"name": "Housing"})
        assert response.status_code == 200
        assert client.get(detail(rule_id)).json()["category"] == "Housing"


def test_tags_are_links_carried_by_the_records(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        body = create(client, rent(tags=["home", "Fixed", "HOME"], start_date="2026-10-31"))
        assert body["tags"] == ["Fixed", "home"]
        record = client.get("/api/expenses/").json()["results"][0]
        assert (record["recurring_id"], record["tags"]) == (body["id"], ["Fixed", "home"])
        tag = Tag.objects.get(user=alice, name="home")
        assert client.patch(f"/api/tags/{tag.pk}/", {"name": "House"}).status_code == 200
        assert client.get(detail(body["id"])).json()["tags"] == ["Fixed", "House"]
        assert client.delete(f"/api/tags/{tag.pk}/").status_code == 204
        assert client.get(detail(body["id"])).json()["tags"] == ["Fixed"]
        response = client.patch(detail(body["id"]), {"tags": ["a", "b"]})
        assert response.json()["tags"] == ["a", "b"]
        assert client.patch(detail(body["id"]), {"amount": "1.00"}).json()["tags"] == ["a", "b"]
        assert_problem(client.patch(detail(body["id"]), {"tags": ["x,y"]}), 400, errors=["tags"])
    with at(date(2026, 11, 30)):
        client = client_for(alice)
        newest = client.get("/api/expenses/").json()["results"][0]
    assert (newest["date"], newest["tags"], newest["recurring_id"]) == (
        "2026-11-30",
        ["a", "b"],
        body["id"],
    )
    assert Entry.objects.get(date="2026-10-31").tags.count() == 1  # the record keeps its own


def test_a_category_a_rule_uses_cannot_be_deleted(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        rule_id = create(client, rent(start_date="2026-12-15", category="Gym"))["id"]
        category = Category.objects.get(user=alice, name="Gym")
        assert_problem(client.delete(f"/api/categories/{category.pk}/"), 409)
        assert client.delete(detail(rule_id)).status_code == 204
        assert client.delete(f"/api/categories/{category.pk}/").status_code == 204


# --- time passing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "read",
    [
        "/api/expenses/",
        "/api/incomes/",
        "/api/summary/",
        "/api/summary/trends/",
        "/api/budgets/status/",
        URL,
    ],
)
def test_a_plain_read_later_creates_exactly_the_new_occurrences(alice: User, read: str) -> None:
    with at(NOW):
        client = client_for(alice)
        monthly = create(client, rent())["id"]
        weekly = create(client, rent(frequency="weekly", start_date="2026-11-23"))["id"]
        daily = create(client, rent(kind="income", frequency="daily", start_date="2026-11-28"))
    assert len(dates_of(monthly)) == 10
    assert dates_of(weekly) == ["2026-11-23"]
    assert dates_of(daily["id"]) == ["2026-11-28", "2026-11-29"]

    with at(date(2027, 2, 1)):
        assert client_for(alice).get(read).status_code == 200
    assert dates_of(monthly) == [*RENT_2026, "2026-11-30", "2026-12-31", "2027-01-31"]
    assert dates_of(weekly) == [
        "2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14", "2026-12-21", "2026-12-28",
        "2027-01-04", "2027-01-11", "2027-01-18", "2027-01-25", "2027-02-01",
    ]  # fmt: skip
    assert len(dates_of(daily["id"])) == 66  # 2026-11-28 to 2027-02-01
    assert Entry.objects.filter(date__gt="2027-02-01").count() == 0

    with at(date(2027, 2, 1)):
        body = client_for(alice).get(detail(monthly)).json()
        again = client_for(alice).get(read)
    assert again.status_code == 200
    assert body["next_date"] == "2027-02-28"
    assert Entry.objects.count() == 13 + 11 + 66  # a second read created nothing
    alice.refresh_from_db()
    assert alice.recurring_due_on == date(2027, 2, 2)


def test_totals_after_time_passes(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        create(client, rent(start_date="2026-11-30"))
        create(
            client, rent(kind="income", amount="0.10", frequency="daily", start_date="2026-12-01")
        )
    with at(date(2026, 12, 31)):
        client = client_for(alice)
        summary = client.get("/api/summary/?month=2026-12").json()
        assert (summary["total_income"], summary["total_expenses"]) == ("3.10", "950.00")
        summary = client.get("/api/summary/?month=2026-11").json()
        assert summary["total_expenses"] == "950.00"


def test_deleted_and_edited_records_are_never_recreated_or_reset(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        rule_id = create(client, rent())["id"]
        first, second, *_ = Entry.objects.filter(recurring_id=rule_id).order_by("date")
        assert client.delete(f"/api/expenses/{first.pk}/").status_code == 204
        response = client.patch(
            f"/api/expenses/{second.pk}/", {"amount": "900.00", "date": "2026-03-01"}
        )
        assert response.status_code == 200
    with at(date(2027, 1, 1)):
        client = client_for(alice)
        assert client.get("/api/expenses/").status_code == 200
        client.patch(detail(rule_id), {"description": "Flat, new lease"})
    assert dates_of(rule_id) == ["2026-03-01", *RENT_2026[2:], "2026-11-30", "2026-12-31"]
    second.refresh_from_db()
    assert (second.amount, second.date, second.description) == (
        Decimal("900.00"),
        date(2026, 3, 1),
        "Flat",
    )
    assert not Entry.objects.filter(pk=first.pk).exists()


# --- edits ----------------------------------------------------------------------------------


def test_an_edit_changes_only_the_future(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        rule_id = create(client, rent())["id"]
    with at(date(2026, 12, 5)):
        response = client_for(alice).patch(
            detail(rule_id), {"amount": "1000.00", "description": "Flat 2", "category": "Housing"}
        )
        assert response.status_code == 200
        assert response.json()["next_date"] == "2026-12-31"
    with at(date(2027, 1, 31)):
        client_for(alice).get("/api/expenses/")
    amounts = dict(
        Entry.objects.filter(recurring_id=rule_id).values_list("date", "amount").order_by("date")
    )
    assert amounts[date(2026, 11, 30)] == Decimal("950.00")
    assert amounts[date(2026, 12, 31)] == Decimal("1000.00")
    assert amounts[date(2027, 1, 31)] == Decimal("1000.00")
    newest = Entry.objects.filter(recurring_id=rule_id).latest("date")
    assert (newest.category.name, newest.description) == ("Housing", "Flat 2")


def test_a_new_schedule_never_creates_anything_before_the_last_occurrence(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        rule_id = create(client, rent())["id"]  # the last one created: 2026-10-31
        body = client.patch(
            detail(rule_id), {"start_date": "2026-01-01", "frequency": "weekly"}
        ).json()
    # Weekly from Thursday Jan 1: nothing on or before Oct 31, the Thursdays since then.
    assert body["next_date"] == "2026-12-03"
    assert dates_of(rule_id) == [*RENT_2026, "2026-11-05", "2026-11-12", "2026-11-19", "2026-11-26"]


def test_an_edited_start_between_the_last_occurrence_and_today_fills_the_gap(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        rule_id = create(client, rent(frequency="yearly", start_date="2026-01-10"))["id"]
        body = client.patch(detail(rule_id), {"start_date": "2026-11-20", "frequency": "daily"})
        assert body.status_code == 200
    assert dates_of(rule_id)[0] == "2026-01-10"
    assert dates_of(rule_id)[1:] == [f"2026-11-{d}" for d in range(20, 30)]
    assert body.json()["next_date"] == "2026-11-30"


def test_the_366_day_check_applies_only_when_start_date_changes(alice: User) -> None:
    with at(NOW):
        rule_id = create(client_for(alice), rent(start_date="2025-11-28"))["id"]  # 366 days
    with at(date(2027, 6, 1)):
        client = client_for(alice)
        response = client.put(detail(rule_id), rent(start_date="2025-11-28", amount="5.00"))
        assert response.status_code == 200, response.content
        assert response.json()["amount"] == "5.00"
        response = client.patch(detail(rule_id), {"start_date": "2025-11-27"})
        assert_problem(response, 400, errors=["start_date"])


def test_an_edited_end_date_stops_the_rule(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        rule_id = create(client, rent())["id"]
        body = client.patch(detail(rule_id), {"end_date": "2026-11-29"}).json()
    assert body["next_date"] is None
    alice.refresh_from_db()
    assert alice.recurring_due_on is None


def test_pause_then_resume_skips_the_paused_occurrences(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        rule_id = create(client, rent())["id"]
        body = client.patch(detail(rule_id), {"active": False}).json()
        assert (body["active"], body["next_date"]) == (False, None)
    with at(date(2027, 3, 15)):
        client = client_for(alice)
        client.get("/api/expenses/")
        assert dates_of(rule_id) == RENT_2026
        body = client.patch(detail(rule_id), {"active": True}).json()
        assert (body["active"], body["next_date"]) == (True, "2027-03-31")
        # A later edit of the schedule does not bring the skipped occurrences back.
        body = client.patch(detail(rule_id), {"interval": 2}).json()
        assert body["next_date"] == "2027-03-31"
    with at(date(2027, 3, 31)):
        client_for(alice).get("/api/expenses/")
    assert dates_of(rule_id) == [*RENT_2026, "2027-03-31"]


def test_resume_on_an_occurrence_day_creates_it(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        rule_id = create(client, rent(start_date="2026-11-01", active=False))["id"]
    with at(date(2026, 12, 1)):
        body = client_for(alice).patch(detail(rule_id), {"active": True}).json()
    assert body["next_date"] == "2027-01-01"
    assert dates_of(rule_id) == ["2026-12-01"]


def test_delete_keeps_the_records_with_recurring_id_null(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        rule_id = create(client, rent())["id"]
        ids = list(Entry.objects.filter(recurring_id=rule_id).values_list("id", flat=True))
        assert client.delete(detail(rule_id)).status_code == 204
        assert client.get(detail(rule_id)).status_code == 404
    assert Entry.objects.filter(pk__in=ids, recurring_id__isnull=True).count() == 10
    with at(NOW):
        record = client.get(f"/api/expenses/{ids[0]}/").json()
    assert record["recurring_id"] is None
    alice.refresh_from_db()
    assert alice.recurring_due_on is None


def test_put_replaces_the_rule(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        rule_id = create(client, rent(start_date="2026-12-20"))["id"]
        body = {
            "kind": "income",
            "amount": "3.00",
            "frequency": "daily",
            "start_date": "2026-12-24",
        }
        response = client.put(detail(rule_id), body)
    assert response.status_code == 200, response.content
    assert response.json() == rule_json(
        rule_id,
        kind="income",
        amount="3.00",
        category="Rent",
        frequency="daily",
        start_date="2026-12-24",
        next_date="2026-12-24",
    )
    assert RecurringRule.objects.get(pk=rule_id).category.kind == "income"


# --- upcoming -------------------------------------------------------------------------------


def test_upcoming_forecasts_the_next_days(alice: User, bob: User) -> None:
    with at(NOW):
        client = client_for(alice)
        rent_id = create(client, rent())["id"]
        pay_id = create(
            client,
            rent(kind="income", amount="1200.00", category="Salary", description="Pay",
                 frequency="weekly", start_date="2026-12-04"),
        )["id"]  # fmt: skip
        create(client, rent(start_date="2026-12-01", active=False))
        create(client_for(bob), rent(start_date="2026-12-01"))
        response = client.get(f"{UPCOMING_URL}?days=14")
    assert response.status_code == 200
    pay = {"recurring_id": pay_id, "kind": "income", "amount": "1200.00", "category": "Salary",
           "description": "Pay"}  # fmt: skip
    flat = {"recurring_id": rent_id, "kind": "expense", "amount": "950.00", "category": "Rent",
            "description": "Flat"}  # fmt: skip
    assert response.json() == {
        "days": 14,
        "currency": "USD",
        "total_income": "2400.00",
        "total_expenses": "950.00",
        "net": "1450.00",
        "occurrences": [
            {**flat, "date": "2026-11-30"},
            {**pay, "date": "2026-12-04"},
            {**pay, "date": "2026-12-11"},
        ],
        "truncated": False,
    }
    with at(NOW):
        body = client.get(UPCOMING_URL).json()
    assert body["days"] == 30
    assert [(o["date"], o["recurring_id"]) for o in body["occurrences"]] == [
        ("2026-11-30", rent_id),
        ("2026-12-04", pay_id),
        ("2026-12-11", pay_id),
        ("2026-12-18", pay_id),
        ("2026-12-25", pay_id),
    ]
    with at(NOW):
        body = client.get(f"{UPCOMING_URL}?days=32").json()
    assert body["occurrences"][-1] == {**flat, "date": "2026-12-31"}
    assert (body["total_income"], body["total_expenses"], body["net"]) == (
        "4800.00",
        "1900.00",
        "2900.00",
    )


def test_upcoming_excludes_today_and_ties_sort_by_rule(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        one = create(client, rent(frequency="daily", start_date="2026-11-29"))["id"]
        two = create(client, rent(frequency="daily", start_date="2026-11-29", amount="1.00"))["id"]
        body = client.get(f"{UPCOMING_URL}?days=2").json()
    assert [(o["date"], o["recurring_id"]) for o in body["occurrences"]] == [
        ("2026-11-30", one),
        ("2026-11-30", two),
        ("2026-12-01", one),
        ("2026-12-01", two),
    ]
    assert body["total_expenses"] == "1902.00"


def test_upcoming_lists_at_most_1000_and_totals_them_all(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        for _ in range(3):
            create(client, rent(amount="0.01", frequency="daily", start_date="2026-11-30"))
        body = client.get(f"{UPCOMING_URL}?days=366").json()
    assert len(body["occurrences"]) == 1000
    assert body["truncated"] is True
    assert body["total_expenses"] == "10.98"  # 3 x 366 x 0.01
    # 333 days of 3 occurrences, then the first of the 334th day.
    assert body["occurrences"][-1]["date"] == (date(2026, 11, 30) + timedelta(days=333)).isoformat()


@pytest.mark.parametrize("days", ["0", "367", "abc", "-1", "1.5"])
def test_upcoming_refuses_bad_days(alice_client: APIClient, days: str) -> None:
    assert_problem(alice_client.get(f"{UPCOMING_URL}?days={days}"), 400, errors=["days"])


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"interval": 0}, "interval"),
        ({"interval": 366}, "interval"),
        ({"start_date": "2025-11-27"}, "start_date"),  # 367 days ago
        ({"end_date": "2026-01-30"}, "end_date"),
        ({"frequency": "hourly"}, "frequency"),
        ({"kind": "transfer"}, "kind"),
        ({"amount": "0.00"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"start_date": "2026-02-30"}, "start_date"),
        ({"category": "x" * 65}, "category"),
        ({"active": "maybe"}, "active"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(alice: User, fields: dict, field: str) -> None:
    with at(NOW):
        response = client_for(alice).post(URL, rent(**fields))
    assert_problem(response, 400, errors=[field])
    assert not RecurringRule.objects.exists()
    assert not Entry.objects.exists()


@pytest.mark.parametrize("missing", ["kind", "amount", "frequency", "start_date"])
def test_required_fields(alice_client: APIClient, missing: str) -> None:
    body = rent()
    del body[missing]
    assert_problem(alice_client.post(URL, body), 400, errors=[missing])


def test_an_edit_is_checked_like_a_create(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        rule_id = create(client, rent())["id"]
        assert_problem(client.patch(detail(rule_id), {"interval": 0}), 400, errors=["interval"])
        assert_problem(
            client.patch(detail(rule_id), {"end_date": "2026-01-01"}), 400, errors=["end_date"]
        )
        assert_problem(
            client.patch(detail(rule_id), {"frequency": "fortnightly"}), 400, errors=["frequency"]
        )
        assert client.get(detail(rule_id)).json() == rule_json(rule_id)


def test_at_most_100_rules(alice: User) -> None:
    with at(NOW):
        client = client_for(alice)
        for _ in range(100):
            create(client, rent(start_date="2027-01-01"))
        assert_problem(client.post(URL, rent()), 400, errors=["non_field_errors"])
        assert RecurringRule.objects.count() == 100


# --- access ---------------------------------------------------------------------------------


def test_bob_gets_404_on_alices_rules(alice: User, bob: User) -> None:
    with at(NOW):
        rule_id = create(client_for(alice), rent())["id"]
        bob_client = client_for(bob)
        assert_problem(bob_client.get(detail(rule_id)), 404)
        assert_problem(bob_client.put(detail(rule_id), rent()), 404)
        assert_problem(bob_client.patch(detail(rule_id), {"amount": "1.00"}), 404)
        assert_problem(bob_client.delete(detail(rule_id)), 404)
        assert bob_client.get(URL).json()["count"] == 0
        assert bob_client.get(UPCOMING_URL).json()["occurrences"] == []
        assert_problem(bob_client.get(detail(MISSING_ID)), 404)
    assert RecurringRule.objects.get(pk=rule_id).amount == Decimal("950.00")


@pytest.mark.parametrize("path", [URL, UPCOMING_URL, detail(1)])
def test_anonymous_gets_401(anon_client: APIClient, path: str) -> None:
    assert_unauthorized(anon_client.get(path))


# --- the due check costs nothing when nothing is due ----------------------------------------


def _queries(client: APIClient, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/api/expenses/", "/api/incomes/", "/api/summary/"])
def test_a_request_with_nothing_due_costs_no_extra_query(alice: User, bob: User, path) -> None:
    with at(NOW):
        EntryFactory.create(user=bob)
        without_rules = _queries(client_for(bob), path)
        client = client_for(alice)
        for day in range(12):
            create(client, rent(start_date=f"2026-11-{day + 1:02d}", frequency="monthly"))
        assert _queries(client, path) == without_rules


def test_the_catch_up_is_a_fixed_number_of_queries(alice: User) -> None:
    with at(date(2025, 11, 28)):
        client = client_for(alice)
        create(client, rent(frequency="daily", start_date="2025-11-28"))
        for _ in range(5):
            create(client, rent(frequency="weekly", start_date="2025-11-28"))
    with at(NOW), CaptureQueriesContext(connection) as captured:
        assert client_for(alice).get("/api/expenses/").status_code == 200
    created = 366 + 5 * 52
    assert Entry.objects.count() == 6 + created
    inserts = [q for q in captured if q["sql"].startswith('INSERT INTO "ledger_entry"')]
    # One INSERT for them all; Django splits it on SQLite only, at 999 bound parameters.
    columns = len([f for f in Entry._meta.concrete_fields if not f.primary_key])
    batches = 1 if connection.vendor == "postgresql" else -(-created // (999 // columns))
    assert len(inserts) == batches
    # 16: the last is the ETag's re-read of the change counter the inserts bumped.
    assert len(captured) - len(inserts) <= 16


def test_the_command_catches_up_every_user(alice: User, bob: User) -> None:
    with at(NOW):
        create(client_for(alice), rent(start_date="2026-11-30"))
        create(client_for(bob), rent(frequency="daily", start_date="2026-11-30"))
    with at(date(2026, 12, 2)):
        call_command("materialize_recurring", stdout=(out := _Sink()))
        assert out.text == "Created 4 record(s) for 2 user(s).\n"
        call_command("materialize_recurring", stdout=(out := _Sink()))
        assert out.text == "Created 0 record(s) for 0 user(s).\n"
    assert Entry.objects.filter(user=bob).count() == 3


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_the_due_check_runs_on_every_authenticated_endpoint() -> None:
    """A view that sets its own permission classes must keep the catch-up (or be public)."""
    from django.urls import get_resolver
    from rest_framework.permissions import IsAuthenticated

    from fintrack.recurring.api.permissions import RecurringCaughtUp

    def views(patterns: list) -> list:
        found = []
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                found += views(pattern.url_patterns)
            else:
                cls = getattr(pattern.callback, "cls", None)
                if cls is not None:
                    found.append(cls)
        return found

    for view in views(get_resolver().url_patterns):
        permissions = list(view.permission_classes)
        if IsAuthenticated in permissions:
            assert RecurringCaughtUp in permissions, view


def test_a_new_day_begins_at_midnight_utc(alice: User) -> None:
    with at(datetime(2026, 11, 29, 23, 59, tzinfo=UTC)):
        rule_id = create(client_for(alice), rent(frequency="daily", start_date="2026-11-29"))["id"]
        client_for(alice).get("/api/expenses/")
    assert dates_of(rule_id) == ["2026-11-29"]
    with at(datetime(2026, 11, 30, 0, 0, 1, tzinfo=UTC)):
        client_for(alice).get("/api/expenses/")
    assert dates_of(rule_id) == ["2026-11-29", "2026-11-30"]
