"""Isolation between users across the ledger and goals APIs: Bob gets 404 on all of Alice's.

A matrix of every endpoint and method that reaches one object, plus a structural check that
every view over a model starts its queryset at the owner (fintrack.core.scoping).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest
from django.db.models import QuerySet
from django.urls import URLPattern
from rest_framework import viewsets

from fintrack.core.api.request import AuthenticatedRequest
from fintrack.core.scoping import OwnerScopedViewMixin
from fintrack.goals.api import urls as goals_urls
from fintrack.goals.api import views as goals_views
from fintrack.goals.models import Contribution, Goal
from fintrack.ledger.api import urls as ledger_urls
from fintrack.ledger.api import views as ledger_views
from fintrack.ledger.models import Category, Entry, Kind
from fintrack.tokens.api import urls as tokens_urls
from fintrack.tokens.api import views as tokens_views

from .assertions import assert_problem
from .factories import CategoryFactory, ContributionFactory, EntryFactory, GoalFactory

MISSING_ID = 10**9


@dataclass(frozen=True)
class Case:
    """One request Bob makes at one of Alice's objects; `{name}` fills in from the world."""

    method: str
    url: str
    body: dict[str, Any] | None = None

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.url}"


ENTRY_BODY = {"amount": "1.00", "date": "2026-01-01", "category": "Bob's", "description": "b"}
GOAL_BODY = {"name": "Bob's", "target_amount": "1.00", "target_date": "2030-01-01"}

CASES = [
    Case("get", "/api/incomes/{income}/"),
    Case("put", "/api/incomes/{income}/", ENTRY_BODY),
    Case("patch", "/api/incomes/{income}/", {"amount": "1.00"}),
    Case("delete", "/api/incomes/{income}/"),
    Case("get", "/api/expenses/{expense}/"),
    Case("put", "/api/expenses/{expense}/", ENTRY_BODY),
    Case("patch", "/api/expenses/{expense}/", {"category": "Bob's"}),
    Case("delete", "/api/expenses/{expense}/"),
    Case("get", "/api/categories/{category}/"),
    Case("patch", "/api/categories/{category}/", {"name": "Bob's"}),
    Case("delete", "/api/categories/{category}/"),
    Case("delete", "/api/categories/{unused_category}/"),
    Case("get", "/api/goals/{goal}/"),
    Case("put", "/api/goals/{goal}/", GOAL_BODY),
    Case("patch", "/api/goals/{goal}/", {"target_amount": "1.00"}),
    Case("delete", "/api/goals/{goal}/"),
    Case("get", "/api/goals/{goal}/contributions/"),
    Case("post", "/api/goals/{goal}/contributions/", {"amount": "5.00"}),
    Case("post", "/api/goals/{goal}/contributions/", {"amount": "-5.00"}),
    Case("post", "/api/goals/{goal}/contributions/", {"amount": "0"}),
    Case("get", "/api/goals/{goal}/contributions/{contribution}/"),
    Case("delete", "/api/goals/{goal}/contributions/{contribution}/"),
    # Alice's contribution reached through Bob's own goal.
    Case("get", "/api/goals/{bobs_goal}/contributions/{contribution}/"),
    Case("delete", "/api/goals/{bobs_goal}/contributions/{contribution}/"),
]

# Methods no one may use on these endpoints: Bob's answer must not differ from Alice's.
NOT_ALLOWED = [
    Case("put", "/api/categories/{category}/", {"name": "Bob's", "kind": "expense"}),
    Case("put", "/api/goals/{goal}/contributions/{contribution}/", {"amount": "1.00"}),
    Case("patch", "/api/goals/{goal}/contributions/{contribution}/", {"amount": "1.00"}),
]


@pytest.fixture
def world(alice, bob) -> dict[str, int]:
    """One of each of Alice's objects (ids by name), and a goal of Bob's own."""
    food = CategoryFactory.create(user=alice, kind=Kind.EXPENSE, name="Food")
    salary = CategoryFactory.create(user=alice, kind=Kind.INCOME, name="Salary")
    income = EntryFactory.create(
        user=alice, kind=Kind.INCOME, category=salary, amount=Decimal("2500")
    )
    expense = EntryFactory.create(
        user=alice, kind=Kind.EXPENSE, category=food, amount=Decimal("12.50")
    )
    unused = CategoryFactory.create(user=alice, kind=Kind.EXPENSE, name="Unused")
    goal = GoalFactory.create(user=alice, name="Laptop", target_amount=Decimal("1500.00"))
    contribution = ContributionFactory.create(
        goal=goal, amount=Decimal("450.00"), date=date(2026, 11, 1)
    )
    bobs_goal = GoalFactory.create(user=bob, name="Bob's goal")
    return {
        "income": income.pk,
        "expense": expense.pk,
        "category": food.pk,
        "unused_category": unused.pk,
        "goal": goal.pk,
        "contribution": contribution.pk,
        "bobs_goal": bobs_goal.pk,
    }


def everything() -> list[tuple[Any, ...]]:
    """Every row of every owned table, to show that a refused request changed nothing."""
    return [
        *Entry.objects.order_by("id").values_list(
            "id", "user_id", "kind", "amount", "date", "category_id", "description", "updated_at"
        ),
        *Category.objects.order_by("id").values_list("id", "user_id", "kind", "name"),
        *Goal.objects.order_by("id").values_list(
            "id", "user_id", "name", "target_amount", "target_date", "updated_at"
        ),
        *Contribution.objects.order_by("id").values_list("id", "goal_id", "amount", "date", "note"),
    ]


def alices_view(client, world: dict[str, int]) -> list[Any]:
    """What Alice reads of her objects through the API."""
    urls = [
        "/api/incomes/{income}/",
        "/api/expenses/{expense}/",
        "/api/categories/{category}/",
        "/api/categories/{unused_category}/",
        "/api/goals/{goal}/",
        "/api/goals/{goal}/contributions/{contribution}/",
    ]
    return [client.get(url.format(**world)).json() for url in urls]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=str)
def test_bob_gets_404_on_alices_object_and_it_is_unchanged(alice_client, bob_client, world, case):
    before, seen_by_alice = everything(), alices_view(alice_client, world)

    response = getattr(bob_client, case.method)(case.url.format(**world), case.body, format="json")

    assert_problem(response, 404)
    assert everything() == before
    assert alices_view(alice_client, world) == seen_by_alice


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=str)
def test_bobs_404_reveals_no_more_than_a_missing_object(bob_client, world, case):
    missing = {name: MISSING_ID for name in world}
    stranger = getattr(bob_client, case.method)(case.url.format(**world), case.body, format="json")
    absent = getattr(bob_client, case.method)(case.url.format(**missing), case.body, format="json")

    assert stranger.status_code == absent.status_code == 404
    assert stranger.json() == absent.json()


@pytest.mark.django_db
@pytest.mark.parametrize("case", NOT_ALLOWED, ids=str)
def test_methods_not_allowed_answer_bob_as_they_answer_alice(alice_client, bob_client, world, case):
    before = everything()
    url = case.url.format(**world)

    to_bob = getattr(bob_client, case.method)(url, case.body, format="json")
    to_alice = getattr(alice_client, case.method)(url, case.body, format="json")

    assert_problem(to_bob, 405)
    assert to_bob.json() == to_alice.json()
    assert everything() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/api/incomes/", "/api/expenses/", "/api/categories/", "/api/goals/"]
)
def test_bobs_lists_hold_none_of_alices_objects(alice_client, bob_client, world, url):
    assert alice_client.get(url).json()["count"] >= 1

    body = bob_client.get(url).json()

    bobs_own = 1 if url == "/api/goals/" else 0
    assert body["count"] == bobs_own
    assert all(item["id"] != world["goal"] for item in body["results"])


@pytest.mark.django_db
def test_alice_still_reaches_each_of_her_objects(alice_client, world):
    """The matrix's 404s are about Bob: the same requests succeed for Alice."""
    for case in CASES:
        if case.method == "get" and "bobs_goal" not in case.url:
            assert alice_client.get(case.url.format(**world)).status_code == 200, case


# Structure: ownership by construction


def _model_views(module: ModuleType) -> dict[str, type]:
    return {
        name: obj
        for name, obj in vars(module).items()
        if isinstance(obj, type)
        and obj.__module__ == module.__name__
        and getattr(obj, "model", None) is not None
    }


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        (ledger_views, {"EntryViewSet", "IncomeViewSet", "ExpenseViewSet", "CategoryViewSet"}),
        (goals_views, {"GoalViewSet", "ContributionViewSet"}),
        (tokens_views, {"PersonalAccessTokenViewSet"}),
    ],
    ids=["ledger", "goals", "tokens"],
)
def test_every_view_over_a_model_is_owner_scoped(module, expected):
    views = _model_views(module)

    assert expected <= set(views)  # the check finds the views it is meant to check
    for name, view in views.items():
        assert issubclass(view, OwnerScopedViewMixin), name
        assert getattr(view, "queryset", None) is None, f"{name} sets a queryset"
        assert all(vars(klass).get("queryset") is None for klass in view.__mro__), name
        # Narrowing goes through refine_queryset; get_queryset stays the owner-scoped one.
        assert view.get_queryset is OwnerScopedViewMixin.get_queryset, name


@pytest.mark.parametrize(
    "urls", [ledger_urls, goals_urls, tokens_urls], ids=["ledger", "goals", "tokens"]
)
def test_every_routed_view_is_owner_scoped(urls):
    routed = {
        pattern.callback.cls
        for pattern in urls.urlpatterns
        if isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls")
    }

    assert routed
    for view in routed:
        assert issubclass(view, OwnerScopedViewMixin), view
        assert getattr(view, "model", None) is not None, view
        assert getattr(view, "queryset", None) is None, view


def test_defining_an_owner_scoped_view_with_a_queryset_raises() -> None:
    with pytest.raises(TypeError, match="sets `queryset`"):

        class LeakyViewSet(OwnerScopedViewMixin, viewsets.ModelViewSet):
            request: AuthenticatedRequest
            model = Entry
            queryset = Entry.objects.all()


def test_a_subclass_of_a_scoped_view_that_sets_a_queryset_raises():
    with pytest.raises(TypeError, match="sets `queryset`"):

        class LeakyExpenses(ledger_views.ExpenseViewSet):
            queryset = Entry.objects.filter(kind=Kind.EXPENSE)


def test_defining_an_owner_scoped_view_that_overrides_get_queryset_raises() -> None:
    with pytest.raises(TypeError, match="overrides `get_queryset`"):

        class LeakyViewSet(OwnerScopedViewMixin, viewsets.ModelViewSet):
            request: AuthenticatedRequest
            model = Entry

            def get_queryset(self) -> QuerySet[Entry]:
                return Entry.objects.all()
