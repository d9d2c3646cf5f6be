"""Reads on personal access tokens: the user's list, and the token a secret names."""

import hmac

from django.db.models import Count, Max, QuerySet, Sum

from fintrack.accounts.models import User

from .digests import looks_like_token, token_digest
from .models import PersonalAccessToken


def personal_access_tokens_of(*, user: User) -> QuerySet[PersonalAccessToken]:
    """The user's tokens that are not revoked, newest first (expired ones included: they stay
    listed, and counted, until deleted)."""
    return (
        PersonalAccessToken.objects.for_user(user)
        .filter(revoked_at=None)
        .order_by("-created_at", "-id")
    )


def personal_access_tokens_state(*, user: User) -> str:
    """What the user's token list shows that no change counter follows, in one aggregate:
    tokens created, revoked or deleted (their count and ids). Not their use: the contract has
    it that `last_used_at` never changes an ETag (a client revalidating the list would see a
    new one after each of its own requests made with a token)."""
    state = PersonalAccessToken.objects.for_user(user).aggregate(
        count=Count("id"), ids=Sum("id"), revoked=Max("revoked_at")
    )
    return "|".join(str(state[key]) for key in ("count", "ids", "revoked"))


def personal_access_token_for(token: str) -> PersonalAccessToken | None:
    """The token row (revoked or expired too: the caller says which) that this secret names,
    with its user, in one query; None for a secret no row has."""
    if not looks_like_token(token):
        return None
    digest = token_digest(token)
    found = PersonalAccessToken.objects.select_related("user").filter(digest=digest).first()
    # The lookup is by digest (an index cannot compare in constant time); the comparison of what
    # it found is, so that no timing difference tells how much of a digest matched.
    if found is None or not hmac.compare_digest(found.digest, digest):
        return None
    return found
