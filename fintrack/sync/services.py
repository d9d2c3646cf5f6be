"""Writes of the sync app: the triggers record changes; these only forget them."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.functions import Greatest
from django.utils import timezone

from fintrack.accounts.models import User

from .models import Change

TOMBSTONE_DAYS = 90


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
