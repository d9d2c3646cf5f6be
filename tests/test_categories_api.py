"""/api/categories/: list, create, rename (seen at once on every record), delete."""

from datetime import date
from decimal import Decimal

import pytest

from fintrack.accounts.models import User
from fintrack.ledger.models import Category, Entry, Kind

from .assertions import assert_problem
from .factories import CategoryFactory, EntryFactory

URL = "/api/categories/"
MISSING_ID = 10**9


def detail(category: Category) -> str:
    return f"{URL}{category.pk}/"


def as_json(category: Category) -> dict[str, object]:
    return {"id": category.pk, "name": category.name, "kind": category.kind}


def categories() -> list[tuple[object, ...]]:
    return list(Category.objects.order_by("id").values_list("id", "user_id", "kind", "name"))


def expense_in(category: Category, amount: str = "10.00") -> Entry:
    return EntryFactory.create(
        user=category.user, kind=category.kind, category=category, amount=Decimal(amount)
    )


# GET /api/categories/


@pytest.mark.django_db
def test_list_answers_both_kinds_by_kind_then_name(alice, bob, alice_client):
    rent = CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Rent")
    food = CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")
    salary = CategoryFactory(user=alice, kind=Kind.INCOME, name="Salary")
    CategoryFactory(user=bob, kind=Kind.EXPENSE, name="Bob's")

    response = alice_client.get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "count": 3,
        "next": None,
        "previous": None,
        "results": [as_json(food), as_json(rent), as_json(salary)],
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "names"), [("income", ["Salary"]), ("expense", ["Food", "Rent"])])
def test_list_narrows_by_kind(alice, alice_client, kind, names):
    CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Rent")
    CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")
    CategoryFactory(user=alice, kind=Kind.INCOME, name="Salary")

    body = alice_client.get(URL, {"kind": kind}).json()

    assert [c["name"] for c in body["results"]] == names
    assert {c["kind"] for c in body["results"]} == {kind}
    assert body["count"] == len(names)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["bogus", "Income", "EXPENSE", "incomes", "a\x00b"])
def test_list_with_an_unknown_kind_is_400_naming_it(alice, alice_client, kind):
    assert_problem(alice_client.get(URL, {"kind": kind}), 400, errors=["kind"])


@pytest.mark.django_db
def test_list_is_paginated(alice, alice_client):
    for name in ("A", "B", "C"):
        CategoryFactory(user=alice, kind=Kind.EXPENSE, name=name)

    body = alice_client.get(URL, {"page_size": 2}).json()

    assert body["count"] == 3
    assert [c["name"] for c in body["results"]] == ["A", "B"]
    assert body["next"] == "http://testserver/api/categories/?page=2&page_size=2"
    assert_problem(alice_client.get(URL, {"page": 3, "page_size": 2}), 404)
    assert_problem(alice_client.get(URL, {"page_size": "x"}), 400, errors=["page_size"])


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_categories(
    alice, alice_client, django_assert_max_num_queries
):
    CategoryFactory(user=alice)
    with django_assert_max_num_queries(4) as few:
        assert alice_client.get(URL).status_code == 200
    CategoryFactory.create_batch(60, user=alice)
    with django_assert_max_num_queries(4) as many:
        assert alice_client.get(URL, {"page_size": 100}).json()["count"] == 61

    assert len(many.captured_queries) == len(few.captured_queries)


# POST /api/categories/


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["income", "expense"])
def test_create_answers_201_with_the_category(alice, alice_client, kind):
    response = alice_client.post(URL, {"name": "  Side projects ", "kind": kind})

    assert response.status_code == 201, response.content
    category = Category.objects.get()
    assert response.json() == {"id": category.pk, "name": "Side projects", "kind": kind}
    assert (category.user, category.kind, category.name) == (alice, kind, "Side projects")
    assert alice_client.get(detail(category)).json() == response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["food", "FOOD", " Food ", "fOoD"])
def test_create_a_duplicate_name_of_the_same_kind_is_400(alice, alice_client, name):
    CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")
    before = categories()

    response = alice_client.post(URL, {"name": name, "kind": "expense"})

    assert_problem(response, 400, errors=["name"])
    assert categories() == before


@pytest.mark.django_db
def test_create_the_same_name_of_the_other_kind_is_allowed(alice, alice_client):
    CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")

    response = alice_client.post(URL, {"name": "food", "kind": "income"})

    assert response.status_code == 201
    assert set(Category.objects.values_list("kind", "name")) == {
        ("expense", "Food"),
        ("income", "food"),
    }


@pytest.mark.django_db
def test_bob_may_create_a_name_alice_has(alice, bob, bob_client):
    CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")

    response = bob_client.post(URL, {"name": "Food", "kind": "expense"})

    assert response.status_code == 201
    assert Category.objects.get(pk=response.json()["id"]).user == bob


@pytest.mark.django_db
def test_a_created_category_is_used_by_records_of_its_kind_in_any_case(alice, alice_client):
    created = alice_client.post(URL, {"name": "Books", "kind": "expense"}).json()

    response = alice_client.post("/api/expenses/", {"amount": "5.00", "category": "BOOKS"})

    assert response.json()["category"] == "Books"
    assert Entry.objects.get().category_id == created["id"]
    assert Category.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"name": "", "kind": "expense"}, ["name"]),
        ({"name": "   ", "kind": "expense"}, ["name"]),
        ({"name": "n" * 65, "kind": "expense"}, ["name"]),
        ({"name": None, "kind": "expense"}, ["name"]),
        ({"name": "a\x00b", "kind": "expense"}, ["name"]),
        ({"kind": "expense"}, ["name"]),
        ({"name": "Food"}, ["kind"]),
        ({"name": "Food", "kind": "bogus"}, ["kind"]),
        ({"name": "Food", "kind": ""}, ["kind"]),
        ({}, ["name", "kind"]),
    ],
)
def test_create_with_bad_fields_is_400_naming_them(alice, alice_client, body, named):
    response = alice_client.post(URL, body, format="json")

    assert_problem(response, 400, errors=named)
    assert not Category.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["n" * 64, "🍕" * 64, "طعام 🍕", "שלום", "x"])
def test_create_accepts_names_of_1_to_64_characters_exactly(alice, alice_client, name):
    response = alice_client.post(URL, {"name": name, "kind": "income"})

    assert response.status_code == 201, response.content
    assert response.json()["name"] == name
    assert Category.objects.get().name == name


@pytest.mark.django_db
def test_create_ignores_read_only_and_unknown_fields(alice, bob, alice_client):
    body = {"name": "Gifts", "kind": "income", "id": 424242, "user": bob.pk, "colour": "red"}

    response = alice_client.post(URL, body)

    assert response.status_code == 201
    category = Category.objects.get()
    assert response.json() == {"id": category.pk, "name": "Gifts", "kind": "income"}
    assert category.pk != 424242
    assert category.user == alice


# PATCH /api/categories/{id}/


@pytest.mark.django_db
def test_rename_shows_at_once_on_every_record(alice, alice_client):
    food = CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")
    first, second = expense_in(food, "1.00"), expense_in(food, "2.00")

    response = alice_client.patch(detail(food), {"name": "Groceries"})

    assert response.status_code == 200
    assert response.json() == {"id": food.pk, "name": "Groceries", "kind": "expense"}
    for entry in (first, second):
        assert alice_client.get(f"/api/expenses/{entry.pk}/").json()["category"] == "Groceries"
    listed = alice_client.get("/api/expenses/", {"category": "groceries"}).json()
    assert listed["count"] == 2
    assert alice_client.get("/api/expenses/", {"category": "food"}).json()["count"] == 0
    # A record sent with the new name lands in the same category.
    created = alice_client.post("/api/expenses/", {"amount": "3.00", "category": "GROCERIES"})
    assert Entry.objects.get(pk=created.json()["id"]).category_id == food.pk
    assert Category.objects.count() == 1


@pytest.mark.django_db
def test_rename_to_its_own_name_in_another_case_is_allowed(alice, alice_client):
    food = CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")

    response = alice_client.patch(detail(food), {"name": "FOOD"})

    assert response.status_code == 200
    assert response.json()["name"] == "FOOD"
    food.refresh_from_db()
    assert food.name == "FOOD"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["rent", "RENT", " Rent "])
def test_rename_to_another_categorys_name_of_the_same_kind_is_400(alice, alice_client, name):
    food = CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")
    CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Rent")
    before = categories()

    response = alice_client.patch(detail(food), {"name": name})

    assert_problem(response, 400, errors=["name"])
    assert categories() == before


@pytest.mark.django_db
def test_rename_to_a_name_of_the_other_kind_is_allowed(alice, alice_client):
    food = CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")
    CategoryFactory(user=alice, kind=Kind.INCOME, name="Salary")

    response = alice_client.patch(detail(food), {"name": "salary"})

    assert response.status_code == 200
    assert response.json()["name"] == "salary"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"kind": "income"}, "kind"),
        ({"name": "Food 2", "kind": "income"}, "kind"),
        ({"kind": "bogus"}, "kind"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "n" * 65}, "name"),
        ({"name": None}, "name"),
    ],
)
def test_patch_with_a_kind_change_or_bad_name_is_400_and_changes_nothing(
    alice, alice_client, body, named
):
    food = CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")
    entry = expense_in(food)
    before = categories()

    response = alice_client.patch(detail(food), body, format="json")

    assert_problem(response, 400, errors=[named])
    assert categories() == before
    entry.refresh_from_db()
    assert (entry.kind, entry.category_id) == (Kind.EXPENSE, food.pk)


@pytest.mark.django_db
def test_patch_with_the_same_kind_is_allowed(alice, alice_client):
    food = CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")

    response = alice_client.patch(detail(food), {"name": "Meals", "kind": "expense"})

    assert response.status_code == 200
    assert response.json() == {"id": food.pk, "name": "Meals", "kind": "expense"}


@pytest.mark.django_db
def test_put_is_405(alice, alice_client):
    food = CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")

    response = alice_client.put(detail(food), {"name": "Meals", "kind": "expense"})

    assert_problem(response, 405)
    food.refresh_from_db()
    assert food.name == "Food"


# DELETE /api/categories/{id}/


@pytest.mark.django_db
def test_delete_an_unused_category_is_204(alice, alice_client):
    food = CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")

    response = alice_client.delete(detail(food))

    assert response.status_code == 204
    assert not Category.objects.exists()
    assert_problem(alice_client.get(detail(food)), 404)


@pytest.mark.django_db
def test_delete_a_category_in_use_is_409_and_keeps_everything(alice, alice_client):
    food = CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")
    entry = expense_in(food)
    before = categories()

    response = alice_client.delete(detail(food))

    assert_problem(response, 409)
    assert categories() == before
    assert Entry.objects.get().category_id == food.pk
    # Once its records are gone, it can go.
    assert alice_client.delete(f"/api/expenses/{entry.pk}/").status_code == 204
    assert alice_client.delete(detail(food)).status_code == 204
    assert not Category.objects.exists()


@pytest.mark.django_db
def test_a_category_emptied_by_moving_its_records_can_be_deleted(alice, alice_client):
    food = CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")
    entry = expense_in(food)

    alice_client.patch(f"/api/expenses/{entry.pk}/", {"category": "Meals"})
    response = alice_client.delete(detail(food))

    assert response.status_code == 204
    assert Entry.objects.get().category.name == "Meals"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_a_missing_category_is_404(alice, alice_client, method):
    response = getattr(alice_client, method)(f"{URL}{MISSING_ID}/", {"name": "X"})

    assert_problem(response, 404)


# Alice and Bob


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("get", None),
        ("patch", {"name": "Bob's now"}),
        ("patch", {"kind": "income"}),
        ("delete", None),
    ],
)
def test_bob_gets_404_on_alices_category_and_it_is_unchanged(
    alice: User, alice_client, bob_client, method, body
):
    food = CategoryFactory.create(user=alice, kind=Kind.EXPENSE, name="Food")
    unused = CategoryFactory.create(user=alice, kind=Kind.EXPENSE, name="Unused")
    expense_in(food)
    before = categories()

    for category in (food, unused):
        response = getattr(bob_client, method)(detail(category), body)
        problem = assert_problem(response, 404)
        assert "Food" not in problem["detail"]

    assert categories() == before
    assert alice_client.get(detail(food)).json() == as_json(food)


@pytest.mark.django_db
def test_bob_lists_only_his_own_categories(alice, bob, bob_client):
    CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")
    mine = CategoryFactory(user=bob, kind=Kind.INCOME, name="Tips")

    body = bob_client.get(URL).json()

    assert body["results"] == [as_json(mine)]
    assert bob_client.get(URL, {"kind": "expense"}).json()["count"] == 0


@pytest.mark.django_db
def test_alice_renaming_does_not_touch_bobs_records(alice, bob, alice_client, bob_client):
    alices = CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Food")
    bobs = CategoryFactory(user=bob, kind=Kind.EXPENSE, name="Food")
    bobs_entry = EntryFactory(user=bob, category=bobs, date=date(2026, 11, 2))

    assert alice_client.patch(detail(alices), {"name": "Groceries"}).status_code == 200

    assert bob_client.get(f"/api/expenses/{bobs_entry.pk}/").json()["category"] == "Food"


# Names: one NFC spelling, folded alike on both databases (a stored key, not LOWER()).


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Kitchen_x", "\u212aitchen_x"),  # the Kelvin sign folds to k
        ("\u0130stanbul_x", "i\u0307stanbul_x"),  # dotted capital I and i + combining dot
        ("\u00c9picerie", "\u00e9picerie"),  # beyond ASCII: SQLite's LOWER() missed it
        ("Cafe\u0301", "Caf\u00e9"),  # NFD and NFC
        ("Stra\u00dfe", "STRASSE"),
    ],
)
def test_a_look_alike_category_name_is_the_same_category(alice, alice_client, first, second):
    one = alice_client.post("/api/expenses/", {"amount": "1.00", "category": first})
    two = alice_client.post("/api/expenses/", {"amount": "2.00", "category": second})

    assert one.status_code == 201, one.content
    assert two.status_code == 201, two.content
    assert Category.objects.filter(user=alice, kind=Kind.EXPENSE).count() == 1
    assert two.json()["category"] == one.json()["category"]


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "second"), [("\u00c9picerie", "\u00e9picerie"), ("K", "\u212a")])
def test_creating_a_look_alike_category_is_400(alice, alice_client, first, second):
    CategoryFactory(user=alice, kind=Kind.EXPENSE, name=first)

    response = alice_client.post(URL, {"name": second, "kind": "expense"})

    assert_problem(response, 400, errors=["name"])


@pytest.mark.django_db
def test_renaming_onto_a_look_alike_name_is_400(alice, alice_client):
    CategoryFactory(user=alice, kind=Kind.EXPENSE, name="\u00c9picerie")
    other = CategoryFactory(user=alice, kind=Kind.EXPENSE, name="Rent")

    response = alice_client.patch(detail(other), {"name": "\u00e9PICERIE"})

    assert_problem(response, 400, errors=["name"])


@pytest.mark.django_db
def test_a_name_is_stored_in_nfc(alice, alice_client):
    response = alice_client.post(URL, {"name": "Cafe\u0301", "kind": "expense"})

    assert response.status_code == 201
    assert response.json()["name"] == "Caf\u00e9"
    assert Category.objects.get(user=alice).name == "Caf\u00e9"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["a\x1bb", "line\nbreak", "\u202eevil", "tab\there", "zero\u200b", "\u200bzero", "\u2066x"],
)
@pytest.mark.parametrize("path", [URL, "/api/expenses/"])
def test_a_name_with_a_control_character_is_400(alice, alice_client, name, path):
    field = "name" if path == URL else "category"
    body = (
        {"name": name, "kind": "expense"} if path == URL else {"amount": "1.00", "category": name}
    )

    response = alice_client.post(path, body)

    assert_problem(response, 400, errors=[field])
    assert not Category.objects.filter(user=alice).exists()


@pytest.mark.django_db
def test_the_category_filter_matches_beyond_ascii_in_any_case(alice, alice_client):
    category = CategoryFactory(user=alice, kind=Kind.EXPENSE, name="\u00c9picerie")
    entry = expense_in(category)

    response = alice_client.get("/api/expenses/", {"category": "\u00e9PICERIE"})

    assert [row["id"] for row in response.json()["results"]] == [entry.pk]


@pytest.mark.django_db
def test_bulk_created_categories_get_their_key_too(alice):
    # The benchmarks and imports create categories with bulk_create, which calls no save().
    Category.objects.bulk_create([Category(user=alice, kind=Kind.EXPENSE, name="\u00c9picerie")])

    assert Category.objects.get(user=alice).name_key == "\u00e9picerie"
