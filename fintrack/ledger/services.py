"""Writes on the ledger: entries, and categories resolved by name or managed directly."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import RestrictedError
from rest_framework.exceptions import ValidationError

from fintrack.accounts.models import User
from fintrack.core.problems import Conflict

from .models import DEFAULT_CATEGORY, Category, Entry


def category_for_name(*, user: User, kind: str, name: str) -> Category:
    """The user's category of this kind with this name in any case, created on first use."""
    category, _ = Category.objects.get_or_create(
        user=user, kind=kind, name__iexact=name, defaults={"name": name}
    )
    return category


@transaction.atomic
def entry_create(
    *,
    user: User,
    kind: str,
    amount: Decimal,
    date: date,
    category: str = DEFAULT_CATEGORY,
    description: str = "",
) -> Entry:
    entry = Entry(
        user=user,
        kind=kind,
        amount=amount,
        date=date,
        category=category_for_name(user=user, kind=kind, name=category),
        description=description,
    )
    entry.save()
    return entry


@transaction.atomic
def entry_update(
    *,
    entry: Entry,
    amount: Decimal | None = None,
    date: date | None = None,
    category: str | None = None,
    description: str | None = None,
) -> Entry:
    """Change the given fields; those left None keep their value."""
    if amount is not None:
        entry.amount = amount
    if date is not None:
        entry.date = date
    if category is not None:
        entry.category = category_for_name(user=entry.user, kind=entry.kind, name=category)
    if description is not None:
        entry.description = description
    entry.save()
    return entry


def _duplicate_name() -> ValidationError:
    return ValidationError({"name": ["A category of this kind with this name already exists."]})


@transaction.atomic
def category_create(*, user: User, kind: str, name: str) -> Category:
    if Category.objects.for_user(user).filter(kind=kind, name__iexact=name).exists():
        raise _duplicate_name()
    try:
        with transaction.atomic():
            return Category.objects.create(user=user, kind=kind, name=name)
    except IntegrityError as exc:  # a concurrent create won the race
        raise _duplicate_name() from exc


@transaction.atomic
def category_rename(*, category: Category, name: str) -> Category:
    """Rename; every entry shows the new name at once, since entries point at the category."""
    siblings = Category.objects.for_user(category.user_id).filter(kind=category.kind)
    if siblings.filter(name__iexact=name).exclude(pk=category.pk).exists():
        raise _duplicate_name()
    category.name = name
    try:
        with transaction.atomic():
            category.save(update_fields=["name"])
    except IntegrityError as exc:
        raise _duplicate_name() from exc
    return category


@transaction.atomic
def category_delete(*, category: Category) -> None:
    try:
        category.delete()
    except RestrictedError as exc:
        raise Conflict("The category is used by records; move or delete them first.") from exc
