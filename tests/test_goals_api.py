"""/api/goals/ and /api/goals/{id}/contributions/: savings goals and their progress."""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from freezegun import freeze_time

from fintrack.accounts.models import User
from fintrack.core.money import MAX_AMOUNT
from fintrack.goals.models import Contribution, Goal

from .assertions import assert_problem
from .conftest import client_for
from .factories import ContributionFactory, GoalFactory

URL = "/api/goals/"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # today is 2026-11-24
NOW_JSON = "2026-11-24T09:00:00Z"
LATER = datetime(2026, 11, 25, 18, 30, tzinfo=UTC)
LATER_JSON = "2026-11-25T18:30:00Z"
MISSING_ID = 10**9


def detail(goal: Goal) -> str:
    return f"{URL}{goal.pk}/"


def contributions_url(goal: Goal) -> str:
    return f"{URL}{goal.pk}/contributions/"


def contribution_url(goal: Goal, contribution: Contribution) -> str:
    return f"{contributions_url(goal)}{contribution.pk}/"


def goal_json(goal: Goal, **fields: Any) -> dict[str, Any]:
    """A goal made under freeze_time(NOW) with nothing saved; `fields` override."""
    return {
        "id": goal.pk,
        "name": goal.name,
        "target_amount": f"{goal.target_amount:.2f}",
        "target_date": goal.target_date and goal.target_date.isoformat(),
        "saved_amount": "0.00",
        "remaining_amount": f"{goal.target_amount:.2f}",
        "progress_percent": "0.00",
        "is_achieved": False,
        "monthly_required": None,
        "created_at": NOW_JSON,
        "updated_at": NOW_JSON,
        **fields,
    }


def contribution_json(contribution: Contribution) -> dict[str, Any]:
    return {
        "id": contribution.pk,
        "amount": f"{contribution.amount:.2f}",
        "date": contribution.date.isoformat(),
        "note": contribution.note,
    }


def make_goal(
    user: User, *, target: str = "1000.00", saved: Sequence[str] = (), **fields: Any
) -> Goal:
    with freeze_time(NOW):
        goal = GoalFactory.create(user=user, target_amount=Decimal(target), **fields)
    for amount in saved:
        ContributionFactory.create(goal=goal, amount=Decimal(amount))
    return goal


def saved_of(goal: Goal) -> Decimal:
    return sum(goal.contributions.values_list("amount", flat=True), Decimal("0.00"))


def goals_rows() -> list[tuple[Any, ...]]:
    goals = Goal.objects.order_by("id").values_list(
        "id", "user_id", "name", "target_amount", "target_date", "updated_at"
    )
    contributions = Contribution.objects.order_by("id").values_list(
        "id", "goal_id", "amount", "date", "note"
    )
    return [*goals, *contributions]


@pytest.fixture
def client_now(alice: User):
    """Alice's client with the clock at NOW (today 2026-11-24)."""
    with freeze_time(NOW):
        yield client_for(alice)


# POST /api/goals/


@pytest.mark.django_db
def test_create_answers_201_with_the_whole_goal(alice, client_now):
    body = {"name": "Laptop", "target_amount": "1500.00", "target_date": "2027-06-30"}

    response = client_now.post(URL, body)

    assert response.status_code == 201, response.content
    goal = Goal.objects.get()
    assert response.json() == {
        "id": goal.pk,
        **body,
        "saved_amount": "0.00",
        "remaining_amount": "1500.00",
        "progress_percent": "0.00",
        "is_achieved": False,
        "monthly_required": "214.29",  # 1500.00 / 7 whole months = 214.2857...
        "created_at": NOW_JSON,
        "updated_at": NOW_JSON,
    }
    assert (goal.user, goal.name, goal.target_amount) == (alice, "Laptop", Decimal("1500.00"))
    assert client_now.get(detail(goal)).json() == response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{}, {"target_date": None}])
def test_create_without_a_target_date_has_no_monthly_figure(alice, client_now, body):
    response = client_now.post(URL, {"name": "Rainy day", "target_amount": 300, **body})

    assert response.status_code == 201
    goal = Goal.objects.get()
    assert response.json() == goal_json(goal, target_amount="300.00", remaining_amount="300.00")


@pytest.mark.django_db
def test_create_ignores_read_only_and_unknown_fields(alice, bob, client_now):
    body = {
        "name": "Bike",
        "target_amount": "800.00",
        "id": 55555,
        "user": bob.pk,
        "saved_amount": "800.00",
        "remaining_amount": "0.00",
        "progress_percent": "100.00",
        "is_achieved": True,
        "monthly_required": "1.00",
        "created_at": "2001-01-01T00:00:00Z",
        "colour": "blue",
    }

    response = client_now.post(URL, body)

    assert response.status_code == 201, response.content
    goal = Goal.objects.get()
    assert response.json() == goal_json(goal)
    assert goal.pk != 55555
    assert goal.user == alice
    assert not Contribution.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"target_amount": "10.00"}, "name"),
        ({"name": "", "target_amount": "10.00"}, "name"),
        ({"name": "   ", "target_amount": "10.00"}, "name"),
        ({"name": "n" * 101, "target_amount": "10.00"}, "name"),
        ({"name": None, "target_amount": "10.00"}, "name"),
        ({"name": "a\x00b", "target_amount": "10.00"}, "name"),
        ({"name": "G"}, "target_amount"),
        ({"name": "G", "target_amount": "0"}, "target_amount"),
        ({"name": "G", "target_amount": "-5.00"}, "target_amount"),
        ({"name": "G", "target_amount": "10000000000.00"}, "target_amount"),
        ({"name": "G", "target_amount": "10.001"}, "target_amount"),
        ({"name": "G", "target_amount": "NaN"}, "target_amount"),
        ({"name": "G", "target_amount": "Infinity"}, "target_amount"),
        ({"name": "G", "target_amount": "lots"}, "target_amount"),
        ({"name": "G", "target_amount": None}, "target_amount"),
        ({"name": "G", "target_amount": "10.00", "target_date": "2027-02-30"}, "target_date"),
        ({"name": "G", "target_amount": "10.00", "target_date": "soon"}, "target_date"),
    ],
)
def test_create_with_a_bad_field_is_400_naming_it_and_writes_nothing(
    alice, client_now, body, named
):
    response = client_now.post(URL, body, format="json")

    assert_problem(response, 400, errors=[named])
    assert not Goal.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["n" * 100, "💻" * 100, "Ноутбук 💻", "מחשב נייד"])
def test_create_accepts_names_up_to_100_characters_exactly(alice, client_now, name):
    response = client_now.post(URL, {"name": name, "target_amount": "9999999999.99"})

    assert response.status_code == 201, response.content
    assert response.json()["name"] == name
    assert response.json()["target_amount"] == "9999999999.99"
    assert Goal.objects.get().name == name


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["laptop", "LAPTOP", " Laptop "])
def test_create_a_duplicate_name_in_any_case_is_400(alice, client_now, name):
    make_goal(alice, name="Laptop")
    before = goals_rows()

    response = client_now.post(URL, {"name": name, "target_amount": "10.00"})

    assert_problem(response, 400, errors=["name"])
    assert goals_rows() == before


@pytest.mark.django_db
def test_bob_may_reuse_the_name_of_alices_goal(alice, bob, bob_client):
    make_goal(alice, name="Laptop")

    response = bob_client.post(URL, {"name": "laptop", "target_amount": "10.00"})

    assert response.status_code == 201
    assert Goal.objects.get(pk=response.json()["id"]).user == bob


# Computed fields


@pytest.mark.django_db
def test_the_contracts_example_goal(alice, client_now):
    goal = make_goal(
        alice, name="Laptop", target="1500.00", target_date=date(2027, 6, 30), saved=["500", "-50"]
    )

    response = client_now.get(detail(goal))

    assert response.status_code == 200
    assert response.json() == goal_json(
        goal,
        saved_amount="450.00",
        remaining_amount="1050.00",
        progress_percent="30.00",
        monthly_required="150.00",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "saved", "target_date", "expected"),
    [
        # No target date: no monthly figure.
        ("1500.00", ["450.00"], None, ("450.00", "1050.00", "30.00", False, None)),
        # Achieved exactly, and beyond the target: progress capped, nothing more to save.
        ("1500.00", ["1000", "500"], date(2027, 6, 30), ("1500.00", "0.00", "100.00", True, None)),
        ("1500.00", ["2000.00"], date(2027, 6, 30), ("2000.00", "0.00", "100.00", True, None)),
        ("1500.00", ["2000", "-499.99"], None, ("1500.01", "0.00", "100.00", True, None)),
        # Target date passed, today, or less than a whole month away: at least one month.
        ("1000.00", ["100.00"], date(2026, 1, 1), ("100.00", "900.00", "10.00", False, "900.00")),
        ("1000.00", ["100.00"], date(2026, 11, 24), ("100.00", "900.00", "10.00", False, "900.00")),
        ("1000.00", ["100.00"], date(2026, 12, 23), ("100.00", "900.00", "10.00", False, "900.00")),
        # Whole months: to 24 Dec is one, to 23 Jan still one, to 24 Jan two.
        ("1000.00", ["100.00"], date(2026, 12, 24), ("100.00", "900.00", "10.00", False, "900.00")),
        ("1000.00", ["100.00"], date(2027, 1, 23), ("100.00", "900.00", "10.00", False, "900.00")),
        ("1000.00", ["100.00"], date(2027, 1, 24), ("100.00", "900.00", "10.00", False, "450.00")),
        # Ten years: 1000.00 / 120 = 8.333...
        ("1000.00", [], date(2036, 11, 30), ("0.00", "1000.00", "0.00", False, "8.33")),
        # Rounding half up, not half even: 100.01 / 2 = 50.005; 0.01 / 8.00 = 0.125 %.
        ("100.01", [], date(2027, 1, 24), ("0.00", "100.01", "0.00", False, "50.01")),
        ("8.00", ["0.01"], None, ("0.01", "7.99", "0.13", False, None)),
        ("3.00", ["2.00"], date(2027, 2, 28), ("2.00", "1.00", "66.67", False, "0.33")),
        ("0.03", ["0.01"], date(2027, 1, 24), ("0.01", "0.02", "33.33", False, "0.01")),
        # The largest amounts stay exact.
        (
            "9999999999.99",
            ["9999999999.98"],
            date(2027, 1, 24),
            ("9999999999.98", "0.01", "100.00", False, "0.01"),
        ),
    ],
)
def test_progress_figures(alice, client_now, target, saved, target_date, expected):
    goal = make_goal(alice, target=target, saved=saved, target_date=target_date)
    saved_amount, remaining, progress, achieved, monthly = expected
    assert saved_of(goal) == Decimal(saved_amount)  # the fixture is what the case says

    response = client_now.get(detail(goal))

    assert response.status_code == 200
    assert response.json() == goal_json(
        goal,
        saved_amount=saved_amount,
        remaining_amount=remaining,
        progress_percent=progress,
        is_achieved=achieved,
        monthly_required=monthly,
    )


@pytest.mark.django_db
def test_saved_amount_follows_contributions_made_through_the_api(alice, client_now):
    goal = make_goal(alice, target="100.00")
    amounts = ["10.10", "20.20", "-5.05", "0.01"]

    for amount in amounts:
        assert client_now.post(contributions_url(goal), {"amount": amount}).status_code == 201

    body = client_now.get(detail(goal)).json()
    saved = sum((Decimal(a) for a in amounts), Decimal("0.00"))
    assert body["saved_amount"] == f"{saved:.2f}" == "25.26"
    assert body["remaining_amount"] == f"{Decimal('100.00') - saved:.2f}"
    assert body["progress_percent"] == "25.26"


# GET /api/goals/


@pytest.mark.django_db
def test_list_answers_whole_goals_newest_first(alice, bob, alice_client):
    older = make_goal(alice, name="Car", target="5000.00", saved=["100.00"])
    with freeze_time(LATER):
        newer = GoalFactory(user=alice, name="Trip", target_amount=Decimal("800.00"))
    make_goal(bob, name="Bob's")

    response = alice_client.get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            goal_json(newer, created_at=LATER_JSON, updated_at=LATER_JSON),
            goal_json(
                older, saved_amount="100.00", remaining_amount="4900.00", progress_percent="2.00"
            ),
        ],
    }


@pytest.mark.django_db
def test_list_is_paginated(alice, alice_client):
    for n in range(3):
        make_goal(alice, name=f"Goal {n}")

    body = alice_client.get(URL, {"page_size": 2}).json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"] == "http://testserver/api/goals/?page=2&page_size=2"
    assert_problem(alice_client.get(URL, {"page": 3, "page_size": 2}), 404)
    assert_problem(alice_client.get(URL, {"page": "first"}), 400, errors=["page"])


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_goals_or_contributions(
    alice, alice_client, django_assert_max_num_queries
):
    for n in range(2):
        make_goal(alice, name=f"Few {n}", saved=["1.00"])
    with django_assert_max_num_queries(4) as few:
        assert alice_client.get(URL).json()["count"] == 2

    for n in range(30):
        make_goal(alice, name=f"Many {n}", saved=["1.00", "2.00", "3.00"])
    with django_assert_max_num_queries(4) as many:
        body = alice_client.get(URL).json()

    assert body["count"] == 32
    assert {g["saved_amount"] for g in body["results"]} == {"1.00", "6.00"}
    assert len(many.captured_queries) == len(few.captured_queries)


# PUT, PATCH, DELETE /api/goals/{id}/


@pytest.mark.django_db
def test_put_replaces_the_goal_and_keeps_what_is_saved(alice):
    goal = make_goal(alice, name="Laptop", target="1500.00", saved=["450.00"])
    body = {"name": "Better laptop", "target_amount": "2250.00", "target_date": "2027-06-30"}

    with freeze_time(LATER):  # today 2026-11-25: still 7 whole months to 30 June
        response = client_for(alice).put(detail(goal), body)

    assert response.status_code == 200, response.content
    assert response.json() == goal_json(
        goal,
        **body,
        saved_amount="450.00",
        remaining_amount="1800.00",
        progress_percent="20.00",
        monthly_required="257.14",  # 1800 / 7 = 257.142...
        updated_at=LATER_JSON,
    )
    goal.refresh_from_db()
    assert (goal.name, goal.target_amount, goal.target_date) == (
        "Better laptop",
        Decimal("2250.00"),
        date(2027, 6, 30),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "changed"),
    [
        ({"name": "Renamed"}, {"name": "Renamed"}),
        ({"name": "LAPTOP"}, {"name": "LAPTOP"}),
        (
            {"target_amount": "400.00"},  # below what is saved: achieved
            {
                "target_amount": "400.00",
                "remaining_amount": "0.00",
                "progress_percent": "100.00",
                "is_achieved": True,
            },
        ),
        (
            {"target_date": "2027-01-24"},
            {"target_date": "2027-01-24", "monthly_required": "525.00"},
        ),
        ({"target_date": None}, {}),
    ],
)
def test_patch_changes_only_the_fields_sent(alice, client_now, body, changed):
    goal = make_goal(alice, name="Laptop", target="1500.00", saved=["450.00"])

    response = client_now.patch(detail(goal), body, format="json")

    assert response.status_code == 200, response.content
    unchanged = {
        "saved_amount": "450.00",
        "remaining_amount": "1050.00",
        "progress_percent": "30.00",
    }
    assert response.json() == goal_json(goal, **{**unchanged, **changed})


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch"])
def test_rename_to_another_goals_name_is_400(alice, alice_client, method):
    goal = make_goal(alice, name="Laptop")
    make_goal(alice, name="Bike")
    before = goals_rows()

    body = {"name": "bike", "target_amount": "10.00"}
    response = getattr(alice_client, method)(detail(goal), body)

    assert_problem(response, 400, errors=["name"])
    assert goals_rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "body", "named"),
    [
        ("put", {"name": "Only a name"}, "target_amount"),
        ("put", {"target_amount": "10.00"}, "name"),
        ("patch", {"name": "  "}, "name"),
        ("patch", {"target_amount": "0.00"}, "target_amount"),
        ("patch", {"target_date": "2027-02-29"}, "target_date"),
    ],
)
def test_a_refused_update_changes_nothing(alice, alice_client, method, body, named):
    goal = make_goal(alice, name="Laptop", saved=["5.00"])
    before = goals_rows()

    response = getattr(alice_client, method)(detail(goal), body)

    assert_problem(response, 400, errors=[named])
    assert goals_rows() == before


@pytest.mark.django_db
def test_delete_removes_the_goal_and_its_contributions(alice, bob, alice_client):
    goal = make_goal(alice, saved=["10.00", "20.00", "-5.00"])
    kept = make_goal(alice, name="Kept", saved=["1.00"])
    bobs = make_goal(bob, saved=["2.00"])

    response = alice_client.delete(detail(goal))

    assert response.status_code == 204
    assert list(Goal.objects.order_by("id")) == [kept, bobs]
    assert set(Contribution.objects.values_list("goal_id", flat=True)) == {kept.pk, bobs.pk}
    assert_problem(alice_client.get(detail(goal)), 404)
    assert_problem(alice_client.get(contributions_url(goal)), 404)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_a_missing_goal_is_404(alice, alice_client, method):
    body = {"name": "X", "target_amount": "1.00"}

    response = getattr(alice_client, method)(f"{URL}{MISSING_ID}/", body)

    assert_problem(response, 404)
    assert not Goal.objects.exists()


# /api/goals/{id}/contributions/


@pytest.mark.django_db
def test_contribute_answers_201_with_the_contribution(alice, client_now):
    goal = make_goal(alice, target="100.00")

    response = client_now.post(contributions_url(goal), {"amount": "50.00"})

    assert response.status_code == 201, response.content
    contribution = Contribution.objects.get()
    assert response.json() == {
        "id": contribution.pk,
        "amount": "50.00",
        "date": "2026-11-24",
        "note": "",
    }
    assert contribution.goal == goal
    assert client_now.get(detail(goal)).json()["saved_amount"] == "50.00"


@pytest.mark.django_db
@pytest.mark.parametrize("note", ["Birthday money 🎂", "مدخرات", "n" * 255, ""])
def test_contribute_with_a_date_and_note(alice, alice_client, note):
    goal = make_goal(alice)
    body = {"amount": 12.5, "date": "2026-01-31", "note": note}

    response = alice_client.post(contributions_url(goal), body)

    assert response.status_code == 201, response.content
    contribution = Contribution.objects.get()
    assert response.json() == {
        "id": contribution.pk,
        "amount": "12.50",
        "date": "2026-01-31",
        "note": note,
    }
    assert alice_client.get(contribution_url(goal, contribution)).json() == response.json()


@pytest.mark.django_db
def test_a_negative_contribution_is_a_withdrawal(alice, alice_client):
    goal = make_goal(alice, target="100.00", saved=["50.00"])

    response = alice_client.post(contributions_url(goal), {"amount": "-30.00"})

    assert response.status_code == 201
    assert response.json()["amount"] == "-30.00"
    assert alice_client.get(detail(goal)).json()["saved_amount"] == "20.00"


@pytest.mark.django_db
def test_a_withdrawal_may_empty_the_goal_exactly(alice, alice_client):
    goal = make_goal(alice, target="100.00", saved=["50.00", "0.01"])

    response = alice_client.post(contributions_url(goal), {"amount": "-50.01"})

    assert response.status_code == 201
    assert saved_of(goal) == Decimal("0.00")


@pytest.mark.django_db
@pytest.mark.parametrize(("saved", "withdrawal"), [([], "-0.01"), (["50.00"], "-50.01")])
def test_a_withdrawal_below_zero_is_400_and_writes_nothing(alice, alice_client, saved, withdrawal):
    goal = make_goal(alice, target="100.00", saved=saved)
    before = goals_rows()

    response = alice_client.post(contributions_url(goal), {"amount": withdrawal})

    assert_problem(response, 400, errors=["amount"])
    assert goals_rows() == before


@pytest.mark.django_db
def test_a_deposit_over_the_maximum_saved_is_400(alice, alice_client):
    goal = make_goal(alice, target="100.00", saved=[str(MAX_AMOUNT)])
    before = goals_rows()

    response = alice_client.post(contributions_url(goal), {"amount": "0.01"})

    assert_problem(response, 400, errors=["amount"])
    assert goals_rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"amount": 0}, "amount"),
        ({"amount": "0.00"}, "amount"),
        ({"amount": "-0.00"}, "amount"),
        ({"amount": "12.345"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": "-Infinity"}, "amount"),
        ({"amount": "ten"}, "amount"),
        ({"amount": None}, "amount"),
        ({"amount": "10000000000.00"}, "amount"),
        ({"amount": "-10000000000.00"}, "amount"),
        ({}, "amount"),
        ({"amount": "5.00", "date": "2026-02-30"}, "date"),
        ({"amount": "5.00", "note": "n" * 256}, "note"),
        ({"amount": "5.00", "note": "a\x00b"}, "note"),
    ],
)
def test_contribute_with_a_bad_field_is_400_naming_it(alice, alice_client, body, named):
    goal = make_goal(alice, saved=["100.00"])
    before = goals_rows()

    response = alice_client.post(contributions_url(goal), body, format="json")

    assert_problem(response, 400, errors=[named])
    assert goals_rows() == before


@pytest.mark.django_db
def test_contributions_list_is_the_goals_only_newest_first(alice, alice_client):
    goal = make_goal(alice)
    other = make_goal(alice, name="Other", saved=["9.00"])
    first = ContributionFactory(goal=goal, amount=Decimal("10.00"), date=date(2026, 11, 1))
    later = ContributionFactory(goal=goal, amount=Decimal("-4.00"), date=date(2026, 11, 20))
    same_day = ContributionFactory(goal=goal, amount=Decimal("1.00"), date=date(2026, 11, 1))

    response = alice_client.get(contributions_url(goal))

    assert response.status_code == 200
    assert response.json() == {
        "count": 3,
        "next": None,
        "previous": None,
        "results": [contribution_json(c) for c in (later, same_day, first)],
    }
    assert alice_client.get(contributions_url(other)).json()["count"] == 1


@pytest.mark.django_db
def test_contributions_list_is_paginated_with_few_queries(
    alice, alice_client, django_assert_max_num_queries
):
    goal = make_goal(alice, saved=["1.00"] * 3)

    with django_assert_max_num_queries(4):
        body = alice_client.get(contributions_url(goal), {"page_size": 2}).json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert_problem(alice_client.get(contributions_url(goal), {"page": 3, "page_size": 2}), 404)
    assert_problem(
        alice_client.get(contributions_url(goal), {"page_size": 0}), 400, errors=["page_size"]
    )


@pytest.mark.django_db
def test_a_contribution_is_reachable_only_under_its_own_goal(alice, alice_client):
    goal = make_goal(alice, saved=["5.00"])
    other = make_goal(alice, name="Other")
    contribution = goal.contributions.get()

    assert alice_client.get(contribution_url(goal, contribution)).json() == contribution_json(
        contribution
    )
    assert_problem(alice_client.get(contribution_url(other, contribution)), 404)
    assert_problem(alice_client.delete(contribution_url(other, contribution)), 404)
    assert Contribution.objects.filter(pk=contribution.pk).exists()


@pytest.mark.django_db
def test_delete_a_deposit_is_204_and_lowers_what_is_saved(alice, alice_client):
    goal = make_goal(alice, saved=["30.00", "20.00"])
    deposit = goal.contributions.get(amount=Decimal("20.00"))

    response = alice_client.delete(contribution_url(goal, deposit))

    assert response.status_code == 204
    assert alice_client.get(detail(goal)).json()["saved_amount"] == "30.00"
    assert_problem(alice_client.get(contribution_url(goal, deposit)), 404)


@pytest.mark.django_db
def test_delete_a_withdrawal_is_204_and_raises_what_is_saved(alice, alice_client):
    goal = make_goal(alice, saved=["30.00", "-20.00"])
    withdrawal = goal.contributions.get(amount=Decimal("-20.00"))

    response = alice_client.delete(contribution_url(goal, withdrawal))

    assert response.status_code == 204
    assert saved_of(goal) == Decimal("30.00")


@pytest.mark.django_db
def test_delete_a_deposit_that_would_take_saved_below_zero_is_409(alice, alice_client):
    goal = make_goal(alice, saved=["100.00", "-80.00"])
    deposit = goal.contributions.get(amount=Decimal("100.00"))
    before = goals_rows()

    response = alice_client.delete(contribution_url(goal, deposit))

    assert_problem(response, 409)
    assert goals_rows() == before
    assert alice_client.get(detail(goal)).json()["saved_amount"] == "20.00"


@pytest.mark.django_db
def test_delete_a_withdrawal_that_would_take_saved_over_the_maximum_is_409(alice, alice_client):
    goal = make_goal(alice, target=str(MAX_AMOUNT), saved=[str(MAX_AMOUNT), "-0.01", "0.01"])
    withdrawal = goal.contributions.get(amount=Decimal("-0.01"))
    before = goals_rows()

    response = alice_client.delete(contribution_url(goal, withdrawal))

    assert_problem(response, 409)
    assert goals_rows() == before
    assert alice_client.get(detail(goal)).json()["saved_amount"] == f"{MAX_AMOUNT}"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_contribution_cannot_be_edited(alice, alice_client, method):
    goal = make_goal(alice, saved=["5.00"])
    contribution = goal.contributions.get()

    response = getattr(alice_client, method)(contribution_url(goal, contribution), {"amount": "1"})

    assert_problem(response, 405)
    assert saved_of(goal) == Decimal("5.00")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_contributions_of_a_missing_goal_are_404(alice, alice_client, method):
    response = getattr(alice_client, method)(f"{URL}{MISSING_ID}/contributions/", {"amount": "1"})

    assert_problem(response, 404)
    assert not Contribution.objects.exists()


# Alice and Bob


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("get", None),
        ("put", {"name": "Bob's", "target_amount": "1.00"}),
        ("patch", {"target_amount": "1.00"}),
        ("delete", None),
    ],
)
def test_bob_gets_404_on_alices_goal_and_it_is_unchanged(
    alice, alice_client, bob_client, method, body
):
    goal = make_goal(alice, name="Laptop", saved=["450.00"])
    before = goals_rows()

    response = getattr(bob_client, method)(detail(goal), body)

    problem = assert_problem(response, 404)
    assert "Laptop" not in problem["detail"]
    assert goals_rows() == before
    assert alice_client.get(detail(goal)).json()["saved_amount"] == "450.00"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"amount": "10.00"},
        {"amount": "-10.00"},
        {"amount": "0"},  # invalid: still 404, never a 400 that would confirm the goal
        {"amount": "-1000.00"},
        {},
    ],
)
def test_bob_cannot_contribute_to_alices_goal(alice, bob, bob_client, body):
    goal = make_goal(alice, saved=["100.00"])
    make_goal(bob, name="Bob's own")
    before = goals_rows()

    response = bob_client.post(contributions_url(goal), body)

    assert_problem(response, 404)
    assert goals_rows() == before


@pytest.mark.django_db
def test_bob_cannot_read_or_delete_alices_contributions(alice, bob, bob_client):
    goal = make_goal(alice, saved=["100.00"])
    bobs_goal = make_goal(bob, name="Bob's own")
    contribution = goal.contributions.get()
    before = goals_rows()

    assert_problem(bob_client.get(contributions_url(goal)), 404)
    for url in (contribution_url(goal, contribution), contribution_url(bobs_goal, contribution)):
        assert_problem(bob_client.get(url), 404)
        assert_problem(bob_client.delete(url), 404)
    assert goals_rows() == before


@pytest.mark.django_db
def test_bob_lists_only_his_own_goals(alice, bob, bob_client):
    make_goal(alice, name="Laptop", saved=["1.00"])
    mine = make_goal(bob, name="Laptop", target="20.00")

    body = bob_client.get(URL).json()

    assert body["count"] == 1
    assert body["results"][0]["id"] == mine.pk
    assert body["results"][0]["saved_amount"] == "0.00"


# Names: NFC, folded alike on both databases, no control characters.


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "second"), [("\u00c9t\u00e9", "\u00c9T\u00c9"), ("K", "\u212a")])
def test_a_look_alike_goal_name_is_a_duplicate(alice, client_now, first, second):
    GoalFactory(user=alice, name=first)

    response = client_now.post(URL, {"name": second, "target_amount": "10.00"})

    assert_problem(response, 400, errors=["name"])


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["a\x1bb", "two\nlines", "\u202eevil", "x\u200b"])
def test_a_goal_name_with_a_control_character_is_400(alice, client_now, name):
    response = client_now.post(URL, {"name": name, "target_amount": "10.00"})

    assert_problem(response, 400, errors=["name"])
    assert not Goal.objects.exists()


@pytest.mark.django_db
def test_a_goal_name_is_stored_in_nfc(alice, client_now):
    response = client_now.post(URL, {"name": "Cafe\u0301", "target_amount": "10.00"})

    assert response.status_code == 201
    assert response.json()["name"] == "Caf\u00e9"
