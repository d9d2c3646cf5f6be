"""One user's concurrent writes around a category or a tag: never a 500, never a deadlock.

A delete that raced a create in the category answered 500 (the foreign key, after the delete's
own check), a tag deleted while records were tagged with it too, a rename of an object a
concurrent request deleted 500 as well, and renames beside creates deadlocked (503). Every such
write now takes the user's write lock first (fintrack.sync.services.user_writes_lock).

Real concurrency needs real connections and row locks: PostgreSQL only.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from fintrack.ledger.models import Category, Entry, EntryTag, Tag

from .conftest import client_for
from .factories import UserFactory
from .test_goal_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: row locks between real concurrent connections",
    ),
]

ROUNDS = 6


def call(client: Any, method: str, path: str, body: dict | None = None) -> Callable[[], int]:
    """A request to send in a thread of run_together, its arguments bound now; its status."""

    def send() -> int:
        response = getattr(client, method)(path, body, format="json")
        return int(response.status_code)

    return send


def test_deleting_a_category_while_a_record_is_created_in_it_is_never_a_500():
    user = UserFactory.create()
    client = client_for(user)
    for round_ in range(ROUNDS):
        name = f"Doomed {round_}"
        category = client.post("/api/categories/", {"name": name, "kind": "expense"}).json()
        statuses = run_together(
            [
                call(client, "delete", f"/api/categories/{category['id']}/"),
                call(client, "post", "/api/expenses/", {"amount": "2.00", "category": name}),
            ]
        )
        assert statuses[1] == 201, statuses
        assert statuses[0] in (204, 409), statuses
        # The record has a category that exists: the same one (409) or one made again (204).
        entry = Entry.objects.filter(user=user).latest("id")
        assert Category.objects.filter(pk=entry.category_id, name=name).exists()


def test_deleting_a_tag_while_records_are_tagged_with_it_is_never_a_500():
    user = UserFactory.create()
    client = client_for(user)
    for round_ in range(ROUNDS):
        tag = client.post("/api/tags/", {"name": f"gone{round_}"}).json()
        create = call(client, "post", "/api/expenses/", {"amount": "2.00", "tags": [tag["name"]]})
        statuses = run_together(
            [call(client, "delete", f"/api/tags/{tag['id']}/"), create, create, create]
        )
        assert statuses == [204, 201, 201, 201], statuses
        # Whatever ran first, no link points at a deleted tag.
        assert not EntryTag.objects.exclude(tag__in=Tag.objects.all()).exists()


@pytest.mark.parametrize("kind", ["tags", "categories"])
def test_renaming_what_a_concurrent_request_deletes_is_a_404_or_a_200(kind):
    user = UserFactory.create()
    client = client_for(user)
    for round_ in range(ROUNDS):
        body = {"name": f"x{round_}"} | ({"kind": "expense"} if kind == "categories" else {})
        made = client.post(f"/api/{kind}/", body).json()
        path = f"/api/{kind}/{made['id']}/"
        statuses = run_together(
            [call(client, "patch", path, {"name": f"y{round_}"}), call(client, "delete", path)]
        )
        assert statuses[0] in (200, 404) and statuses[1] == 204, statuses


def test_renames_beside_creates_never_deadlock():
    user = UserFactory.create()
    client = client_for(user)
    tag = client.post("/api/tags/", {"name": "tg"}).json()
    category = client.post("/api/categories/", {"name": "Cat", "kind": "expense"}).json()
    for round_ in range(ROUNDS):
        tag_name, category_name = (
            Tag.objects.get(pk=tag["id"]).name,
            Category.objects.get(pk=category["id"]).name,
        )
        body = {"amount": "2.00", "category": category_name, "tags": [tag_name]}
        create = call(client, "post", "/api/expenses/", body)
        statuses = run_together(
            [
                call(client, "patch", f"/api/tags/{tag['id']}/", {"name": f"tg{round_}"}),
                call(client, "patch", f"/api/categories/{category['id']}/", {"name": f"C{round_}"}),
                create,
                create,
                create,
            ]
        )
        assert statuses == [200, 200, 201, 201, 201], statuses
