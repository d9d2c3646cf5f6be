"""Personal access tokens: long-lived, named, scoped credentials for scripts and tools.

Why not django-rest-knox, which also hashes tokens, takes a prefix and expires them: its expiry
is one TTL for every token (ours is chosen per token, or never); its per-user limit leaves out
tokens without an expiry and its authentication deletes an expired token on sight (ours count
until deleted, and answer "expired"); it has no name, scope or last use, and no way to say
"revoked" rather than "invalid". Its model and views would be overridden almost whole, so the
few lines below (a random secret, its SHA-256, one indexed lookup) are the simpler thing.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from fintrack.core.scoping import OwnedModel

NAME_MAX_LENGTH = 100
# "ftp_" and the first 8 characters of the secret: enough to tell tokens apart in a list,
# far too little to guess the rest (the secret carries 256 random bits).
PREFIX_LENGTH = 12


class Scope(models.TextChoices):
    READ = "read", "Read only (GET, HEAD, OPTIONS)"
    READ_WRITE = "read_write", "Read and write"


class PersonalAccessToken(OwnedModel):
    """One token. Only the SHA-256 of its secret is kept: the secret is shown once, at creation.

    A revoked token keeps its row for a while (`revoked_at` set) so that using it answers
    "revoked" rather than "invalid"; it has left the list and no longer counts toward the
    limit. Deleting the account deletes every row by cascade."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="personal_access_tokens",
        db_index=False,  # the (user, revoked_at) index below serves every lookup by user
    )
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    scope = models.CharField(max_length=10, choices=Scope.choices)
    prefix = models.CharField(max_length=PREFIX_LENGTH)
    # Hex SHA-256 of the whole token; unique, so authentication is one indexed lookup.
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The list and the limit count: one user's tokens that are not revoked.
            models.Index(fields=["user", "revoked_at"], name="tokens_pat_user_revoked_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=[scope.value for scope in Scope]),
                name="tokens_pat_scope_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    def is_expired(self, *, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())
