"""Serializers of the accounts API: input validation and the profile's shape."""

from typing import Any

import pycountry
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken

from ..models import User


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


class RegisterSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, validators=[UnicodeUsernameValidator()])
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=128, trim_whitespace=False)

    def validate_username(self, value: str) -> str:
        if User.objects.filter(username__iexact=value).exists():
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
    email = serializers.EmailField(max_length=254, required=False)
    currency = serializers.CharField(min_length=3, max_length=3, required=False)

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
    old_password = serializers.CharField(write_only=True, trim_whitespace=False)
    new_password = serializers.CharField(write_only=True, max_length=128, trim_whitespace=False)

    def validate_old_password(self, value: str) -> str:
        if not self.context["request"].user.check_password(value):
            raise serializers.ValidationError("The current password is wrong.")
        return value

    def validate_new_password(self, value: str) -> str:
        _check_password(value, self.context["request"].user)
        return value


class PasswordConfirmSerializer(serializers.Serializer):
    password = serializers.CharField(write_only=True, trim_whitespace=False)

    def validate_password(self, value: str) -> str:
        if not self.context["request"].user.check_password(value):
            raise serializers.ValidationError("The password is wrong.")
        return value


class RefreshTokenSerializer(serializers.Serializer):
    """A refresh token that must be valid and belong to the caller (for logout)."""

    refresh = serializers.CharField()

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

    access = serializers.CharField()
    refresh = serializers.CharField()


class TokenRefreshSerializer(jwt_serializers.TokenRefreshSerializer):
    """simplejwt's refresh, with a deleted user's token refused (401) instead of a crash."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        try:
            return super().validate(attrs)
        except User.DoesNotExist as exc:
            raise AuthenticationFailed(
                "No active account found for the given token.", code="no_active_account"
            ) from exc
