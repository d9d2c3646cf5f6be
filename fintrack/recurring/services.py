"""Writes on recurring rules, and the catch-up that turns due occurrences into records.

Every write here locks the owner's user row first. That one lock serialises, per user, the
rule writes and the catch-up, so that two requests can never create one occurrence twice
(the second finds `next_date` already moved on) and `User.recurring_due_on`, the minimum of
the rules' `next_date`, is never computed from a stale view of them.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from fintrack.accounts.models import User
from fintrack.core.errors import Invalid
from fintrack.ledger.models import DEFAULT_CATEGORY, Entry, Tag
from fintrack.ledger.services import category_for_name, entry_bulk_insert, tags_for_names

from .models import MAX_RULES_PER_USER, RecurringRule
from .schedule import next_date, resumed_handled_through

# How far back a start date may lie: a year and a day, so "a year ago today" always fits.
MAX_START_DAYS_AGO = 366

_SCHEDULE_FIELDS = ("start_date", "frequency", "interval", "end_date")


def _today() -> date:
    return timezone.now().date()  # USE_TZ: now() is in UTC, so this is today in UTC


def _lock_owner(user: User) -> User:
    return User.objects.select_for_update().only("id", "recurring_due_on").get(pk=user.pk)


def _refresh_due(user: User) -> None:
    """Store the earliest next_date of the user's active rules on the user row (and on the
    caller's copy of it, so the rest of the request sees it)."""
    due = (
        RecurringRule.objects.for_user(user)
        .filter(active=True)
        .aggregate(due=Min("next_date"))["due"]
    )
    User.objects.filter(pk=user.pk).update(recurring_due_on=due)
    user.recurring_due_on = due


def _check_dates(
    *, start_date: date, end_date: date | None, today: date, start_changed: bool
) -> None:
    if start_changed and start_date < today - timedelta(days=MAX_START_DAYS_AGO):
        raise Invalid(
            {"start_date": [f"The start date may lie at most {MAX_START_DAYS_AGO} days ago."]}
        )
    if end_date is not None and end_date < start_date:
        raise Invalid({"end_date": ["The end date cannot be before the start date."]})


def _materialize_locked(*, user: User, today: date) -> int:
    """Create every occurrence of the user's active rules dated `today` or earlier, in one
    bulk insert, and move each rule's next_date past them. The caller holds the owner lock."""
    rules = list(
        RecurringRule.objects.for_user(user)
        .filter(active=True, next_date__lte=today)
        .prefetch_related("tags")
        .order_by("id")
    )
    if not rules:
        return 0
    entries: list[Entry] = []
    entry_tags: list[list[Tag]] = []
    for rule in rules:
        assert rule.next_date is not None  # filtered above
        dates = list(rule.schedule.between(rule.next_date, today))
        tags = list(rule.tags.all())
        entry_tags += [tags] * len(dates)
        entries += [
            Entry(
                user_id=user.pk,
                kind=rule.kind,
                amount=rule.amount,
                date=day,
                category_id=rule.category_id,
                description=rule.description,
                recurring_id=rule.pk,
            )
            for day in dates
        ]
        if dates:
            rule.handled_through = dates[-1]
        rule.next_date = next_date(rule.schedule, handled_through=rule.handled_through)
    entry_bulk_insert(entries=entries, tags=entry_tags)
    RecurringRule.objects.bulk_update(rules, ["next_date", "handled_through"])
    return len(entries)


@transaction.atomic
def recurring_materialize(*, user: User, today: date | None = None) -> int:
    """Create the user's due occurrences (dated today, UTC, or earlier) as records, each
    exactly once; the number created. Cheap to call when nothing is due: one locked read."""
    today = today or _today()
    owner = _lock_owner(user)
    # Re-read under the lock: a concurrent request may have caught up while we waited.
    if owner.recurring_due_on is None or owner.recurring_due_on > today:
        user.recurring_due_on = owner.recurring_due_on
        return 0
    created = _materialize_locked(user=user, today=today)
    _refresh_due(user)
    return created


def recurring_materialize_all(*, today: date | None = None) -> tuple[int, int]:
    """Catch up every user who has something due; (users caught up, records created)."""
    today = today or _today()
    users = User.objects.filter(recurring_due_on__lte=today).only("id", "recurring_due_on")
    caught_up = created = 0
    for user in users.iterator():
        count = recurring_materialize(user=user, today=today)
        caught_up += 1 if count else 0
        created += count
    return caught_up, created


@transaction.atomic
def rule_create(
    *,
    user: User,
    kind: str,
    amount: Decimal,
    frequency: str,
    start_date: date,
    interval: int = 1,
    category: str = DEFAULT_CATEGORY,
    description: str = "",
    tags: Sequence[str] = (),
    end_date: date | None = None,
    active: bool = True,
) -> RecurringRule:
    """Create a rule, then every occurrence of it already due (a past start date)."""
    today = _today()
    _lock_owner(user)
    if RecurringRule.objects.for_user(user).count() >= MAX_RULES_PER_USER:
        raise Invalid({"non_field_errors": [f"At most {MAX_RULES_PER_USER} recurring rules."]})
    _check_dates(start_date=start_date, end_date=end_date, today=today, start_changed=True)
    rule = RecurringRule(
        user=user,
        kind=kind,
        amount=amount,
        category=category_for_name(user=user, kind=kind, name=category),
        description=description,
        frequency=frequency,
        interval=interval,
        start_date=start_date,
        end_date=end_date,
        active=active,
    )
    rule.next_date = next_date(rule.schedule, handled_through=None) if active else None
    rule.save()
    if tags:
        rule.tags.set(tags_for_names(user=user, names=tags).values())
    _materialize_locked(user=user, today=today)
    _refresh_due(user)
    rule.refresh_from_db()
    return rule


@transaction.atomic
def rule_update(*, rule: RecurringRule, **fields: Any) -> RecurringRule:
    """Change the given fields. Only occurrences not yet created change: a new schedule starts
    after the last occurrence handled, and reactivating skips what fell in the pause."""
    today = _today()
    user = rule.user
    _lock_owner(user)
    rule = RecurringRule.objects.select_related("category").get(pk=rule.pk)
    old = {name: getattr(rule, name) for name in (*_SCHEDULE_FIELDS, "active", "kind")}
    category_name = fields.pop("category", None)
    tag_names = fields.pop("tags", None)
    for name, value in fields.items():
        setattr(rule, name, value)
    _check_dates(
        start_date=rule.start_date,
        end_date=rule.end_date,
        today=today,
        start_changed=rule.start_date != old["start_date"],
    )
    if category_name is not None or rule.kind != old["kind"]:
        name = category_name if category_name is not None else rule.category.name
        rule.category = category_for_name(user=user, kind=rule.kind, name=name)
    resumed = rule.active and not old["active"]
    if resumed:
        rule.handled_through = resumed_handled_through(rule.handled_through, today=today)
    if not rule.active:
        rule.next_date = None
    elif resumed or any(getattr(rule, name) != old[name] for name in _SCHEDULE_FIELDS):
        rule.next_date = next_date(rule.schedule, handled_through=rule.handled_through)
    rule.save()
    if tag_names is not None:  # the whole list, as on records
        rule.tags.set(tags_for_names(user=user, names=tag_names).values())
    _materialize_locked(user=user, today=today)
    _refresh_due(user)
    rule.refresh_from_db()
    return rule


@transaction.atomic
def rule_delete(*, rule: RecurringRule) -> None:
    """Delete a rule; the records it created stay, their recurring_id set to null."""
    user = rule.user
    _lock_owner(user)
    rule.delete()
    _refresh_due(user)
