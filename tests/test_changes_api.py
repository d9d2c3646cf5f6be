"""GET /api/changes/: the changes feed a syncing client follows to keep an exact copy."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from fintrack.accounts.models import User
from fintrack.sync.models import Change

from .assertions import assert_problem, assert_unauthorized
from .factories import DEFAULT_PASSWORD

URL = "/api/changes/"
Key = tuple[str, int]


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json() if response.content else None


def _all(client: APIClient, url: str) -> list[dict[str, Any]]:
    separator = "&" if "?" in url else "?"
    return _ok(client.get(f"{url}{separator}page_size=500"))["results"]


def server_state(client: APIClient) -> dict[Key, dict[str, Any]]:
    """Every object of the user as its own endpoint shows it (tags as id and name,
    contributions with their goal): what a client that applied the feed must hold."""
    state: dict[Key, dict[str, Any]] = {}
    for kind, url in (("income", "/api/incomes/"), ("expense", "/api/expenses/")):
        for item in _all(client, url):
            state[(kind, item["id"])] = item
    for item in _all(client, "/api/categories/"):
        state[("category", item["id"])] = item
    for item in _all(client, "/api/tags/"):
        state[("tag", item["id"])] = {"id": item["id"], "name": item["name"]}
    for item in _all(client, "/api/budgets/"):
        state[("budget", item["id"])] = item
    for item in _all(client, "/api/recurring/"):
        state[("recurring", item["id"])] = item
    for goal in _all(client, "/api/goals/"):
        state[("goal", goal["id"])] = goal
        for item in _all(client, f"/api/goals/{goal['id']}/contributions/"):
            state[("contribution", item["id"])] = {**item, "goal": goal["id"]}
    return state


class Replica:
    """A client's local copy, kept by following the feed's cursors."""

    def __init__(self, client: APIClient, limit: int = 500) -> None:
        self.client = client
        self.limit = limit
        self.cursor: str | None = None
        self.state: dict[Key, dict[str, Any]] = {}
        self.requests = 0

    def sync(self) -> list[dict[str, Any]]:
        seen = []
        while True:
            query = f"?limit={self.limit}" + (f"&cursor={self.cursor}" if self.cursor else "")
            body = _ok(self.client.get(URL + query))
            self.requests += 1
            keys = [(change["type"], change["id"]) for change in body["changes"]]
            assert len(keys) == len(set(keys)), "an object twice in one answer"
            for change in body["changes"]:
                key = (change["type"], change["id"])
                if change["op"] == "delete":
                    assert change["data"] is None
                    self.state.pop(key, None)
                else:
                    assert change["op"] == "upsert"
                    self.state[key] = change["data"]
            seen += body["changes"]
            self.cursor = body["cursor"]
            if not body["has_more"]:
                return seen


def _expense(client: APIClient, **fields: Any) -> dict[str, Any]:
    body = {"amount": "12.50", "date": "2026-11-20", "category": "Food", **fields}
    return _ok(client.post("/api/expenses/", body, format="json"), 201)


def _income(client: APIClient, **fields: Any) -> dict[str, Any]:
    body = {"amount": "2500.00", "date": "2026-11-01", "category": "Salary", **fields}
    return _ok(client.post("/api/incomes/", body, format="json"), 201)


def _goal(client: APIClient, name: str = "Bike") -> dict[str, Any]:
    body = {"name": name, "target_amount": "600.00"}
    return _ok(client.post("/api/goals/", body, format="json"), 201)


def _contribute(client: APIClient, goal_id: int, amount: str = "50.00") -> dict[str, Any]:
    url = f"/api/goals/{goal_id}/contributions/"
    return _ok(client.post(url, {"amount": amount, "date": "2026-11-02"}, format="json"), 201)


def _budget(client: APIClient, category: str = "Food") -> dict[str, Any]:
    body = {"category": category, "amount": "300.00", "start_month": "2026-11"}
    return _ok(client.post("/api/budgets/", body, format="json"), 201)


def _rule(client: APIClient) -> dict[str, Any]:
    body = {
        "kind": "expense",
        "amount": "950.00",
        "category": "Rent",
        "frequency": "monthly",
        "start_date": (timezone.now().date() - timedelta(days=40)).isoformat(),
        "tags": ["home"],
    }
    return _ok(client.post("/api/recurring/", body, format="json"), 201)


def _everything(client: APIClient) -> None:
    """One object of every type, made by every path (services, bulk, a rule, an import)."""
    _expense(client, tags=["work", "Lunch"], description="Lunch")
    _income(client)
    goal = _goal(client)
    _contribute(client, goal["id"])
    _budget(client)
    _rule(client)
    bulk = {"records": [{"amount": "3.00", "date": "2026-11-03", "category": "Coffee"}] * 3}
    _ok(client.post("/api/expenses/bulk/", bulk, format="json"), 201)
    csv = "Date,Amount,Description,Category\n2026-11-04,-9.99,Cinema,Fun\n"
    batch = _ok(client.generic("POST", "/api/imports/", csv, content_type="text/csv"), 201)
    _ok(client.post(f"/api/imports/{batch['id']}/commit/"))


@pytest.mark.django_db
def test_requires_authentication(anon_client: APIClient) -> None:
    assert_unauthorized(anon_client.get(URL))


@pytest.mark.django_db
def test_a_new_account_syncs_to_nothing(alice_client: APIClient) -> None:
    body = _ok(alice_client.get(URL))
    assert body["changes"] == []
    assert body["has_more"] is False
    assert isinstance(body["cursor"], str) and body["cursor"]
    again = _ok(alice_client.get(f"{URL}?cursor={body['cursor']}"))
    assert again["changes"] == []


@pytest.mark.django_db
def test_first_sync_equals_what_the_endpoints_show(alice_client: APIClient) -> None:
    _everything(alice_client)
    replica = Replica(alice_client)
    changes = replica.sync()
    assert all(change["op"] == "upsert" for change in changes)
    state = server_state(alice_client)
    assert replica.state == state
    types = {key[0] for key in state}
    assert types == {
        "income",
        "expense",
        "category",
        "tag",
        "goal",
        "contribution",
        "budget",
        "recurring",
    }
    # The rule's occurrences and the imported record are records like any other.
    assert any(item.get("recurring_id") for (kind, _), item in state.items() if kind == "expense")
    assert any(item.get("import_id") for (kind, _), item in state.items() if kind == "expense")


@pytest.mark.django_db
def test_incremental_sync_after_creates_updates_and_deletes_of_every_type(
    alice_client: APIClient,
) -> None:
    _everything(alice_client)
    replica = Replica(alice_client)
    replica.sync()
    client = alice_client

    expense = _expense(client, description="Dinner")
    _ok(client.patch(f"/api/expenses/{expense['id']}/", {"amount": "20.00"}, format="json"))
    old = next(k for k in replica.state if k[0] == "income")
    _ok(client.delete(f"/api/incomes/{old[1]}/"), 204)
    goal = _goal(client, "Trip")
    contribution = _contribute(client, goal["id"], "75.00")
    _ok(client.delete(f"/api/goals/{goal['id']}/contributions/{contribution['id']}/"), 204)
    budget = next(k for k in replica.state if k[0] == "budget")
    _ok(client.patch(f"/api/budgets/{budget[1]}/", {"amount": "350.00"}, format="json"))
    rule = next(k for k in replica.state if k[0] == "recurring")
    _ok(client.patch(f"/api/recurring/{rule[1]}/", {"active": False}, format="json"))
    tag = next(k for k, v in replica.state.items() if k[0] == "tag" and v["name"] == "work")
    _ok(client.delete(f"/api/tags/{tag[1]}/"), 204)
    gifts = {"name": "Gifts", "kind": "expense"}
    category = _ok(client.post("/api/categories/", gifts, format="json"), 201)
    _ok(client.delete(f"/api/categories/{category['id']}/"), 204)

    changes = replica.sync()
    ops = {(c["type"], c["id"]): c["op"] for c in changes}
    assert ops[("expense", expense["id"])] == "upsert"
    assert ops[old] == "delete"
    assert ops[("contribution", contribution["id"])] == "delete"
    assert ops[("goal", goal["id"])] == "upsert"
    assert ops[budget] == "upsert"
    assert ops[rule] == "upsert"
    assert ops[tag] == "delete"
    assert ops[("category", category["id"])] == "delete"
    assert replica.state == server_state(client)
    # Nothing changed since: an empty answer.
    assert replica.sync() == []


@pytest.mark.django_db
def test_renames_re_emit_what_shows_the_name(alice_client: APIClient) -> None:
    _expense(alice_client, tags=["work"])
    _budget(alice_client)
    replica = Replica(alice_client)
    replica.sync()
    food = next(v for k, v in replica.state.items() if k[0] == "category" and v["name"] == "Food")
    _ok(alice_client.patch(f"/api/categories/{food['id']}/", {"name": "Groceries"}, format="json"))
    work = next(v for k, v in replica.state.items() if k[0] == "tag")
    _ok(alice_client.patch(f"/api/tags/{work['id']}/", {"name": "Office"}, format="json"))
    changes = replica.sync()
    assert {c["type"] for c in changes} == {"category", "tag", "expense", "budget"}
    assert replica.state == server_state(alice_client)
    expense = next(v for k, v in replica.state.items() if k[0] == "expense")
    assert (expense["category"], expense["tags"]) == ("Groceries", ["Office"])


@pytest.mark.django_db
def test_deleting_a_goal_emits_its_contributions_tombstones(alice_client: APIClient) -> None:
    goal = _goal(alice_client)
    first = _contribute(alice_client, goal["id"])
    second = _contribute(alice_client, goal["id"], "-10.00")
    replica = Replica(alice_client)
    replica.sync()
    assert replica.state[("goal", goal["id"])]["saved_amount"] == "40.00"
    _ok(alice_client.delete(f"/api/goals/{goal['id']}/"), 204)
    changes = replica.sync()
    assert {(c["type"], c["id"], c["op"]) for c in changes} == {
        ("goal", goal["id"], "delete"),
        ("contribution", first["id"], "delete"),
        ("contribution", second["id"], "delete"),
    }
    assert replica.state == {}


@pytest.mark.django_db
def test_a_contribution_re_emits_its_goal(alice_client: APIClient) -> None:
    goal = _goal(alice_client)
    replica = Replica(alice_client)
    replica.sync()
    _contribute(alice_client, goal["id"], "25.00")
    changes = replica.sync()
    assert {c["type"] for c in changes} == {"goal", "contribution"}
    assert replica.state[("goal", goal["id"])]["saved_amount"] == "25.00"


@pytest.mark.django_db
@pytest.mark.parametrize("limit", [1, 2, 3, 7])
def test_small_pages_yield_every_change_exactly_once(alice_client: APIClient, limit: int) -> None:
    _everything(alice_client)
    full = Replica(alice_client)
    full.sync()
    paged = Replica(alice_client, limit=limit)
    changes = paged.sync()
    keys = [(c["type"], c["id"]) for c in changes]
    assert len(keys) == len(set(keys)) == len(full.state)
    assert paged.requests == -(-len(keys) // limit)  # has_more looks one change ahead
    assert paged.state == full.state
    for _ in range(3):
        _expense(alice_client)
    assert len(paged.sync()) == 3
    assert paged.state == server_state(alice_client)


@pytest.mark.django_db
def test_each_object_once_per_answer_with_its_latest_state(alice_client: APIClient) -> None:
    replica = Replica(alice_client)
    replica.sync()
    expense = _expense(alice_client)
    for amount in ("1.00", "2.00", "3.00"):
        url = f"/api/expenses/{expense['id']}/"
        _ok(alice_client.patch(url, {"amount": amount}, format="json"))
    changes = replica.sync()
    mine = [c for c in changes if c["type"] == "expense"]
    assert len(mine) == 1
    assert mine[0]["data"]["amount"] == "3.00"


@pytest.mark.django_db
def test_another_users_changes_never_show(alice_client: APIClient, bob_client: APIClient) -> None:
    _everything(bob_client)
    assert _ok(alice_client.get(URL))["changes"] == []
    bob_cursor = _ok(bob_client.get(URL))["cursor"]
    # Bob's cursor is not Alice's: malformed for her.
    assert_problem(alice_client.get(f"{URL}?cursor={bob_cursor}"), 400, errors=["cursor"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=1001", "limit=abc", "limit=1.5", "cursor=garbage", "cursor=a:b:c"],
)
def test_bad_parameters_are_400_naming_them(alice_client: APIClient, query: str) -> None:
    name = query.split("=", 1)[0]
    assert_problem(alice_client.get(f"{URL}?{query}"), 400, errors=[name])


@pytest.mark.django_db
def test_an_edited_cursor_is_400(alice_client: APIClient) -> None:
    _expense(alice_client)
    cursor = _ok(alice_client.get(URL))["cursor"]
    tampered = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
    assert_problem(alice_client.get(f"{URL}?cursor={tampered}"), 400, errors=["cursor"])


@pytest.mark.django_db
def test_purge_keeps_recent_tombstones_and_expires_older_cursors(
    alice: User, alice_client: APIClient
) -> None:
    first = _expense(alice_client)
    second = _expense(alice_client)
    old_cursor = _ok(alice_client.get(URL))["cursor"]
    _ok(alice_client.delete(f"/api/expenses/{first['id']}/"), 204)
    recent_cursor = _ok(alice_client.get(f"{URL}?cursor={old_cursor}"))["cursor"]
    _ok(alice_client.delete(f"/api/expenses/{second['id']}/"), 204)
    # The first tombstone is 91 days old, the second is fresh.
    Change.objects.filter(type="expense", object_id=first["id"]).update(
        changed_at=timezone.now() - timedelta(days=91)
    )
    call_command("purge_changes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Change.objects.filter(type="expense", object_id=first["id"]).exists()
    assert Change.objects.filter(type="expense", object_id=second["id"], deleted=True).exists()
    body = assert_problem(alice_client.get(f"{URL}?cursor={old_cursor}"), 410)
    assert body["type"] == "urn:fintrack:problem:cursor-expired"
    # A cursor given after the purged deletion still works, and sees the fresh one.
    changes = _ok(alice_client.get(f"{URL}?cursor={recent_cursor}"))["changes"]
    assert [(c["id"], c["op"]) for c in changes] == [(second["id"], "delete")]
    # Starting over works.
    replica = Replica(alice_client)
    replica.sync()
    assert replica.state == server_state(alice_client)


def _age_and_purge_tombstones() -> None:
    Change.objects.filter(deleted=True).update(changed_at=timezone.now() - timedelta(days=91))
    call_command("purge_changes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Change.objects.filter(deleted=True).exists()


@pytest.mark.django_db
def test_a_full_sync_in_pages_completes_after_a_purge(alice_client: APIClient) -> None:
    """The pages walk the objects from the oldest change, below what the purge removed: their
    cursors must not be taken for old ones (each next page answered 410, forever)."""
    old = [_expense(alice_client, description=f"old {n}") for n in range(3)]
    gone = _expense(alice_client)
    _ok(alice_client.delete(f"/api/expenses/{gone['id']}/"), 204)
    new = _expense(alice_client, description="new")
    _age_and_purge_tombstones()

    replica = Replica(alice_client, limit=1)
    replica.sync()

    expenses = {key for key in replica.state if key[0] == "expense"}
    assert expenses == {("expense", e["id"]) for e in [*old, new]}
    assert replica.state == server_state(alice_client)
    assert replica.requests == len(replica.state)  # one object a page, each page answered
    # And it goes on from there.
    _ok(alice_client.delete(f"/api/expenses/{old[0]['id']}/"), 204)
    assert [(c["id"], c["op"]) for c in replica.sync()] == [(old[0]["id"], "delete")]
    assert replica.state == server_state(alice_client)


@pytest.mark.django_db
def test_a_full_sync_after_a_purged_last_deletion_gives_a_cursor_that_works(
    alice_client: APIClient,
) -> None:
    kept = _expense(alice_client)
    gone = _expense(alice_client)
    _ok(alice_client.delete(f"/api/expenses/{gone['id']}/"), 204)  # the newest change
    _age_and_purge_tombstones()

    replica = Replica(alice_client)
    replica.sync()

    assert {key for key in replica.state if key[0] == "expense"} == {("expense", kept["id"])}
    assert replica.sync() == []  # 410 before: the cursor was below the purged tombstone
    _ok(alice_client.delete(f"/api/expenses/{kept['id']}/"), 204)
    assert [(c["id"], c["op"]) for c in replica.sync()] == [(kept["id"], "delete")]
    assert replica.state == server_state(alice_client)


@pytest.mark.django_db
def test_a_full_sync_cursor_still_expires_once_its_own_deletions_are_purged(
    alice_client: APIClient,
) -> None:
    """A full sync's cursor is spared only the deletions before it, not those after."""
    first = _expense(alice_client)
    _expense(alice_client)
    cursor = _ok(alice_client.get(URL))["cursor"]
    _ok(alice_client.delete(f"/api/expenses/{first['id']}/"), 204)
    _age_and_purge_tombstones()

    assert_problem(alice_client.get(f"{URL}?cursor={cursor}"), 410)


@pytest.mark.django_db
def test_a_later_purge_never_lowers_what_was_purged(alice: User, alice_client: APIClient) -> None:
    lower, higher = _expense(alice_client), _expense(alice_client)
    _ok(alice_client.delete(f"/api/expenses/{lower['id']}/"), 204)
    _ok(alice_client.delete(f"/api/expenses/{higher['id']}/"), 204)
    tombstones = Change.objects.filter(deleted=True, type="expense")
    ages = {lower["id"]: 100, higher["id"]: 200}  # the higher number is the older, by hand
    for object_id, days in ages.items():
        tombstones.filter(object_id=object_id).update(
            changed_at=timezone.now() - timedelta(days=days)
        )
    highest = tombstones.get(object_id=higher["id"]).seq

    call_command("purge_changes", "--days=150", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("purge_changes", "--days=90", stdout=open("/dev/null", "w"))  # noqa: SIM115

    alice.refresh_from_db()
    assert alice.changes_purged_seq == highest


@pytest.mark.django_db
def test_deleting_the_account_forgets_its_changes(alice: User, alice_client: APIClient) -> None:
    _everything(alice_client)
    assert Change.objects.filter(user_id=alice.pk).exists()
    response = alice_client.post("/api/me/delete/", {"password": DEFAULT_PASSWORD}, format="json")
    assert response.status_code == 204, response.content
    assert not Change.objects.filter(user_id=alice.pk).exists()


@pytest.mark.django_db
def test_a_full_save_of_the_user_never_rolls_the_counter_back(
    alice: User, alice_client: APIClient
) -> None:
    stale = User.objects.get(pk=alice.pk)
    _expense(alice_client)
    bumped = User.objects.get(pk=alice.pk).change_seq
    assert bumped > stale.change_seq
    stale.first_name = "Alice"
    stale.save()
    assert User.objects.get(pk=alice.pk).change_seq == bumped


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_page(
    alice_client: APIClient, django_assert_max_num_queries: Any
) -> None:
    _everything(alice_client)
    for _ in range(20):
        _expense(alice_client, tags=["x"])
    with django_assert_max_num_queries(14):
        _ok(alice_client.get(URL))


def _trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'sync_%%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_every_change_trigger_is_installed() -> None:
    import importlib

    triggers = importlib.import_module("fintrack.sync.migrations.0002_change_triggers")
    assert set(triggers.trigger_names()) <= _trigger_names()


@pytest.mark.django_db
def test_password_reset_and_me_are_not_changes(alice: User, alice_client: APIClient) -> None:
    cursor = _ok(alice_client.get(URL))["cursor"]
    _ok(alice_client.patch("/api/me/", {"currency": "EUR"}, format="json"))
    assert _ok(alice_client.get(f"{URL}?cursor={cursor}"))["changes"] == []


@pytest.mark.django_db
def test_a_full_sync_skips_the_tombstones_of_objects_it_never_had(alice_client: APIClient) -> None:
    kept = _expense(alice_client)
    gone = _expense(alice_client)
    _ok(alice_client.delete(f"/api/expenses/{gone['id']}/"), 204)
    replica = Replica(alice_client)
    replica.sync()
    assert ("expense", kept["id"]) in replica.state
    assert replica.sync() == []  # the old tombstone is not sent after the full sync
