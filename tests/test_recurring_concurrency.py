"""Concurrent catch-ups of recurring rules: every occurrence is created exactly once.

Real concurrency needs real connections and row locks, so these run on PostgreSQL only.
"""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from fintrack.accounts.models import User
from fintrack.ledger.models import DailyTotal, Entry
from fintrack.recurring.models import RecurringRule
from fintrack.recurring.services import recurring_materialize, rule_create

from .conftest import client_for
from .factories import UserFactory
from .test_goal_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: row locks between real concurrent connections "
        "(set DATABASE_URL=postgres://...)",
    ),
]

THREADS = 8


def _due_rules(user: User, *, days_ago: int, rules: int) -> list[RecurringRule]:
    """Daily rules whose occurrences since `days_ago` are all due but none created yet, as if
    they had been created that long ago and nobody had asked since."""
    today = timezone.now().date()
    start = today - timedelta(days=days_ago)
    made = [
        rule_create(
            user=user,
            kind="expense",
            amount=Decimal("1.25"),
            frequency="daily",
            start_date=today + timedelta(days=1),
            category="Coffee",
        )
        for _ in range(rules)
    ]
    RecurringRule.objects.filter(pk__in=[r.pk for r in made]).update(
        start_date=start, next_date=start
    )
    User.objects.filter(pk=user.pk).update(recurring_due_on=start)
    return made


def _assert_each_occurrence_once(user: User, rules: list[RecurringRule], days: int) -> None:
    per_rule_day = (
        Entry.objects.filter(user=user)
        .values("recurring_id", "date")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert list(per_rule_day) == []
    assert Entry.objects.filter(user=user).count() == len(rules) * (days + 1)
    totals = DailyTotal.objects.filter(user=user)
    assert sum(t.count for t in totals) == len(rules) * (days + 1)
    assert sum(t.total for t in totals) == len(rules) * (days + 1) * Decimal("1.25")


def test_concurrent_reads_create_each_occurrence_once() -> None:
    user = UserFactory.create()
    rules = _due_rules(user, days_ago=366, rules=3)
    clients = [client_for(user) for _ in range(THREADS)]
    paths = ["/api/expenses/", "/api/summary/", "/api/recurring/", "/api/summary/trends/"]

    def reader(index: int) -> Callable[[], int]:
        return lambda: clients[index].get(paths[index % len(paths)]).status_code

    statuses = run_together([reader(i) for i in range(THREADS)])

    assert statuses == [200] * THREADS
    _assert_each_occurrence_once(user, rules, 366)
    body = client_for(user).get("/api/expenses/?page_size=1").json()
    assert body["count"] == 3 * 367
    assert body["total_amount"] == f"{3 * 367 * Decimal('1.25'):.2f}"
    user.refresh_from_db()
    assert user.recurring_due_on == timezone.now().date() + timedelta(days=1)


def test_concurrent_services_create_each_occurrence_once() -> None:
    user = UserFactory.create()
    rules = _due_rules(user, days_ago=100, rules=2)

    def catch_up() -> int:
        return recurring_materialize(user=User.objects.get(pk=user.pk))

    created = run_together([catch_up] * THREADS)

    assert sorted(created) == [0] * (THREADS - 1) + [2 * 101]
    _assert_each_occurrence_once(user, rules, 100)


def test_a_rule_created_during_a_catch_up_is_not_lost() -> None:
    """The due date on the user row is the minimum over every rule, even when rules are
    created while another request catches up."""
    user = UserFactory.create()
    _due_rules(user, days_ago=200, rules=1)
    start = (timezone.now().date() - timedelta(days=3)).isoformat()
    body = {"kind": "income", "amount": "5.00", "frequency": "daily", "start_date": start}

    def create() -> int:
        return client_for(user).post("/api/recurring/", body).status_code

    def read() -> int:
        return client_for(user).get("/api/expenses/").status_code

    statuses = run_together([create, read, create, read, create, read])

    assert statuses == [201, 200] * 3
    assert Entry.objects.filter(user=user, kind="income").count() == 3 * 4
    assert Entry.objects.filter(user=user, kind="expense").count() == 201
    user.refresh_from_db()
    assert user.recurring_due_on == timezone.now().date() + timedelta(days=1)
