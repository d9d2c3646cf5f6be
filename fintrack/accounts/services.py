"""Writes on accounts: registration, profile, password and deletion."""

from django.db import IntegrityError, transaction
from rest_framework.exceptions import ValidationError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from .models import User


@transaction.atomic
def user_register(*, username: str, email: str, password: str) -> User:
    """Create a user; the serializer has checked the fields, the database settles races."""
    user = User(username=username, email=User.objects.normalize_email(email))
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        # Two sign-ups racing for one name: the loser gets the same 400 a slower one would.
        raise ValidationError({"username": ["This username or email is already taken."]}) from exc
    return user


@transaction.atomic
def user_update(*, user: User, email: str | None = None, currency: str | None = None) -> User:
    if email is not None:
        user.email = User.objects.normalize_email(email)
    if currency is not None:
        user.currency = currency.upper()
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "currency"])
    except IntegrityError as exc:
        raise ValidationError({"email": ["This email is already taken."]}) from exc
    return user


def refresh_tokens_revoke(*, user: User) -> None:
    """Blacklist every refresh token issued to the user that is not blacklisted yet."""
    live = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in live], ignore_conflicts=True
    )


@transaction.atomic
def user_change_password(*, user: User, new_password: str) -> None:
    user.set_password(new_password)
    user.save(update_fields=["password"])
    refresh_tokens_revoke(user=user)


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account for good; every record of it goes by cascade."""
    refresh_tokens_revoke(user=user)
    user.delete()
