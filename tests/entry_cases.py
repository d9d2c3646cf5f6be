"""The cases /api/incomes/ and /api/expenses/ share; each test module binds them to its path.

The classes here are not collected on their own (the module name does not start with
`test_`): `test_incomes_api.py` and `test_expenses_api.py` bind them to an `api` with
`bound_cases()`.
"""

import json
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from django.db.models import Sum
from freezegun import freeze_time
from rest_framework.test import APIClient

from fintrack.accounts.models import User
from fintrack.core.money import MAX_AMOUNT
from fintrack.ledger.models import Category, Entry

from .assertions import assert_problem, assert_unauthorized
from .conftest import client_for
from .factories import EntryFactory

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
NOW_JSON = "2026-11-24T09:00:00Z"
LATER = datetime(2026, 11, 25, 18, 30, tzinfo=UTC)
LATER_JSON = "2026-11-25T18:30:00Z"
MISSING_ID = 10**9
LIST_MAX_QUERIES = 4  # the user, the count and total, the page, the tags of the page
# `search` first reads the ids of the user's categories whose name matches, so that PostgreSQL
# can combine its two trigram indexes (docs/benchmarks.md): one more, still not per row.
SEARCH_LIST_MAX_QUERIES = LIST_MAX_QUERIES + 1
# The fields v1.1 added to every record, as a record without them shows them.
V11_FIELDS: dict[str, Any] = {
    "tags": [],
    "external_id": None,
    "recurring_id": None,
    "import_id": None,
}


@dataclass(frozen=True)
class EntryApi:
    """One of the two record endpoints, and the other one (same shape, other kind)."""

    path: str
    kind: str
    other_path: str
    other_kind: str

    def detail(self, pk: int) -> str:
        return f"{self.path}{pk}/"


def money(value: Decimal) -> str:
    """The wire form of an exact amount, computed here rather than by the code under test."""
    return f"{value:.2f}"


@contextmanager
def signed_in_at(moment: datetime, user: User) -> Iterator[APIClient]:
    """A client for `user` while the clock stands at `moment` (its token is minted then too)."""
    with freeze_time(moment):
        yield client_for(user)


def ledger_snapshot() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every entry and category row, to prove a refused request changed nothing."""
    entries = Entry.objects.order_by("id").values_list(
        "id",
        "user_id",
        "kind",
        "amount",
        "date",
        "category_id",
        "description",
        "created_at",
        "updated_at",
    )
    categories = Category.objects.order_by("id").values_list("id", "user_id", "kind", "name")
    return list(entries), list(categories)


class EntryCases:
    """Base of the case classes: the endpoint under test and helpers to make its records."""

    api: ClassVar[EntryApi]

    def category(self, user: User, name: str, *, kind: str | None = None) -> Category:
        category, _ = Category.objects.get_or_create(
            user=user, kind=kind or self.api.kind, name=name
        )
        return category

    def entry(
        self,
        user: User,
        *,
        amount: str = "10.00",
        day: date = date(2026, 11, 1),
        category: str = "Food",
        description: str = "",
        kind: str | None = None,
    ) -> Entry:
        kind = kind or self.api.kind
        return EntryFactory.create(
            user=user,
            kind=kind,
            amount=Decimal(amount),
            date=day,
            category=self.category(user, category, kind=kind),
            description=description,
        )

    def bulk_entries(self, user: User, amounts: list[Decimal]) -> None:
        """Many records in one INSERT (the pagination and query-count tests need hundreds)."""
        category = self.category(user, "Bulk")
        Entry.objects.bulk_create(
            Entry(
                user=user,
                kind=self.api.kind,
                amount=amount,
                date=date(2026, 11, 1) + timedelta(days=index % 28),
                category=category,
            )
            for index, amount in enumerate(amounts)
        )

    @staticmethod
    def record(entry: Entry, **changes: Any) -> dict[str, Any]:
        """The whole wire form of a record made under `freeze_time(NOW)`."""
        return {
            "id": entry.pk,
            "amount": money(entry.amount),
            "date": entry.date.isoformat(),
            "category": entry.category.name,
            "description": entry.description,
            **V11_FIELDS,
            "created_at": NOW_JSON,
            "updated_at": NOW_JSON,
            **changes,
        }


# POST


@pytest.mark.django_db
class CreateCases(EntryCases):
    def test_create_answers_201_with_the_whole_record(self, alice):
        body = {
            "amount": "2500.00",
            "date": "2026-11-01",
            "category": "Salary",
            "description": "November pay",
        }
        with signed_in_at(NOW, alice) as client:
            response = client.post(self.api.path, body)

        assert response.status_code == 201, response.content
        assert response["Content-Type"] == "application/json"
        entry = Entry.objects.get()
        assert response.json() == {
            "id": entry.pk,
            **body,
            **V11_FIELDS,
            "created_at": NOW_JSON,
            "updated_at": NOW_JSON,
        }
        assert entry.user == alice
        assert entry.kind == self.api.kind
        assert entry.amount == Decimal("2500.00")
        assert entry.date == date(2026, 11, 1)
        assert (entry.category.name, entry.category.kind) == ("Salary", self.api.kind)

    def test_created_record_reads_back_identically(self, alice):
        with signed_in_at(NOW, alice) as client:
            created = client.post(self.api.path, {"amount": "19.99", "category": "Books"})
            read = client.get(self.api.detail(created.json()["id"]))

        assert read.status_code == 200
        assert read.json() == created.json()

    def test_create_with_only_an_amount_takes_the_defaults(self, alice):
        with signed_in_at(datetime(2026, 11, 24, 23, 59, 59, tzinfo=UTC), alice) as client:
            response = client.post(self.api.path, {"amount": "5.00"})

        assert response.status_code == 201
        body = response.json()
        assert body == {
            "id": body["id"],
            "amount": "5.00",
            "date": "2026-11-24",
            "category": "Uncategorized",
            "description": "",
            **V11_FIELDS,
            "created_at": "2026-11-24T23:59:59Z",
            "updated_at": "2026-11-24T23:59:59Z",
        }

    def test_default_date_is_todays_date_in_utc_whatever_the_server_zone(self, alice, settings):
        settings.TIME_ZONE = "Pacific/Auckland"  # already 25 November there
        with signed_in_at(datetime(2026, 11, 24, 23, 30, tzinfo=UTC), alice) as client:
            response = client.post(self.api.path, {"amount": "5.00"})

        assert response.status_code == 201
        assert response.json()["date"] == "2026-11-24"

    @pytest.mark.parametrize(
        ("sent", "answered"),
        [(12.5, "12.50"), (7, "7.00"), (0.1, "0.10"), ("3", "3.00"), ("12.5", "12.50")],
    )
    def test_create_accepts_an_amount_as_number_or_string(
        self, alice, alice_client, sent, answered
    ):
        response = alice_client.post(self.api.path, {"amount": sent})

        assert response.status_code == 201, response.content
        assert response.json()["amount"] == answered
        assert Entry.objects.get().amount == Decimal(answered)

    def test_number_amount_is_read_as_an_exact_decimal(self, alice, alice_client):
        # 0.1 + 0.2 in binary floating point is 0.30000000000000004.
        for amount in ("0.1", "0.2"):
            response = alice_client.post(
                self.api.path, data=f'{{"amount": {amount}}}', content_type="application/json"
            )
            assert response.status_code == 201

        total = alice_client.get(self.api.path).json()["total_amount"]

        assert total == "0.30"

    @pytest.mark.parametrize("sent", ["food", "FOOD", "  fOOd  ", "Food"])
    def test_create_reuses_a_category_in_any_case(self, alice, alice_client, sent):
        existing = self.category(alice, "Food")

        response = alice_client.post(self.api.path, {"amount": "3.00", "category": sent})

        assert response.status_code == 201
        assert response.json()["category"] == "Food"
        assert list(Category.objects.filter(user=alice)) == [existing]
        assert Entry.objects.get().category == existing

    def test_create_makes_the_category_on_first_use_with_the_name_as_sent(
        self, alice, alice_client
    ):
        response = alice_client.post(
            self.api.path, {"amount": "3.00", "category": " Coffee Shops "}
        )

        assert response.status_code == 201
        assert response.json()["category"] == "Coffee Shops"
        category = Category.objects.get(user=alice)
        assert (category.name, category.kind) == ("Coffee Shops", self.api.kind)

    def test_kinds_have_separate_categories_of_the_same_name(self, alice, alice_client):
        other = alice_client.post(self.api.other_path, {"amount": "1.00", "category": "Food"})
        response = alice_client.post(self.api.path, {"amount": "2.00", "category": "food"})

        assert other.status_code == response.status_code == 201
        # Not matched against the other kind's "Food": created anew, with the name as sent.
        assert response.json()["category"] == "food"
        rows = set(Category.objects.filter(user=alice).values_list("kind", "name"))
        assert rows == {(self.api.other_kind, "Food"), (self.api.kind, "food")}
        listed = alice_client.get(self.api.path, {"category": "FOOD"}).json()
        assert [r["amount"] for r in listed["results"]] == ["2.00"]

    def test_create_ignores_read_only_and_unknown_fields(self, alice, bob):
        body = {
            "amount": "4.00",
            "id": 987654,
            "created_at": "2001-01-01T00:00:00Z",
            "updated_at": "2001-01-01T00:00:00Z",
            "kind": self.api.other_kind,
            "user": bob.pk,
            "total_amount": "1.00",
            "colour": "green",
        }
        with signed_in_at(NOW, alice) as client:
            response = client.post(self.api.path, body)

        assert response.status_code == 201, response.content
        entry = Entry.objects.get()
        assert response.json() == {
            "id": entry.pk,
            "amount": "4.00",
            "date": "2026-11-24",
            "category": "Uncategorized",
            "description": "",
            **V11_FIELDS,
            "created_at": NOW_JSON,
            "updated_at": NOW_JSON,
        }
        assert entry.pk != 987654
        assert (entry.user, entry.kind) == (alice, self.api.kind)

    def test_create_without_a_token_is_401_and_creates_nothing(self, anon_client):
        assert_unauthorized(anon_client.post(self.api.path, {"amount": "1.00"}))
        assert_unauthorized(anon_client.get(self.api.path))
        assert not Entry.objects.exists()


# GET one, PUT, PATCH, DELETE, and the plain list


@pytest.mark.django_db
class ReadUpdateDeleteCases(EntryCases):
    @pytest.fixture
    def lunch(self, alice: User) -> Entry:
        with freeze_time(NOW):
            return self.entry(alice, amount="12.50", category="Food", description="Lunch")

    def test_retrieve_answers_the_whole_record(self, alice, alice_client, lunch):
        response = alice_client.get(self.api.detail(lunch.pk))

        assert response.status_code == 200
        assert response.json() == {
            "id": lunch.pk,
            "amount": "12.50",
            "date": "2026-11-01",
            "category": "Food",
            "description": "Lunch",
            **V11_FIELDS,
            "created_at": NOW_JSON,
            "updated_at": NOW_JSON,
        }

    def test_put_replaces_the_fields_and_answers_the_whole_record(self, alice, lunch):
        body = {
            "amount": "99.95",
            "date": "2026-10-02",
            "category": "Travel",
            "description": "Train",
        }
        with signed_in_at(LATER, alice) as client:
            response = client.put(self.api.detail(lunch.pk), body)

        assert response.status_code == 200, response.content
        assert response.json() == {
            "id": lunch.pk,
            **body,
            **V11_FIELDS,
            "created_at": NOW_JSON,
            "updated_at": LATER_JSON,
        }
        lunch.refresh_from_db()
        assert (lunch.amount, lunch.date, lunch.category.name, lunch.description) == (
            Decimal("99.95"),
            date(2026, 10, 2),
            "Travel",
            "Train",
        )
        assert (lunch.category.kind, lunch.kind) == (self.api.kind, self.api.kind)

    def test_put_without_an_amount_is_400_and_changes_nothing(self, alice, alice_client, lunch):
        before = ledger_snapshot()

        response = alice_client.put(self.api.detail(lunch.pk), {"description": "only this"})

        assert_problem(response, 400, errors=["amount"])
        assert ledger_snapshot() == before

    @pytest.mark.parametrize(
        ("body", "changed"),
        [
            ({"amount": "0.01"}, {"amount": "0.01"}),
            ({"amount": 7.5}, {"amount": "7.50"}),
            ({"date": "2024-02-29"}, {"date": "2024-02-29"}),
            ({"category": "Travel"}, {"category": "Travel"}),
            ({"description": ""}, {"description": ""}),
            ({"description": "Team lunch"}, {"description": "Team lunch"}),
            ({}, {}),
        ],
    )
    def test_patch_changes_only_the_fields_sent(self, alice, lunch, body, changed):
        with signed_in_at(LATER, alice) as client:
            response = client.patch(self.api.detail(lunch.pk), body)

            read = client.get(self.api.detail(lunch.pk))

        assert response.status_code == 200, response.content
        expected = self.record(lunch, **changed, updated_at=LATER_JSON)
        assert response.json() == expected
        assert read.json() == expected

    def test_patch_to_a_new_category_leaves_the_old_one_in_place(self, alice, alice_client, lunch):
        response = alice_client.patch(self.api.detail(lunch.pk), {"category": "Travel"})

        assert response.status_code == 200
        names = set(Category.objects.filter(user=alice).values_list("name", flat=True))
        assert names == {"Food", "Travel"}

    def test_patch_matches_an_existing_category_in_any_case(self, alice, alice_client, lunch):
        travel = self.category(alice, "Travel")

        response = alice_client.patch(self.api.detail(lunch.pk), {"category": "TRAVEL"})

        assert response.json()["category"] == "Travel"
        lunch.refresh_from_db()
        assert lunch.category == travel
        assert Category.objects.filter(user=alice).count() == 2

    def test_delete_answers_204_and_the_record_is_gone(self, alice, alice_client, lunch):
        response = alice_client.delete(self.api.detail(lunch.pk))

        assert response.status_code == 204
        assert response.content == b""
        assert not Entry.objects.exists()
        assert_problem(alice_client.get(self.api.detail(lunch.pk)), 404)
        # The category outlives its last record.
        assert Category.objects.filter(user=alice, name="Food").exists()

    @pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
    def test_a_missing_record_is_404(self, alice, alice_client, method):
        response = getattr(alice_client, method)(self.api.detail(MISSING_ID), {"amount": "1.00"})

        assert_problem(response, 404)
        assert not Entry.objects.exists()
        assert not Category.objects.exists()

    @pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
    def test_a_record_of_the_other_kind_is_404_here(self, alice, alice_client, method):
        other = self.entry(alice, kind=self.api.other_kind, amount="8.00")
        before = ledger_snapshot()

        response = getattr(alice_client, method)(self.api.detail(other.pk), {"amount": "1.00"})

        assert_problem(response, 404)
        assert ledger_snapshot() == before

    def test_list_answers_the_whole_page_newest_first(self, alice, alice_client):
        with freeze_time(NOW):
            older = self.entry(alice, amount="10.00", day=date(2026, 11, 1), description="a")
            newer = self.entry(alice, amount="2.55", day=date(2026, 11, 20), category="Rent")
            self.entry(alice, kind=self.api.other_kind, amount="1000.00")

        response = alice_client.get(self.api.path)

        assert response.status_code == 200
        assert response.json() == {
            "count": 2,
            "total_amount": "12.55",
            "next": None,
            "previous": None,
            "results": [self.record(newer), self.record(older)],
        }

    def test_an_empty_list_totals_zero(self, alice, alice_client):
        response = alice_client.get(self.api.path)

        assert response.status_code == 200
        assert response.json() == {
            "count": 0,
            "total_amount": "0.00",
            "next": None,
            "previous": None,
            "results": [],
        }


# Bad input


@pytest.mark.django_db
class ValidationCases(EntryCases):
    def assert_nothing_written(self) -> None:
        assert not Entry.objects.exists()
        assert not Category.objects.exists()

    @pytest.mark.parametrize(
        "amount",
        [
            0,
            "0",
            "0.00",
            "-0.01",
            -5,
            "10000000000.00",
            "9999999999.991",
            99999999999,
            "12.345",
            12.345,
            "0.001",
            "NaN",
            "nan",
            "Infinity",
            "-Infinity",
            "inf",
            "abc",
            "12,50",
            "$12.50",
            "5.",  # as the schema's pattern: no bare point, no leading zeros
            "0012.50",
            "",
            "   ",
            None,
            True,
            [],
            {},
            ["12.50"],
            "1" * 2000,
        ],
    )
    def test_bad_amount_is_400_naming_it_and_writes_nothing(self, alice, alice_client, amount):
        body = {"amount": amount, "category": "Brand new", "description": "x"}

        response = alice_client.post(self.api.path, body, format="json")

        assert_problem(response, 400, errors=["amount"])
        self.assert_nothing_written()

    def test_missing_amount_is_400(self, alice, alice_client):
        response = alice_client.post(self.api.path, {"category": "Brand new"})

        assert_problem(response, 400, errors=["amount"])
        self.assert_nothing_written()

    @pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999999999"])
    def test_non_finite_json_numbers_are_400(self, alice, alice_client, literal):
        response = alice_client.post(
            self.api.path,
            data=f'{{"amount": {literal}, "category": "Brand new"}}',
            content_type="application/json",
        )

        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        self.assert_nothing_written()

    @pytest.mark.parametrize("amount", ["0.01", "9999999999.99", ".5", "0.5", "7"])
    def test_amount_limits_are_accepted(self, alice, alice_client, amount):
        response = alice_client.post(self.api.path, {"amount": amount})

        assert response.status_code == 201, response.content
        assert response.json()["amount"] == money(Decimal(amount))
        assert Entry.objects.get().amount == Decimal(amount)

    @pytest.mark.parametrize(
        "day",
        [
            "2026-02-30",
            "2026-02-29",
            "2026-11-31",
            "2026-13-01",
            "2026-00-10",
            "24/11/2026",
            "2026/11/24",
            "11-24-2026",
            "today",
            "",
            20261124,
            None,
        ],
    )
    def test_impossible_or_malformed_date_is_400(self, alice, alice_client, day):
        body = {"amount": "1.00", "date": day, "category": "Brand new"}

        response = alice_client.post(self.api.path, body, format="json")

        assert_problem(response, 400, errors=["date"])
        self.assert_nothing_written()

    def test_leap_day_is_a_date(self, alice, alice_client):
        response = alice_client.post(self.api.path, {"amount": "1.00", "date": "2028-02-29"})

        assert response.status_code == 201
        assert response.json()["date"] == "2028-02-29"

    @pytest.mark.parametrize("name", ["", "   ", "\t\n", "x" * 65, " " + "y" * 65, None, "a\x00b"])
    def test_bad_category_name_is_400_and_writes_nothing(self, alice, alice_client, name):
        response = alice_client.post(self.api.path, {"amount": "1.00", "category": name})

        assert_problem(response, 400, errors=["category"])
        self.assert_nothing_written()

    @pytest.mark.parametrize("name", ["x" * 64, "🍕" * 64, "  " + "z" * 64 + "  ", "é"])
    def test_category_name_of_1_to_64_characters_after_trimming_is_accepted(
        self, alice, alice_client, name
    ):
        response = alice_client.post(self.api.path, {"amount": "1.00", "category": name})

        assert response.status_code == 201, response.content
        assert response.json()["category"] == name.strip()
        assert Category.objects.get().name == name.strip()

    @pytest.mark.parametrize("description", ["d" * 256, "🙂" * 256, None, "a\x00b"])
    def test_bad_description_is_400_and_writes_nothing(self, alice, alice_client, description):
        body = {"amount": "1.00", "category": "Brand new", "description": description}

        response = alice_client.post(self.api.path, body)

        assert_problem(response, 400, errors=["description"])
        self.assert_nothing_written()

    @pytest.mark.parametrize("description", ["d" * 255, "🙂" * 255])
    def test_description_of_255_characters_is_accepted(self, alice, alice_client, description):
        response = alice_client.post(self.api.path, {"amount": "1.00", "description": description})

        assert response.status_code == 201, response.content
        assert response.json()["description"] == description
        assert Entry.objects.get().description == description

    def test_several_bad_fields_are_all_named(self, alice, alice_client):
        body = {"amount": "-1", "date": "2026-02-30", "category": "", "description": "d" * 256}

        response = alice_client.post(self.api.path, body)

        assert_problem(response, 400, errors=["amount", "date", "category", "description"])
        self.assert_nothing_written()

    @pytest.mark.parametrize(
        "text",
        [
            "Party 🎉🥳",
            "👩‍👩‍👧‍👦 family",
            "مرحبا بالعالم",
            "שלום עולם",
            "Café ☕ — naïve façade",
            "東京 ラーメン",
            "e\u0301 (combining accent)",
            "🇫🇷 flag and 𝕏 math",
        ],
    )
    def test_unicode_round_trips_exactly(self, alice, alice_client, text):
        body = {"amount": "1.00", "category": text[:64], "description": text}
        category = unicodedata.normalize("NFC", text[:64])  # a name is stored in NFC

        created = alice_client.post(self.api.path, body)

        assert created.status_code == 201, created.content
        assert created.json()["category"] == category
        assert created.json()["description"] == text
        read = alice_client.get(self.api.detail(created.json()["id"])).json()
        assert (read["category"], read["description"]) == (category, text)
        listed = alice_client.get(self.api.path, {"category": text[:64]}).json()
        assert [r["description"] for r in listed["results"]] == [text]
        entry = Entry.objects.get()
        assert (entry.category.name, entry.description) == (category, text)

    @pytest.mark.parametrize(
        "body",
        [
            {"amount": "0", "category": "Brand new"},
            {"amount": "5.00", "category": "Brand new", "date": "2026-02-30"},
            {"amount": "5.00", "category": "Brand new", "description": "d" * 256},
            {"amount": "5.00", "category": "c" * 65},
        ],
    )
    @pytest.mark.parametrize("method", ["put", "patch"])
    def test_a_refused_update_changes_nothing(self, alice, alice_client, method, body):
        entry = self.entry(alice, amount="12.50", category="Food", description="Lunch")
        before = ledger_snapshot()

        response = getattr(alice_client, method)(self.api.detail(entry.pk), body)

        assert response.status_code == 400
        assert ledger_snapshot() == before

    @pytest.mark.parametrize("raw", ["[1, 2]", '"12.50"', "12.50", "null", "{", '{"amount": }'])
    def test_a_body_that_is_no_json_object_is_400(self, alice, alice_client, raw):
        response = alice_client.post(self.api.path, data=raw, content_type="application/json")

        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        self.assert_nothing_written()

    def test_a_form_encoded_body_is_415(self, alice, alice_client):
        response = alice_client.post(
            self.api.path, data="amount=1.00", content_type="application/x-www-form-urlencoded"
        )

        assert_problem(response, 415)
        self.assert_nothing_written()


# List filters

# label: (amount, date, category, description)
RECORDS: dict[str, tuple[str, date, str, str]] = {
    "a": ("10.00", date(2026, 10, 31), "Food", "Lunch at Café"),
    "b": ("25.50", date(2026, 11, 1), "Rent", "November rent"),
    "c": ("100.00", date(2026, 11, 15), "Travel", "Train to Lyon"),
    "d": ("7.25", date(2026, 11, 30), "Food", "Groceries"),
    "e": ("300.00", date(2026, 12, 1), "Fun", "Concert tickets"),
}
# Hours before NOW at which each was created: an order unlike that of dates or amounts.
CREATED_HOURS_AGO = {"a": 1, "b": 5, "c": 3, "d": 2, "e": 4}


class DatasetCases(EntryCases):
    @pytest.fixture
    def records(self, alice: User, bob: User) -> dict[str, int]:
        """Alice's five records of this kind (labels -> ids), with noise that never shows."""
        ids = {}
        for label, (amount, day, category, description) in RECORDS.items():
            entry = self.entry(
                alice, amount=amount, day=day, category=category, description=description
            )
            Entry.objects.filter(pk=entry.pk).update(
                created_at=NOW - timedelta(hours=CREATED_HOURS_AGO[label])
            )
            ids[label] = entry.pk
        # Same month, category and words, but the other kind, or Bob's.
        self.entry(alice, kind=self.api.other_kind, amount="55.55", day=date(2026, 11, 10))
        self.entry(bob, amount="44.44", day=date(2026, 11, 10), description="Lunch rent")
        return ids

    @staticmethod
    def expected_order(labels: list[str], ids: dict[str, int], ordering: str) -> list[str]:
        """Labels sorted as `ordering` says, ties broken by newest id, computed in Python."""
        keys: dict[str, Callable[[str], Any]] = {
            "date": lambda label: RECORDS[label][1],
            "amount": lambda label: Decimal(RECORDS[label][0]),
            "category": lambda label: RECORDS[label][2],
            "created_at": lambda label: -CREATED_HOURS_AGO[label],
        }
        result = sorted(labels, key=lambda label: ids[label], reverse=True)
        for term in reversed(ordering.split(",")):
            field = term.lstrip("-")
            result.sort(key=keys[field], reverse=term.startswith("-"))  # stable: keeps ties
        return result


@pytest.mark.django_db
class FilterCases(DatasetCases):
    @pytest.mark.parametrize(
        ("params", "labels"),
        [
            ({}, "abcde"),
            ({"date_from": "2026-11-01"}, "bcde"),
            ({"date_to": "2026-11-30"}, "abcd"),
            ({"date_from": "2026-11-01", "date_to": "2026-11-30"}, "bcd"),
            ({"date_from": "2026-11-15", "date_to": "2026-11-15"}, "c"),
            ({"date_from": "2026-12-02"}, ""),
            ({"month": "2026-11"}, "bcd"),
            ({"month": "2026-10"}, "a"),
            ({"month": "2026-12"}, "e"),
            ({"month": "2027-01"}, ""),
            ({"category": "food"}, "ad"),
            ({"category": "FOOD"}, "ad"),
            ({"category": ["food", "Rent"]}, "abd"),
            ({"category": ["food", "nope"]}, "ad"),
            ({"category": "Foo"}, ""),
            ({"min_amount": "25.50"}, "bce"),
            ({"min_amount": "25.5"}, "bce"),
            ({"min_amount": "25.51"}, "ce"),
            ({"max_amount": "25.50"}, "abd"),
            ({"max_amount": "7.24"}, ""),
            ({"min_amount": "10", "max_amount": "100"}, "abc"),
            ({"min_amount": "25.51", "max_amount": "99.99"}, ""),
            ({"search": "RENT"}, "b"),
            ({"search": "lyon"}, "c"),
            ({"search": "foo"}, "ad"),
            ({"search": "café"}, "a"),
            ({"search": "%"}, ""),
            ({"search": "_"}, ""),
            ({"month": "2026-11", "category": "food"}, "d"),
            ({"month": "2026-11", "min_amount": "20", "search": "r"}, "bc"),
            (
                {
                    "date_from": "2026-10-31",
                    "date_to": "2026-11-30",
                    "category": ["food", "travel"],
                    "max_amount": "50",
                },
                "ad",
            ),
        ],
    )
    def test_filters_select_the_records_and_total_them(self, alice_client, records, params, labels):
        response = alice_client.get(self.api.path, params)

        assert response.status_code == 200, response.content
        body = response.json()
        expected = self.expected_order(list(labels), records, "-date")
        assert [r["id"] for r in body["results"]] == [records[label] for label in expected]
        assert body["count"] == len(labels)
        total = sum((Decimal(RECORDS[label][0]) for label in labels), Decimal("0.00"))
        assert body["total_amount"] == money(total)

    def test_filtered_records_are_whole(self, alice_client, records):
        response = alice_client.get(self.api.path, {"search": "lyon"})

        (result,) = response.json()["results"]
        assert {k: v for k, v in result.items() if k not in ("created_at", "updated_at")} == {
            "id": records["c"],
            "amount": "100.00",
            "date": "2026-11-15",
            "category": "Travel",
            "description": "Train to Lyon",
            **V11_FIELDS,
        }

    @pytest.mark.parametrize(
        ("params", "named"),
        [
            ({"date_from": "2026-02-30"}, "date_from"),
            ({"date_from": "yesterday"}, "date_from"),
            ({"date_from": "2026-1-1"}, "date_from"),  # YYYY-MM-DD only, as in bodies
            ({"date_to": "2026-11-1"}, "date_to"),
            ({"date_to": "2026-13-01"}, "date_to"),
            ({"date_to": ""}, None),
            ({"month": "2026-13"}, "month"),
            ({"month": "2026-00"}, "month"),
            ({"month": "2026-1"}, "month"),
            ({"month": "11-2026"}, "month"),
            ({"month": "2026-11-01"}, "month"),
            ({"month": "november"}, "month"),
            ({"min_amount": "abc"}, "min_amount"),
            ({"min_amount": "1.234"}, "min_amount"),
            ({"max_amount": "NaN"}, "max_amount"),
            ({"max_amount": "Infinity"}, "max_amount"),
            ({"max_amount": "1e400"}, "max_amount"),
            ({"category": "x" * 65}, "category"),
            ({"category": ["food", "a\x00b"]}, "category"),
            ({"search": "s" * 256}, "search"),
            ({"search": "a\x00b"}, "search"),
            ({"ordering": "bogus"}, "ordering"),
            ({"ordering": "amount,bogus"}, "ordering"),
            ({"ordering": "description"}, "ordering"),
            ({"ordering": "id"}, "ordering"),
            ({"ordering": "category__name"}, "ordering"),
            ({"ordering": "--date"}, "ordering"),
            ({"max_amount": "10000000000"}, "max_amount"),  # over the limit, said so
            ({"ordering": ""}, None),
            # An empty key between commas (a 500 once: order_by("")).
            ({"ordering": "amount,"}, "ordering"),
            ({"ordering": ",amount"}, "ordering"),
            ({"ordering": "amount,,date"}, "ordering"),
            ({"ordering": ","}, "ordering"),
        ],
    )
    def test_an_invalid_filter_value_is_400_naming_it(self, alice_client, records, params, named):
        response = alice_client.get(self.api.path, params)

        if named is None:  # an empty value is no filter at all
            assert response.status_code == 200
            assert response.json()["count"] == len(RECORDS)
        else:
            assert_problem(response, 400, errors=[named])

    def test_every_invalid_parameter_is_named(self, alice_client, records):
        params = {"date_from": "x", "min_amount": "y", "ordering": "z", "month": "2026-13"}

        response = alice_client.get(self.api.path, params)

        assert_problem(response, 400, errors=["date_from", "min_amount", "ordering", "month"])

    @pytest.mark.parametrize(
        "params",
        [
            {"month": "2026-11", "date_from": "2026-11-01"},
            {"month": "2026-11", "date_to": "2026-11-30"},
            {"month": "2026-11", "date_from": "2026-11-01", "date_to": "2026-11-30"},
        ],
    )
    def test_month_together_with_a_date_bound_is_400(self, alice_client, records, params):
        assert_problem(alice_client.get(self.api.path, params), 400, errors=["month"])

    def test_date_from_after_date_to_is_400(self, alice_client, records):
        params = {"date_from": "2026-11-02", "date_to": "2026-11-01"}

        assert_problem(alice_client.get(self.api.path, params), 400, errors=["date_from"])


# ?search= beyond ASCII

# label: (category, description)
SEARCH_RECORDS: dict[str, tuple[str, str]] = {
    "z": ("Épicerie", "Déjeuner à Zürich"),
    "g": ("Ταξίδια", "Καφές"),
    "c": ("Продукты", "Œufs"),
    "s": ("Misc", "Straße"),
    "t": ("Misc", "Kırmızı"),
    "p": ("Misc", "50%_off \\ sale"),
}


@pytest.mark.django_db
class SearchCases(EntryCases):
    """`search` ignores case for every letter, on SQLite as on PostgreSQL.

    The rule: two letters match when Unicode's one-to-one (simple) uppercase mapping gives
    them the same letter, the mapping PostgreSQL's UPPER() applies: É/é, Ü/ü, Œ/œ, Cyrillic,
    Σ/σ/ς alike, and the dotless ı with I. A letter whose uppercase is several letters matches
    only itself (ß is not SS, on either database), and accents are part of the letter (e is
    not é). `%`, `_` and the backslash are plain characters, never wildcards or escapes.
    """

    @pytest.fixture
    def found(self, alice: User, bob: User) -> dict[str, int]:
        ids = {}
        for label, (category, description) in SEARCH_RECORDS.items():
            ids[label] = self.entry(alice, category=category, description=description).pk
        self.entry(bob, category="ÉPICERIE", description="DÉJEUNER À ZÜRICH 50%_OFF")
        self.entry(alice, kind=self.api.other_kind, category="Épicerie", description="Déjeuner")
        return ids

    @pytest.mark.parametrize(
        ("search", "labels"),
        [
            ("déjeuner", "z"),
            ("DÉJEUNER", "z"),
            ("ZÜRICH", "z"),
            ("zürich", "z"),
            ("R À z", "z"),
            ("épicerie", "z"),
            ("ÉPICERIE", "z"),
            ("DEJEUNER", ""),
            ("καφές", "g"),
            ("ΚΑΦΈΣ", "g"),
            ("καφέσ", "g"),
            ("ταξίδια", "g"),
            ("ΤΑΞΊΔΙΑ", "g"),
            ("продукты", "c"),
            ("ПРОДУКТЫ", "c"),
            ("œufs", "c"),
            ("ŒUFS", "c"),
            ("straße", "s"),
            ("STRAßE", "s"),
            ("STRASSE", ""),
            ("KIRMIZI", "t"),
            ("kırmızı", "t"),
            ("%", "p"),
            ("_", "p"),
            ("\\", "p"),
            ("0%_O", "p"),
            ("5_", ""),
            ("5_%", ""),
            ("%%", ""),
            ("\\%", ""),
        ],
    )
    def test_search_ignores_the_case_of_every_letter(self, alice_client, found, search, labels):
        response = alice_client.get(self.api.path, {"search": search})

        assert response.status_code == 200, response.content
        assert sorted(r["id"] for r in response.json()["results"]) == sorted(
            found[label] for label in labels
        )


# ?ordering=


@pytest.mark.django_db
class OrderingCases(DatasetCases):
    @pytest.mark.parametrize(
        "ordering",
        [
            "date",
            "-date",
            "amount",
            "-amount",
            "category",
            "-category",
            "created_at",
            "-created_at",
            "category,-amount",
            "-category,date",
            "category,created_at",
            "-category,-created_at",
        ],
    )
    def test_ordering_sorts_by_each_field_both_ways(self, alice_client, records, ordering):
        response = alice_client.get(self.api.path, {"ordering": ordering})

        assert response.status_code == 200, response.content
        expected = self.expected_order(list(RECORDS), records, ordering)
        assert [r["id"] for r in response.json()["results"]] == [records[x] for x in expected]

    def test_an_amount_bound_over_the_limit_says_so(self, alice_client):
        response = alice_client.get(self.api.path, {"min_amount": "10000000000"})

        errors = assert_problem(response, 400, errors=["min_amount"])["errors"]
        assert errors["min_amount"] == ["An amount has at most 10 digits before the decimal point."]

    def test_ordering_by_category_ignores_case(self, alice, alice_client):
        """As categories, budgets and tags are listed; raw byte order put "doomed" after
        "TRAVEL" on SQLite, and PostgreSQL would follow its collation."""
        names = ["TRAVEL", "doomed", "Food", "alpha"]
        entries = {name: self.entry(alice, category=name) for name in names}

        response = alice_client.get(self.api.path, {"ordering": "category"})

        ordered = sorted(names, key=str.casefold)
        assert [r["id"] for r in response.json()["results"]] == [entries[n].pk for n in ordered]

    def test_default_order_is_newest_date_then_newest_record(self, alice, alice_client):
        first = self.entry(alice, day=date(2026, 11, 5))
        older = self.entry(alice, day=date(2026, 11, 1))
        second = self.entry(alice, day=date(2026, 11, 5))

        response = alice_client.get(self.api.path)

        assert [r["id"] for r in response.json()["results"]] == [second.pk, first.pk, older.pk]

    @pytest.mark.parametrize("ordering", ["amount", "-amount", "date"])
    def test_ties_are_broken_by_newest_record_so_pages_never_overlap(
        self, alice, alice_client, ordering
    ):
        entries = [self.entry(alice, amount="5.00") for _ in range(5)]

        pages = [
            alice_client.get(self.api.path, {"ordering": ordering, "page_size": 2, "page": n})
            for n in (1, 2, 3)
        ]

        ids = [r["id"] for page in pages for r in page.json()["results"]]
        assert ids == sorted((e.pk for e in entries), reverse=True)


# Pagination and totals


@pytest.mark.django_db
class PaginationCases(EntryCases):
    def test_default_page_size_is_50(self, alice, alice_client):
        self.bulk_entries(alice, [Decimal("1.00")] * 51)

        first = alice_client.get(self.api.path).json()
        second = alice_client.get(self.api.path, {"page": 2}).json()

        assert (first["count"], len(first["results"])) == (51, 50)
        assert first["next"] == f"http://testserver{self.api.path}?page=2"
        assert first["previous"] is None
        assert (second["count"], len(second["results"])) == (51, 1)
        assert second["next"] is None
        assert second["previous"] == f"http://testserver{self.api.path}"
        all_ids = [r["id"] for r in first["results"] + second["results"]]
        assert sorted(all_ids) == sorted(Entry.objects.values_list("id", flat=True))

    def test_page_size_sets_the_page_length_and_is_kept_in_links(self, alice, alice_client):
        self.bulk_entries(alice, [Decimal("1.00")] * 5)

        body = alice_client.get(self.api.path, {"page": 2, "page_size": 2}).json()

        assert len(body["results"]) == 2
        assert body["next"] == f"http://testserver{self.api.path}?page=3&page_size=2"
        assert body["previous"] == f"http://testserver{self.api.path}?page_size=2"

    @pytest.mark.parametrize(
        ("asked", "given"), [(1000, 500), (501, 500), (500, 500), (10**12, 500)]
    )
    def test_page_size_over_500_is_clamped_to_500(self, alice, alice_client, asked, given):
        self.bulk_entries(alice, [Decimal("0.01")] * 501)

        body = alice_client.get(self.api.path, {"page_size": asked}).json()

        assert body["count"] == 501
        assert len(body["results"]) == given
        assert body["total_amount"] == "5.01"
        last = alice_client.get(self.api.path, {"page_size": asked, "page": 2}).json()
        assert len(last["results"]) == 1

    def test_a_page_past_the_end_is_404(self, alice, alice_client):
        self.bulk_entries(alice, [Decimal("1.00")] * 3)

        assert_problem(alice_client.get(self.api.path, {"page": 2}), 404)
        assert_problem(alice_client.get(self.api.path, {"page": 4, "page_size": 1}), 404)
        assert alice_client.get(self.api.path, {"page": 3, "page_size": 1}).status_code == 200

    def test_the_first_page_of_nothing_is_empty_not_404(self, alice, alice_client):
        response = alice_client.get(self.api.path, {"page": 1})

        assert response.status_code == 200
        assert response.json()["results"] == []
        assert_problem(alice_client.get(self.api.path, {"page": 2}), 404)

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("page", "0"),
            ("page", "-1"),
            ("page", "abc"),
            ("page", "1.5"),
            ("page", ""),
            ("page", "last"),
            ("page", "1e3"),
            ("page_size", "0"),
            ("page_size", "-5"),
            ("page_size", "x"),
            ("page_size", "2.5"),
            ("page_size", ""),
        ],
    )
    def test_an_invalid_page_or_page_size_is_400_naming_it(self, alice, alice_client, name, value):
        self.bulk_entries(alice, [Decimal("1.00")] * 3)

        response = alice_client.get(self.api.path, {name: value})

        assert_problem(response, 400, errors=[name])

    def test_total_amount_is_the_sum_over_every_page(self, alice, alice_client):
        amounts = [Decimal(a) for a in ("0.01", "19.99", "1234.56", "0.10", "7.35")]
        self.bulk_entries(alice, amounts)

        body = alice_client.get(self.api.path, {"page_size": 2, "page": 3}).json()

        assert body["count"] == 5
        assert len(body["results"]) == 1
        assert body["total_amount"] == money(sum(amounts, Decimal("0.00")))

    def test_total_amount_is_the_sum_of_the_filtered_set_only(self, alice, bob, alice_client):
        self.entry(alice, amount="10.10", category="Food")
        self.entry(alice, amount="20.20", category="Food")
        self.entry(alice, amount="30.30", category="Food")
        self.entry(alice, amount="99.99", category="Rent")
        self.entry(alice, amount="500.00", category="Food", kind=self.api.other_kind)
        self.entry(bob, amount="1.00", category="Food")

        body = alice_client.get(self.api.path, {"category": "food", "page_size": 1}).json()

        assert body["count"] == 3
        assert body["total_amount"] == money(Decimal("10.10") + Decimal("20.20") + Decimal("30.30"))

    def test_total_beyond_twelve_digits_is_exact(self, alice, alice_client):
        # One record holds at most 12 digits; thirty of the largest sum to 13 digits.
        amounts = [MAX_AMOUNT] * 30 + [Decimal("0.01")] * 3
        self.bulk_entries(alice, amounts)

        response = alice_client.get(self.api.path, {"page_size": 1})

        assert response.status_code == 200, response.content
        expected = sum(amounts, Decimal("0.00"))
        assert response.json()["total_amount"] == money(expected) == "299999999999.73"

    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"page_size": 500},
            {"category": ["bulk", "food"], "search": "b", "ordering": "category,-amount"},
            {"month": "2026-11", "min_amount": "0.01", "page": 1, "page_size": 2},
        ],
    )
    def test_list_queries_do_not_grow_with_rows(
        self, alice, alice_client, django_assert_max_num_queries, params
    ):
        budget = SEARCH_LIST_MAX_QUERIES if "search" in params else LIST_MAX_QUERIES
        self.bulk_entries(alice, [Decimal("1.00")] * 3)
        with django_assert_max_num_queries(budget) as few:
            assert alice_client.get(self.api.path, params).status_code == 200

        self.bulk_entries(alice, [Decimal("2.00")] * 197)
        with django_assert_max_num_queries(budget) as many:
            response = alice_client.get(self.api.path, params)

        assert response.status_code == 200
        assert response.json()["count"] >= 2
        assert len(many.captured_queries) == len(few.captured_queries)

    def test_list_total_matches_the_database_sum(self, alice, alice_client):
        self.bulk_entries(alice, [Decimal("0.07") * n for n in range(1, 120)])

        body = alice_client.get(self.api.path).json()

        stored = Entry.objects.filter(user=alice).aggregate(total=Sum("amount"))["total"]
        expected = sum((Decimal("0.07") * n for n in range(1, 120)), Decimal("0.00"))
        assert stored == expected
        assert body["total_amount"] == money(expected)


# Alice and Bob


@pytest.mark.django_db
class OwnershipCases(EntryCases):
    @pytest.fixture
    def alices(self, alice: User) -> Entry:
        return self.entry(alice, amount="42.00", category="Food", description="Alice's lunch")

    @pytest.mark.parametrize(
        ("method", "body"),
        [
            ("get", None),
            (
                "put",
                {"amount": "1.00", "date": "2026-01-01", "category": "Bob's", "description": "x"},
            ),
            ("patch", {"amount": "1.00"}),
            ("patch", {"category": "Bob's"}),
            ("delete", None),
        ],
    )
    def test_bob_gets_404_on_alices_record_and_it_is_unchanged(
        self, alice_client, bob_client, alices, method, body
    ):
        before = ledger_snapshot()
        alice_view = alice_client.get(self.api.detail(alices.pk)).json()

        response = getattr(bob_client, method)(self.api.detail(alices.pk), body)

        problem = assert_problem(response, 404)
        assert "42.00" not in json.dumps(problem)
        assert ledger_snapshot() == before
        assert alice_client.get(self.api.detail(alices.pk)).json() == alice_view

    def test_bobs_404_is_the_same_as_for_a_missing_record(self, bob_client, alices):
        stranger = bob_client.get(self.api.detail(alices.pk))
        missing = bob_client.get(self.api.detail(MISSING_ID))

        assert stranger.status_code == missing.status_code == 404
        assert stranger.json() == missing.json()

    def test_bob_lists_and_totals_only_his_own_records(self, bob, bob_client, alices):
        mine = self.entry(bob, amount="3.00", category="Food")

        body = bob_client.get(self.api.path).json()

        assert [r["id"] for r in body["results"]] == [mine.pk]
        assert (body["count"], body["total_amount"]) == (1, "3.00")
        assert bob_client.get(self.api.path, {"search": "alice"}).json()["count"] == 0

    def test_bob_using_alices_category_name_gets_a_category_of_his_own(
        self, alice, bob, bob_client, alices
    ):
        response = bob_client.post(self.api.path, {"amount": "2.00", "category": "FOOD"})

        assert response.status_code == 201
        assert response.json()["category"] == "FOOD"
        bobs = Entry.objects.get(pk=response.json()["id"]).category
        assert bobs.user == bob
        assert bobs != alices.category
        assert Category.objects.get(pk=alices.category_id).name == "Food"


# Each case class and the name of its bound test class; "{}" is the record's noun.
_BOUND_NAMES: dict[str, type[EntryCases]] = {
    "TestCreate{}": CreateCases,
    "TestRead{}UpdateDelete": ReadUpdateDeleteCases,
    "Test{}Validation": ValidationCases,
    "Test{}Filters": FilterCases,
    "Test{}Search": SearchCases,
    "Test{}Ordering": OrderingCases,
    "Test{}Pagination": PaginationCases,
    "Test{}Ownership": OwnershipCases,
}


def bound_cases(api: EntryApi, noun: str, module: str) -> dict[str, type[EntryCases]]:
    """Every case class bound to `api`, as test classes named for `noun` (TestCreateIncome...)
    in the test module `module`, for it to add to its globals."""
    bound: dict[str, type[EntryCases]] = {}
    for pattern, cases in _BOUND_NAMES.items():
        name = pattern.format(noun)
        bound[name] = type(name, (cases,), {"api": api, "__module__": module})
    return bound
