"""Serializers of the accounts API: input validation and the profile's shape."""

from typing import Any

import pycountry
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from fintrack.core.fields import StrictCharField, StrictEmailField
from fintrack.core.names import fold_name

from ..models import User
from ..tokens import GenerationRefreshToken, RefreshToken, token_generation_of


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(list(exc.messages)) from exc


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "email", "currency", "date_joined"]
        read_only_fields = fields


# The profile's date_joined, formatted by the very field ProfileSerializer builds for it.
_DATE_JOINED = serializers.DateTimeField(read_only=True)


def profile_representation(user: User) -> dict[str, Any]:
    """ProfileSerializer(user).data, without building the serializer: a ModelSerializer
    inspects the model and builds its fields anew on every instance, a fifth of a GET
    /api/me/ (`make bench-profile SCENARIO=me`). tests/test_me_api.py holds the two equal."""
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "currency": user.currency,
        "date_joined": _DATE_JOINED.to_representation(user.date_joined),
    }


class RegisterSerializer(serializers.Serializer):
    username = StrictCharField(max_length=150, validators=[UnicodeUsernameValidator()])
    email = StrictEmailField(max_length=254)
    password = StrictCharField(write_only=True, max_length=128, trim_whitespace=False)

    def validate_username(self, value: str) -> str:
        if User.objects.filter(username_key=fold_name(value)).exists():
            raise serializers.ValidationError("This username is already taken.")
        return value

    def validate_email(self, value: str) -> str:
        if User.objects.filter(email__iexact=value).exists():
            raise serializers.ValidationError("This email is already taken.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        candidate = User(username=attrs["username"], email=attrs["email"])
        try:
            _check_password(attrs["password"], candidate)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"password": exc.detail}) from exc
        return attrs


class ProfileUpdateSerializer(serializers.Serializer):
    email = StrictEmailField(max_length=254, required=False)
    currency = StrictCharField(min_length=3, max_length=3, required=False)

    def validate_email(self, value: str) -> str:
        others = User.objects.exclude(pk=self.context["request"].user.pk)
        if others.filter(email__iexact=value).exists():
            raise serializers.ValidationError("This email is already taken.")
        return value

    def validate_currency(self, value: str) -> str:
        code = value.upper()
        if pycountry.currencies.get(alpha_3=code) is None:
            raise serializers.ValidationError(f'"{value}" is not an ISO 4217 currency code.')
        return code


class PasswordChangeSerializer(serializers.Serializer):
    old_password = StrictCharField(write_only=True, trim_whitespace=False)
    new_password = StrictCharField(write_only=True, max_length=128, trim_whitespace=False)

    def validate_old_password(self, value: str) -> str:
        if not self.context["request"].user.check_password(value):
            raise serializers.ValidationError("The current password is wrong.")
        return value

    def validate_new_password(self, value: str) -> str:
        _check_password(value, self.context["request"].user)
        return value


class PasswordConfirmSerializer(serializers.Serializer):
    password = StrictCharField(write_only=True, trim_whitespace=False)

    def validate_password(self, value: str) -> str:
        if not self.context["request"].user.check_password(value):
            raise serializers.ValidationError("The password is wrong.")
        return value


class PasswordResetRequestSerializer(serializers.Serializer):
    email = StrictEmailField(max_length=254)


class PasswordResetAcceptedSerializer(serializers.Serializer):
    """The one answer of a reset request, whatever the email."""

    detail = StrictCharField()


class PasswordResetConfirmSerializer(serializers.Serializer):
    """The code from the reset mail and the new password (checked by the service, which knows
    the user the validators compare it with)."""

    uid = StrictCharField(max_length=64)
    token = StrictCharField(max_length=128)
    new_password = StrictCharField(write_only=True, max_length=128, trim_whitespace=False)


class RefreshTokenSerializer(serializers.Serializer):
    """A refresh token that must be valid and belong to the caller (for logout)."""

    refresh = StrictCharField()

    def validate_refresh(self, value: str) -> RefreshToken:
        try:
            token = RefreshToken(value)  # type: ignore[arg-type]
        except TokenError as exc:
            raise serializers.ValidationError("The refresh token is invalid or expired.") from exc
        owner = str(token.payload.get(jwt_settings.USER_ID_CLAIM))
        if owner != str(self.context["request"].user.pk):
            raise serializers.ValidationError("The refresh token is invalid or expired.")
        return token


class TokenPairSerializer(serializers.Serializer):
    """The answer of the token endpoints (for the schema)."""

    access = StrictCharField()
    refresh = StrictCharField()


class TokenObtainSerializer(jwt_serializers.TokenObtainPairSerializer):
    """simplejwt's sign-in, issuing tokens that carry the user's token generation, with a
    username and password that must be JSON strings."""

    token_class = GenerationRefreshToken

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.username_field] = StrictCharField(write_only=True)
        self.fields["password"] = StrictCharField(
            write_only=True, trim_whitespace=False, style={"input_type": "password"}
        )


class TokenRefreshSerializer(jwt_serializers.TokenRefreshSerializer):
    """simplejwt's refresh, rotating each refresh token exactly once.

    The old token is blacklisted by an insert the database keeps unique: of concurrent
    refreshes with one token, only the one whose insert created the row gets a new pair. A
    deleted or deactivated user's token is a 401, and so is a token from before the user's last
    password change or reset.
    """

    token_class = GenerationRefreshToken

    refresh = StrictCharField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        refresh = self.token_class(attrs["refresh"])
        user_id = refresh.payload[jwt_settings.USER_ID_CLAIM]
        user = User.objects.filter(pk=int(user_id)).first()
        if user is None or not jwt_settings.USER_AUTHENTICATION_RULE(user):
            raise AuthenticationFailed(
                "No active account found for the given token.", code="no_active_account"
            )
        if token_generation_of(refresh.payload) != user.token_generation:
            raise TokenError("Token is no longer valid: the password has changed since.")
        # simplejwt's stubs type blacklist() as the token; it returns get_or_create's pair.
        created: bool
        _, created = refresh.blacklist()  # type: ignore[misc]
        if not created:  # a concurrent refresh with this token won
            raise InvalidToken("Token is blacklisted")
        data = {"access": str(refresh.access_token)}
        refresh.set_jti()
        refresh.set_exp()
        refresh.set_iat()
        refresh.outstand()
        data["refresh"] = str(refresh)
        return data
