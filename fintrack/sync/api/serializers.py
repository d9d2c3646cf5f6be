"""The changes feed on the wire: each object as its own endpoint shows it."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from rest_framework import serializers

from fintrack.accounts.models import User
from fintrack.budgets.api.serializers import BudgetSerializer
from fintrack.budgets.selectors import budgets_of
from fintrack.core.fields import StrictCharField
from fintrack.goals.api.serializers import ContributionSerializer, GoalSerializer
from fintrack.goals.models import Contribution, Goal
from fintrack.goals.selectors import goals_with_saved_amount
from fintrack.ledger.api.serializers import (
    ENTRY_COLUMNS,
    CategorySerializer,
    entry_rows_representation,
)
from fintrack.ledger.models import Category, Entry, Tag
from fintrack.ledger.selectors import entry_list_rows, entry_tag_names
from fintrack.recurring.api.serializers import RecurringRuleSerializer
from fintrack.recurring.models import RecurringRule
from fintrack.recurring.selectors import rules_ordered

from ..models import Change, ChangeType
from ..selectors import DEFAULT_LIMIT, MAX_LIMIT


class ChangesQuerySerializer(serializers.Serializer):
    cursor = StrictCharField(
        required=False,
        max_length=500,
        help_text="The `cursor` of your last answer; leave it out for a full sync.",
    )
    limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_LIMIT,
        default=DEFAULT_LIMIT,
        help_text="At most this many changes (1 to 1,000, default 500).",
    )


class ChangeSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ChangeType.choices)
    id = serializers.IntegerField()
    op = serializers.ChoiceField(choices=["upsert", "delete"])
    data = serializers.DictField(  # type: ignore[assignment]
        allow_null=True,
        help_text="The object as its own endpoint shows it (tags: id and name; contributions: "
        "with `goal`); null for a delete.",
    )


class ChangesSerializer(serializers.Serializer):
    changes = ChangeSerializer(many=True)
    cursor = StrictCharField(help_text="Send it back as `cursor` for what changes next.")
    has_more = serializers.BooleanField(help_text="More changes wait: ask again at once.")


Renderer = Callable[[User, list[int]], dict[int, dict[str, Any]]]


def _entries(user: User, ids: list[int]) -> dict[int, dict[str, Any]]:
    queryset = Entry.objects.for_user(user).filter(pk__in=ids)
    rows: list[tuple[Any, ...]] = list(entry_list_rows(queryset, ENTRY_COLUMNS))
    tags = entry_tag_names(row[0] for row in rows)
    return {item["id"]: item for item in entry_rows_representation(rows, tags)}


def _categories(user: User, ids: list[int]) -> dict[int, dict[str, Any]]:
    categories = Category.objects.for_user(user).filter(pk__in=ids)
    return {item["id"]: item for item in CategorySerializer(categories, many=True).data}


def _tags(user: User, ids: list[int]) -> dict[int, dict[str, Any]]:
    tags = Tag.objects.for_user(user).filter(pk__in=ids).values_list("id", "name")
    return {tag_id: {"id": tag_id, "name": name} for tag_id, name in tags}


def _goals(user: User, ids: list[int]) -> dict[int, dict[str, Any]]:
    goals = goals_with_saved_amount(Goal.objects.for_user(user).filter(pk__in=ids))
    return {item["id"]: item for item in GoalSerializer(goals, many=True).data}


def _contributions(user: User, ids: list[int]) -> dict[int, dict[str, Any]]:
    contributions = Contribution.objects.for_user(user).filter(pk__in=ids)
    return {
        contribution.pk: {**ContributionSerializer(contribution).data, "goal": contribution.goal_id}
        for contribution in contributions
    }


def _budgets(user: User, ids: list[int]) -> dict[int, dict[str, Any]]:
    budgets = budgets_of(user=user).filter(pk__in=ids)
    return {item["id"]: item for item in BudgetSerializer(budgets, many=True).data}


def _rules(user: User, ids: list[int]) -> dict[int, dict[str, Any]]:
    rules = rules_ordered(RecurringRule.objects.for_user(user).filter(pk__in=ids))
    return {item["id"]: item for item in RecurringRuleSerializer(rules, many=True).data}


RENDERERS: dict[str, Renderer] = {
    ChangeType.INCOME: _entries,
    ChangeType.EXPENSE: _entries,
    ChangeType.CATEGORY: _categories,
    ChangeType.TAG: _tags,
    ChangeType.GOAL: _goals,
    ChangeType.CONTRIBUTION: _contributions,
    ChangeType.BUDGET: _budgets,
    ChangeType.RECURRING: _rules,
}


def changes_representation(user: User, changes: Iterable[Change]) -> list[dict[str, Any]]:
    """The page's changes in order, each upsert with its object's current state: one or two
    queries per type present, whatever the page's size. An object deleted since its change
    was recorded answers as a delete (its tombstone follows later in the feed anyway)."""
    changes = list(changes)
    wanted: dict[str, list[int]] = defaultdict(list)
    for change in changes:
        if not change.deleted:
            wanted[change.type].append(change.object_id)
    # Records of both kinds come from one table: one query for the two.
    entry_ids = wanted.pop(ChangeType.INCOME, []) + wanted.pop(ChangeType.EXPENSE, [])
    objects: dict[str, dict[int, dict[str, Any]]] = {}
    if entry_ids:
        entries = _entries(user, entry_ids)
        objects[ChangeType.INCOME] = objects[ChangeType.EXPENSE] = entries
    for type_, ids in wanted.items():
        objects[type_] = RENDERERS[type_](user, ids)
    answer = []
    for change in changes:
        data = None if change.deleted else objects.get(change.type, {}).get(change.object_id)
        answer.append(
            {
                "type": change.type,
                "id": change.object_id,
                "op": "delete" if data is None else "upsert",
                "data": data,
            }
        )
    return answer
