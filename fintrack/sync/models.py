"""What changed in each user's data, one row per object: written only by database triggers.

Why triggers: a change must be recorded whatever path writes the row (a service, a bulk
insert, an import, the ORM's cascades, SQL in a migration), in the same transaction as the
write. Why one row per object (upserted): the feed answers each object's latest state once,
and a tombstone is just the row of a deleted object.

Why a per-user counter on the user row rather than a sequence: numbers taken from a sequence
at insert can commit out of order (a transaction that took 10 commits after one that took 11),
so a reader who has seen 11 would never see 10. The triggers bump `accounts_user.change_seq`
first, which locks the user's row until the transaction ends: two transactions of one user that
write are serialized, and their changes are numbered in commit order. (SQLite has one writer at
a time anyway.) Rows written by one statement share its number; the change row's id breaks the
tie in the cursor, and they all commit together.
"""

from django.db import models

from fintrack.core.scoping import OwnedModel


class ChangeType(models.TextChoices):
    INCOME = "income"
    EXPENSE = "expense"
    CATEGORY = "category"
    TAG = "tag"
    GOAL = "goal"
    CONTRIBUTION = "contribution"
    BUDGET = "budget"
    RECURRING = "recurring"


class Change(OwnedModel):
    owner_field = "user_id"

    # A plain column, not a foreign key: while an account is deleted, the cascade's own
    # deletions fire the triggers, which record changes of a user about to go; the account
    # service deletes them last (fintrack.sync.services.changes_forget).
    user_id = models.BigIntegerField()
    type = models.CharField(max_length=12, choices=ChangeType.choices)
    object_id = models.BigIntegerField()
    seq = models.BigIntegerField()
    deleted = models.BooleanField(default=False)
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "type", "object_id"], name="sync_change_object_unique"
            ),
        ]
        indexes = [
            # The feed: the user's changes after a cursor, in order.
            models.Index(fields=["user_id", "seq", "id"], name="sync_change_feed_idx"),
            # The purge: old tombstones.
            models.Index(
                fields=["changed_at"],
                condition=models.Q(deleted=True),
                name="sync_change_tombstone_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.object_id} @{self.seq}"
