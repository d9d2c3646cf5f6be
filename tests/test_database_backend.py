"""fintrack.core.postgresql: the connection check that costs no round trip (PostgreSQL only).

A reused connection whose server side is gone (PostgreSQL restarted, the backend killed) must
not fail the next request: a read is sent again on a new connection; before a transaction or
a write, the `SELECT 1` still goes first, since those cannot be sent twice.
"""

from collections.abc import Iterator
from unittest import mock

import psycopg
import pytest
from django.db import connection, connections, transaction

from fintrack.accounts.models import User
from fintrack.core.postgresql.base import DatabaseWrapper

from .factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def _server_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _kill(pid: int) -> None:
    """Terminate a server backend from another connection, as a restart would."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def _new_request() -> None:
    """What Django does when a request starts on a kept connection."""
    wrapper = connections["default"]
    assert isinstance(wrapper, DatabaseWrapper)  # fintrack's engine, which types the flag
    wrapper.health_check_done = False


@pytest.fixture
def checks() -> Iterator[mock.Mock]:
    """Counts the `SELECT 1` health checks (Django's is_usable)."""
    with mock.patch.object(
        type(connections["default"]), "is_usable", autospec=True, side_effect=lambda self: True
    ) as is_usable:
        yield is_usable


def test_the_engine_is_fintracks() -> None:
    assert connection.settings_dict["ENGINE"] == "fintrack.core.postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_a_live_connection_is_checked_by_the_first_read_itself(checks) -> None:
    user = UserFactory.create()
    pid = _server_pid()
    _new_request()

    assert User.objects.get(pk=user.pk) == user

    checks.assert_not_called()  # no SELECT 1 round trip
    assert _server_pid() == pid  # the same connection


def test_a_read_on_a_lost_connection_is_sent_again_on_a_new_one() -> None:
    user = UserFactory.create()
    pid = _server_pid()
    _kill(pid)
    _new_request()

    assert User.objects.get(pk=user.pk) == user
    assert _server_pid() != pid


def test_only_the_first_statement_is_sent_again() -> None:
    """Later in the request, a lost connection is an error as it always was."""
    user = UserFactory.create()
    _new_request()
    User.objects.get(pk=user.pk)
    _kill(_server_pid())

    with pytest.raises(Exception, match="terminat|closed|connection"):
        User.objects.get(pk=user.pk)
    connection.close()


def test_a_transaction_on_a_lost_connection_is_checked_first() -> None:
    pid = _server_pid()
    _kill(pid)
    _new_request()

    with transaction.atomic():
        user = UserFactory.create()

    assert User.objects.filter(pk=user.pk).exists()
    assert _server_pid() != pid


def test_a_write_outside_a_transaction_is_checked_first(checks) -> None:
    user = UserFactory.create()
    _new_request()

    User.objects.filter(pk=user.pk).update(currency="EUR")

    checks.assert_called_once()


def test_a_write_on_a_lost_connection_runs_once_on_a_new_one() -> None:
    user = UserFactory.create()
    pid = _server_pid()
    _kill(pid)
    _new_request()

    User.objects.filter(pk=user.pk).update(currency="EUR")

    user.refresh_from_db()
    assert user.currency == "EUR"
    assert _server_pid() != pid
