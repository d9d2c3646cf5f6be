"""Writes of the sync app: the triggers record changes; these only forget them."""

from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.functions import Greatest
from django.utils import timezone

from fintrack.accounts.models import User

from .models import Change

TOMBSTONE_DAYS = 90


def user_writes_lock(user_id: int) -> None:
    """Lock the user's row for the rest of the transaction, before the first read a write
    depends on (PostgreSQL; SQLite has one writer at a time).

    The change triggers take this lock anyway, but only when the first row of the user's is
    written: by then a record create has looked its category and tags up by name, and a rename
    or delete has locked the category or tag row. Taken first by every write that touches a
    category or tag, one user's writes run one after the other in one order: a delete sees the
    record created meanwhile (409, or the tag leaves it), a create finds the category a delete
    left (or makes it again), and a rename and a create no longer deadlock on the category row
    against the user's. The transaction-local setting is the triggers' own: they skip it then.
    """
    if connection.vendor != "postgresql":
        return
    # Once per transaction: a no-op commit hook marks it held (Django drops the hooks of a
    # transaction or savepoint rolled back, and PostgreSQL the locks taken in it).
    held = [entry[1] for entry in connection.run_on_commit]  # (savepoints, hook, robust)
    if any(getattr(hook, "fintrack_locked_user", None) == user_id for hook in held):
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('fintrack.locked_user', %s, true) FROM accounts_user "
            "WHERE id = %s FOR NO KEY UPDATE",
            [str(user_id), user_id],
        )
    if connection.in_atomic_block:

        def lock_held() -> None:
            pass

        lock_held.fintrack_locked_user = user_id  # type: ignore[attr-defined]
        transaction.on_commit(lock_held)


@transaction.atomic
def tombstones_purge(*, older_than_days: int = TOMBSTONE_DAYS) -> int:
    """Delete the tombstones older than that many days; remember, per user, the highest
    change number removed, so that a cursor from before it answers 410 instead of silently
    missing a deletion. Set-based: two UPDATE/DELETE statements whatever the number of rows."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    old = Change.objects.filter(deleted=True, changed_at__lt=cutoff)
    highest = old.filter(user_id=OuterRef("pk")).order_by().values("user_id").annotate(m=Max("seq"))
    # Never lowered: an earlier purge may have removed higher numbers than this one does.
    User.objects.filter(pk__in=old.values("user_id")).update(
        changes_purged_seq=Greatest(F("changes_purged_seq"), Subquery(highest.values("m")[:1]))
    )
    deleted, _ = old.delete()
    return deleted


def changes_forget(*, user_id: int) -> None:
    """The change rows of a deleted account (no foreign key: see the model)."""
    Change.objects.filter(user_id=user_id).delete()
