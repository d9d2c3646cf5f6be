"""Reading the changes feed: the user's change rows after a position, in commit order."""

from dataclasses import dataclass

from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from fintrack.accounts.models import User

from .models import Change

DEFAULT_LIMIT = 500
MAX_LIMIT = 1000


@dataclass(frozen=True)
class Position:
    """Where a client is in its feed: the last change it has, as (counter, change row id).
    Rows written by one statement share a counter value; their ids order them, and they
    committed together, so no later commit can fall behind a position already given out.

    `deletions_through`: the counter up to which the client can miss no deletion whatever its
    position. A full sync starts from nothing, so no deletion before it concerns it; its pages
    still walk the objects from the oldest change, below what the purge removed, and without
    this the next page of a full sync would answer 410 once old tombstones were purged."""

    seq: int
    change_id: int
    deletions_through: int = 0

    @property
    def order(self) -> tuple[int, int]:
        return (self.seq, self.change_id)

    @property
    def complete_through(self) -> int:
        """The counter up to which the client has every change it needs, deletions included."""
        return max(self.seq, self.deletions_through)


START = Position(seq=0, change_id=0)


class CursorExpired(Exception):
    """The position is older than the tombstones still kept: the client must start over."""


@dataclass(frozen=True)
class ChangesPage:
    changes: list[Change]
    position: Position
    has_more: bool


def changes_after(*, user: User, after: Position | None, limit: int) -> ChangesPage:
    """The changes after `after`, at most `limit`, oldest first. Without a position: every
    object the user has now (no tombstones), then whatever changes after it."""
    rows = Change.objects.for_user(user.pk)
    latest = None
    if after is None:
        # Read first: a tombstone committed after it is past the cursor given out below.
        latest = rows.order_by("-seq", "-id").values_list("seq", "id").first()
        rows = rows.filter(deleted=False)
        # The deletions kept or purged so far are of objects this client will never have.
        after = Position(
            seq=0,
            change_id=0,
            deletions_through=max(latest[0] if latest else 0, user.changes_purged_seq),
        )
    elif after.complete_through < user.changes_purged_seq:
        raise CursorExpired
    # A row-value comparison, not `seq > s OR (seq = s AND id > i)`: PostgreSQL starts the
    # feed index's range scan at (user, s, i) with it, while the OR made it read every change
    # of the user from the first and filter (719 ms against 1.8 ms at 1,000,000 changes).
    rows = rows.filter(
        RawSQL(
            '("sync_change"."seq", "sync_change"."id") > (%s, %s)',
            (after.seq, after.change_id),
            output_field=BooleanField(),
        )
    ).order_by("seq", "id")
    page = list(rows[: limit + 1])
    has_more = len(page) > limit
    page = page[:limit]
    position = (
        Position(page[-1].seq, page[-1].pk, deletions_through=after.deletions_through)
        if page
        else after
    )
    if latest is not None and not has_more:
        # A full sync's last page: the tombstones already kept are of objects the client never
        # had; its cursor skips them.
        skipped = Position(*latest, deletions_through=after.deletions_through)
        position = max(position, skipped, key=lambda p: p.order)
    return ChangesPage(changes=page, position=position, has_more=has_more)
