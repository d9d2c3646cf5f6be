"""Reads on the ledger: the rows of a list page and the totals of a list, and the tags with
their record counts."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from fintrack.accounts.models import User

from .models import Entry, EntryTag, Tag


@dataclass(frozen=True)
class ListTotals:
    count: int
    total_amount: Decimal


def entry_list_rows(
    queryset: QuerySet[Entry], columns: Sequence[str]
) -> QuerySet[Entry, tuple[Any, ...]]:
    """The entries as tuples of `columns` (the wire shape's, related names joined in): a page
    needs no model instances (building fifty Entry and Category objects was a tenth of a list
    request; docs/benchmarks.md)."""
    return queryset.values_list(*columns)


def entry_list_totals(queryset: QuerySet[Entry]) -> ListTotals:
    """Row count and exact amount sum of the whole filtered set, in one query."""
    totals = queryset.aggregate(count=Count("id"), total=Sum("amount", default=0))
    # An empty queryset (.none()) answers the default without a query: the int 0.
    return ListTotals(count=totals["count"], total_amount=Decimal(totals["total"]))


def entry_tag_names(entry_ids: Iterable[int]) -> dict[int, list[str]]:
    """The tag names of each of these records, sorted case-insensitively: one query for a
    whole page (a prefetch would build a Tag object per row)."""
    links = (
        EntryTag.objects.filter(entry_id__in=list(entry_ids))
        .order_by("tag__name_key", "tag__name")
        .values_list("entry_id", "tag__name")
    )
    names: dict[int, list[str]] = {}
    for entry_id, name in links:
        names.setdefault(entry_id, []).append(name)
    return names


def tags_with_counts(*, user: User) -> QuerySet[Tag]:
    """The user's tags by name, each with `records`, the number of records carrying it."""
    return Tag.objects.for_user(user).annotate(records=Count("entries")).order_by("name_key", "id")
