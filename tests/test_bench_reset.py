"""bench.common.reset_data: a benchmark's second run on the same database starts from nothing.

The change feed's rows (sync_change) hold the user as a plain column, so a TRUNCATE of the
users with CASCADE does not reach them; left behind, they carried the first run's change
numbers into the second, above the new users' counters.
"""

import pytest
from django.apps import apps
from django.db import connection

from bench.common import reset_data
from fintrack.sync.models import Change

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE: PostgreSQL only"),
]


def _fintrack_models() -> list[type]:
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("fintrack.")
        for model in config.get_models()
    ]


def test_reset_empties_every_fintrack_table_the_change_feed_included(alice_client):
    created = alice_client.post(
        "/api/expenses/",
        {"amount": "12.50", "date": "2026-11-02", "description": "lunch"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert Change.objects.exists()

    reset_data()

    left = {model._meta.label: model._base_manager.count() for model in _fintrack_models()}
    assert left == dict.fromkeys(left, 0)
