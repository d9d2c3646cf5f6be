"""Writes on accounts: registration, profile, password and deletion."""

from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from fintrack.core.errors import Invalid
from fintrack.core.names import fold_name
from fintrack.core.uniqueness import save_unique
from fintrack.sync.services import changes_forget
from fintrack.tokens.services import personal_access_tokens_revoke_all

from .emails import mail_send, password_reset_message
from .models import User

INVALID_RESET_CODE = "This reset code is wrong, already used or expired; ask for a new one."


@transaction.atomic
def user_register(*, username: str, email: str, password: str) -> User:
    """Create a user; the serializer has checked the fields, the database settles races."""
    user = User(username=username, email=User.objects.normalize_email(email))
    user.set_password(password)
    # Two sign-ups racing for one name: the loser gets the same 400 a slower one would.
    save_unique(user.save, field="username", message="This username or email is already taken.")
    return user


@transaction.atomic
def user_update(*, user: User, email: str | None = None, currency: str | None = None) -> User:
    if email is not None:
        user.email = User.objects.normalize_email(email)
    if currency is not None:
        user.currency = currency.upper()
    save_unique(
        lambda: user.save(update_fields=["email", "currency"]),
        field="email",
        message="This email is already taken.",
    )
    return user


def refresh_tokens_revoke(*, user: User) -> None:
    """Blacklist every refresh token issued to the user that is not blacklisted yet."""
    live = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in live], ignore_conflicts=True
    )


def refresh_token_revoke(*, token: RefreshToken) -> None:
    """Blacklist one refresh token (logout); the caller has checked that it is theirs."""
    token.blacklist()


def access_tokens_revoke(*, user: User) -> None:
    """Refuse every JWT issued to the user so far: bump the generation they carry (the
    authentication and the refresh compare it with the user's)."""
    User.objects.filter(pk=user.pk).update(token_generation=F("token_generation") + 1)
    user.refresh_from_db(fields=["token_generation"])


def personal_access_tokens_revoke(*, user: User) -> None:
    """Revoke every personal access token of the user (a password reset does; a password change
    does not, as the contract says)."""
    personal_access_tokens_revoke_all(user=user)


def _password_set(*, user: User, new_password: str) -> None:
    """Set the password and sign every device out: refresh tokens blacklisted, access tokens
    refused. Runs inside the caller's transaction."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    refresh_tokens_revoke(user=user)
    access_tokens_revoke(user=user)


@transaction.atomic
def user_change_password(*, user: User, new_password: str) -> None:
    """Change the password; every earlier refresh and access token stops working (a password
    change leaves personal access tokens alone, as the contract says)."""
    _password_set(user=user, new_password=new_password)


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account for good; every record of it goes by cascade."""
    user_id = user.pk
    with transaction.atomic():
        refresh_tokens_revoke(user=user)
        user.delete()
        changes_forget(user_id=user_id)


def _user_for_reset(email: str) -> User | None:
    """The active user with this email (any case), compared by the same folding as names."""
    wanted = fold_name(email)
    candidates = User.objects.filter(email__iexact=email, is_active=True).order_by("pk")
    return next((user for user in candidates if fold_name(user.email) == wanted), None)


def password_reset_request(*, email: str) -> None:
    """Mail a one-time reset code to the account with this email, if there is one.

    Either way the same work is done in the request (one query, one code computed, one message
    built) and the mail leaves outside it, so neither the answer nor its timing tells whether
    the email has an account. The mail goes to the stored address, never to the typed one.
    """
    email = User.objects.normalize_email(email)
    user = _user_for_reset(email)
    target = user or User(pk=0, email=email, password="!")
    uid = urlsafe_base64_encode(force_bytes(target.pk))
    token = default_token_generator.make_token(target)
    message = password_reset_message(
        username=target.username, to=target.email, uid=uid, token=token
    )
    if user is not None:
        mail_send(message)


def _decode_uid(uid: str) -> int | None:
    try:
        text = urlsafe_base64_decode(uid).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return None
    if not (text.isascii() and text.isdecimal()) or int(text) >= 2**63:
        return None
    return int(text)


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    """Set a new password with a reset code; the code then stops working (it is bound to the
    password hash), and every refresh, access and personal access token of the user dies.

    A wrong, used or expired code: Invalid on `token` (one message, whatever was wrong). A
    password the validators refuse: Invalid on `new_password`, and the code still works.
    """
    pk = _decode_uid(uid)
    # Locked, so two requests with one code cannot both pass the check before either saves.
    user = (
        User.objects.select_for_update().filter(pk=pk, is_active=True).first()
        if pk is not None
        else None
    )
    if user is None or not default_token_generator.check_token(user, token):
        raise Invalid({"token": [INVALID_RESET_CODE]})
    try:
        password_validation.validate_password(new_password, user=user)
    except ValidationError as exc:
        raise Invalid({"new_password": list(exc.messages)}) from exc
    _password_set(user=user, new_password=new_password)
    personal_access_tokens_revoke(user=user)
    return user
