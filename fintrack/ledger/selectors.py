"""Reads on the ledger: entries of a kind and the totals of a filtered list."""

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


def entry_list_totals(queryset: QuerySet[Entry]) -> ListTotals:
    """Row count and exact amount sum of the whole filtered set, in one query."""
    totals = queryset.aggregate(count=Count("id"), total=Sum("amount", default=0))
    return ListTotals(count=totals["count"], total_amount=totals["total"])
