"""The changes feed under concurrent writes of one user: a reader that follows the cursors
while writers commit in parallel ends with exactly the server's state, every time.

The hazard: numbers given out at insert can commit out of order, so a reader that saw 11
would never see 10. Real concurrency needs real connections, so this runs on PostgreSQL only.
"""

import threading

import pytest
from django.db import connection

from .conftest import client_for
from .factories import UserFactory
from .test_changes_api import Replica, server_state

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: concurrent transactions on real connections "
        "(set DATABASE_URL=postgres://...)",
    ),
]

ROUNDS = 5
WRITERS = 4
WRITES = 6


def _writer(user_id: int, index: int, failures: list[str]) -> None:
    from fintrack.accounts.models import User

    client = client_for(User.objects.get(pk=user_id))
    try:
        for step in range(WRITES):
            body = {
                "amount": f"{index + 1}.{step:02d}",
                "date": "2026-11-20",
                "category": f"Cat {step % 2}",
                "tags": [f"t{index}", "shared"],
            }
            created = client.post("/api/expenses/", body, format="json")
            if created.status_code != 201:
                failures.append(f"create {created.status_code} {created.content!r}")
                continue
            record = created.json()["id"]
            if step % 2:
                patched = client.patch(
                    f"/api/expenses/{record}/", {"description": f"w{index}s{step}"}, format="json"
                )
                if patched.status_code != 200:
                    failures.append(f"patch {patched.status_code}")
            if step % 3 == 2:
                deleted = client.delete(f"/api/expenses/{record}/")
                if deleted.status_code != 204:
                    failures.append(f"delete {deleted.status_code}")
    finally:
        connection.close()


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_a_reader_following_cursors_during_writes_ends_with_the_servers_state(
    round_: int,
) -> None:
    user = UserFactory.create()
    reader_client = client_for(user)
    replica = Replica(reader_client, limit=3)
    replica.sync()
    failures: list[str] = []
    writers = [
        threading.Thread(target=_writer, args=(user.pk, index, failures))
        for index in range(WRITERS)
    ]
    for thread in writers:
        thread.start()
    while any(thread.is_alive() for thread in writers):
        replica.sync()
    for thread in writers:
        thread.join(timeout=60)
    assert failures == []
    replica.sync()
    assert replica.state == server_state(reader_client)
    assert sum(1 for kind, _ in replica.state if kind == "expense") == WRITERS * (WRITES - 2)
