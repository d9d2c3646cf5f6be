"""Concurrent contributions to one goal: none is lost and saved never goes below zero.

Real concurrency needs real connections and row locks, so these run on PostgreSQL only.
"""

import threading
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from fintrack.core.errors import Invalid
from fintrack.goals.models import Contribution, Goal
from fintrack.goals.services import goal_contribute

from .conftest import client_for
from .factories import ContributionFactory, GoalFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: row locks between real concurrent connections "
        "(set DATABASE_URL=postgres://...)",
    ),
]

THREADS = 8
PER_THREAD = 5


def run_together(workers: list[Callable[[], Any]]) -> list[Any]:
    """Run every worker in its own thread, all released at once; their results or exceptions."""
    barrier = threading.Barrier(len(workers))
    results: list[Any] = [None] * len(workers)

    def run(index: int, work: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = work()
        except Exception as exc:  # recorded, asserted on by the test
            results[index] = exc
        finally:
            connection.close()  # each thread has its own connection; leave none open

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"
    return results


def saved_of(goal: Goal) -> Decimal:
    return sum(
        Contribution.objects.filter(goal=goal).values_list("amount", flat=True), Decimal("0.00")
    )


def test_concurrent_deposits_are_all_kept():
    goal = GoalFactory(user=UserFactory(), target_amount=Decimal("100000.00"))
    amounts = [
        [Decimal(f"{t + 1}.{n:02d}") for n in range(1, PER_THREAD + 1)] for t in range(THREADS)
    ]

    def depositor(mine: list[Decimal]) -> Callable[[], int]:
        def work() -> int:
            own = Goal.objects.get(pk=goal.pk)  # this thread's connection, this thread's object
            for amount in mine:
                goal_contribute(goal=own, amount=amount, date=date(2026, 11, 24))
            return len(mine)

        return work

    results = run_together([depositor(mine) for mine in amounts])

    assert results == [PER_THREAD] * THREADS
    expected = sum((a for mine in amounts for a in mine), Decimal("0.00"))
    assert Contribution.objects.filter(goal=goal).count() == THREADS * PER_THREAD
    assert saved_of(goal) == expected


def test_concurrent_withdrawals_never_take_saved_below_zero():
    goal = GoalFactory(user=UserFactory(), target_amount=Decimal("500.00"))
    ContributionFactory(goal=goal, amount=Decimal("100.00"))

    def withdraw() -> Contribution:
        own = Goal.objects.get(pk=goal.pk)
        return goal_contribute(goal=own, amount=Decimal("-30.00"), date=date(2026, 11, 24))

    results = run_together([withdraw] * 10)

    succeeded = [r for r in results if isinstance(r, Contribution)]
    refused = [r for r in results if isinstance(r, Invalid)]
    assert len(succeeded) == 3, results
    assert len(refused) == 7, results
    assert saved_of(goal) == Decimal("10.00")


def test_concurrent_withdrawals_through_the_api():
    user = UserFactory()
    goal = GoalFactory(user=user, target_amount=Decimal("500.00"))
    ContributionFactory(goal=goal, amount=Decimal("100.00"))
    url = f"/api/goals/{goal.pk}/contributions/"
    clients = [client_for(user) for _ in range(10)]

    def withdrawer(client) -> Callable[[], int]:
        return lambda: client.post(url, {"amount": "-30.00"}).status_code

    statuses = run_together([withdrawer(c) for c in clients])

    assert sorted(statuses) == [201] * 3 + [400] * 7
    assert saved_of(goal) == Decimal("10.00")
    body = client_for(user).get(f"/api/goals/{goal.pk}/").json()
    assert body["saved_amount"] == "10.00"


def test_concurrent_deposits_and_deletions_keep_saved_consistent():
    user = UserFactory()
    goal = GoalFactory(user=user, target_amount=Decimal("500.00"))
    deposit = ContributionFactory(goal=goal, amount=Decimal("50.00"))
    ContributionFactory(goal=goal, amount=Decimal("-40.00"))
    url = f"/api/goals/{goal.pk}/contributions/"
    client = client_for(user)

    # Deleting the 50.00 deposit is allowed only if the concurrent deposits landed first;
    # either way the goal must never read below zero.
    workers = [lambda: client_for(user).post(url, {"amount": "20.00"}).status_code] * 4
    workers.append(lambda: client_for(user).delete(f"{url}{deposit.pk}/").status_code)
    statuses = run_together(workers)

    assert statuses[:4] == [201] * 4
    assert statuses[4] in (204, 409)
    saved = saved_of(goal)
    assert saved >= Decimal("0.00")
    expected = Decimal("90.00") - (Decimal("50.00") if statuses[4] == 204 else Decimal("0.00"))
    assert saved == expected
    assert client.get(f"/api/goals/{goal.pk}/").json()["saved_amount"] == f"{expected:.2f}"
