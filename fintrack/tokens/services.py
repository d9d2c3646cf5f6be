"""Writes on personal access tokens: create, revoke (one or all), and the last-use stamp."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from fintrack.accounts.models import User
from fintrack.core.errors import Invalid

from .digests import new_token, token_digest
from .models import PREFIX_LENGTH, PersonalAccessToken

MAX_TOKENS_PER_USER = 20
MIN_EXPIRES_IN_DAYS = 1
MAX_EXPIRES_IN_DAYS = 365
DEFAULT_EXPIRES_IN_DAYS = 90
# last_used_at is written at most once in this span: a script making many requests a second
# must not turn each of them into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# How long a revoked token's row is kept so that it answers "revoked" (after that, "invalid",
# like any unknown token); the rows are cleared when the user next creates a token.
REVOKED_KEPT = timedelta(days=30)


@dataclass(frozen=True)
class CreatedToken:
    """A new token's row, and its secret: the only time the secret exists outside the client."""

    token: PersonalAccessToken
    secret: str


@transaction.atomic
def personal_access_token_create(
    *, user: User, name: str, scope: str, expires_in_days: int | None
) -> CreatedToken:
    """A token for the user: `expires_in_days` 1 to 365, or None for one that never expires.

    At most MAX_TOKENS_PER_USER tokens that are not revoked (expired ones count until they are
    deleted): Invalid beyond."""
    if expires_in_days is not None and not (
        MIN_EXPIRES_IN_DAYS <= expires_in_days <= MAX_EXPIRES_IN_DAYS
    ):
        raise Invalid(
            {
                "expires_in_days": [
                    f"Give a number of days from {MIN_EXPIRES_IN_DAYS} to {MAX_EXPIRES_IN_DAYS}, "
                    "or null for a token that never expires."
                ]
            }
        )
    # Lock the user row: two concurrent creates take turns, so neither misses the other when
    # counting (SQLite serializes writers anyway).
    User.objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    owned = PersonalAccessToken.objects.for_user(user)
    owned.filter(revoked_at__lt=now - REVOKED_KEPT).delete()
    if owned.filter(revoked_at=None).count() >= MAX_TOKENS_PER_USER:
        raise Invalid(
            {
                "non_field_errors": [
                    f"You already have {MAX_TOKENS_PER_USER} personal access tokens (expired "
                    "ones count until deleted); delete one first."
                ]
            }
        )
    secret = new_token()
    token = PersonalAccessToken(
        user=user,
        name=name,
        scope=scope,
        prefix=secret[:PREFIX_LENGTH],
        digest=token_digest(secret),
        created_at=now,
        expires_at=None if expires_in_days is None else now + timedelta(days=expires_in_days),
    )
    token.full_clean()
    token.save()
    return CreatedToken(token=token, secret=secret)


def personal_access_token_revoke(*, token: PersonalAccessToken) -> None:
    """Revoke one token: it stops working at once and leaves the list and the count."""
    PersonalAccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def personal_access_tokens_revoke_all(*, user: User) -> None:
    """Revoke every token of the user (a password reset)."""
    PersonalAccessToken.objects.for_user(user).filter(revoked_at=None).update(
        revoked_at=timezone.now()
    )


def personal_access_token_touch(*, token: PersonalAccessToken, now: datetime) -> None:
    """Stamp the token's last use, at most once per LAST_USED_RESOLUTION.

    The row loaded by authentication tells whether a stamp is due, so most requests write
    nothing; when one is, a single conditional UPDATE writes it (no read-modify-write), so
    concurrent requests of one token write it once. Outside any transaction of the request's:
    the project does not run requests atomically, and the stamp is not part of their writes."""
    cutoff = now - LAST_USED_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > cutoff:
        return
    stamped = (
        PersonalAccessToken.objects.filter(pk=token.pk)
        .exclude(last_used_at__gt=cutoff)
        .update(last_used_at=now)
    )
    if stamped:
        token.last_used_at = now
