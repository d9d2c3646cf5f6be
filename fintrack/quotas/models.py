"""One use of a user's quota: the time an import or an export was accepted."""

from django.conf import settings
from django.db import models

from fintrack.core.scoping import OwnedModel

SCOPE_MAX_LENGTH = 32


class QuotaUse(OwnedModel):
    """A use that counts while it is younger than its quota's window.

    Not in the change feed (fintrack.sync): a use is bookkeeping, not the user's data. The uses
    that left the window are deleted when the user next uses the quota, so a user keeps at most
    a window's worth of rows per quota; deleting the account deletes them by cascade."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the (user, scope, used_at) index below serves every lookup by user
    )
    # The quota: the name of its rate in DEFAULT_THROTTLE_RATES ("import", "export").
    scope = models.CharField(max_length=SCOPE_MAX_LENGTH)
    used_at = models.DateTimeField()

    class Meta:
        indexes = [
            # The count over the window, its oldest use, and the deletion of older ones.
            models.Index(fields=["user", "scope", "used_at"], name="quotas_use_window_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} by {self.user_id} at {self.used_at:%Y-%m-%dT%H:%M:%S}"
