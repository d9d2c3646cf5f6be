"""Reads on the ledger: entries of a kind, the rows of a list page and the totals of a list."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from fintrack.accounts.models import User

from .models import Entry


@dataclass(frozen=True)
class ListTotals:
    count: int
    total_amount: Decimal


def entries_of_kind(*, user: User, kind: str) -> QuerySet[Entry]:
    return Entry.objects.for_user(user).filter(kind=kind).select_related("category")


# A record as the list shows it, in the order of EntrySerializer's fields.
ENTRY_LIST_FIELDS = (
    "id",
    "amount",
    "date",
    "category__name",
    "description",
    "created_at",
    "updated_at",
)


def entry_list_rows(queryset: QuerySet[Entry]) -> QuerySet[Entry]:
    """The entries as tuples of ENTRY_LIST_FIELDS, the category name joined in: a page needs
    no model instances (building fifty Entry and Category objects was a tenth of a list
    request; docs/benchmarks.md)."""
    return queryset.values_list(*ENTRY_LIST_FIELDS)


def entry_list_totals(queryset: QuerySet[Entry]) -> ListTotals:
    """Row count and exact amount sum of the whole filtered set, in one query."""
    totals = queryset.aggregate(count=Count("id"), total=Sum("amount", default=0))
    return ListTotals(count=totals["count"], total_amount=totals["total"])
