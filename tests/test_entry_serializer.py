"""fintrack.ledger.api.serializers: the unrolled record representation equals DRF's own."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework import serializers

from fintrack.core.money import MAX_AMOUNT
from fintrack.ledger.api.serializers import (
    ENTRY_COLUMNS,
    EntrySerializer,
    entry_rows_representation,
)
from fintrack.ledger.models import Entry
from fintrack.ledger.selectors import entry_list_rows, entry_tag_names
from fintrack.ledger.services import entry_update

from .factories import EntryFactory


def drf_generic(entry: Entry) -> dict:
    """What ModelSerializer's field-by-field loop makes of the same record."""
    return serializers.ModelSerializer.to_representation(EntrySerializer(), entry)


@pytest.fixture
def entries(alice) -> list[Entry]:
    made = [
        EntryFactory.create(user=alice, amount=Decimal("0.01"), description="Café, crème brûlée"),
        EntryFactory.create(user=alice, amount=Decimal("12.5"), date=date(2024, 2, 29)),
        EntryFactory.create(user=alice, amount=MAX_AMOUNT, description='quotes " and \\ backslash'),
        EntryFactory.create(user=alice, amount=Decimal("7")),
    ]
    # One timestamp on a whole second: isoformat() then has no fraction.
    Entry.objects.filter(pk=made[1].pk).update(created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    entry_update(entry=made[0], tags=["zeta", "Alpha", "beta"], external_id="BANK-1")
    entry_update(entry=made[2], tags=["beta"])
    return made


def rows_of(queryset) -> list[dict]:
    rows = list(entry_list_rows(queryset, ENTRY_COLUMNS))
    return entry_rows_representation(rows, entry_tag_names(row[0] for row in rows))


@pytest.mark.django_db
def test_a_record_renders_as_drf_renders_it(entries):
    for stored in Entry.objects.select_related("category"):
        assert EntrySerializer(stored).data == drf_generic(stored)


@pytest.mark.django_db
def test_list_rows_render_as_drf_renders_the_records(alice, entries):
    queryset = Entry.objects.for_user(alice).filter(kind="expense").select_related("category")

    rows = rows_of(queryset)

    assert rows == [drf_generic(entry) for entry in queryset]
    assert {tuple(row["tags"]) for row in rows} == {("Alpha", "beta", "zeta"), ("beta",), ()}
    assert {row["amount"] for row in rows} == {"0.01", "12.50", "9999999999.99", "7.00"}


@pytest.mark.django_db
def test_datetimes_follow_the_current_time_zone_as_drf_does(alice, entries):
    queryset = Entry.objects.for_user(alice).filter(kind="expense").select_related("category")
    with timezone.override("Europe/Paris"):
        rows = rows_of(queryset)
        expected = [drf_generic(entry) for entry in queryset]

    assert rows == expected
    assert not any(row["created_at"].endswith("Z") for row in rows)  # Paris, never UTC
