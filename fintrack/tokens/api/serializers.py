"""Serializers of the tokens API: a token as listed, as created (with its secret), and the
body of a create."""

from rest_framework import serializers

from fintrack.core.fields import StrictCharField, StrictIntegerField

from ..models import NAME_MAX_LENGTH, PersonalAccessToken, Scope
from ..services import DEFAULT_EXPIRES_IN_DAYS, MAX_EXPIRES_IN_DAYS, MIN_EXPIRES_IN_DAYS


class PersonalAccessTokenSerializer(serializers.ModelSerializer):
    """A token as the list shows it: never its secret, only its first characters."""

    prefix = serializers.CharField(
        read_only=True, help_text="The token's first characters, to tell it apart."
    )
    expires_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="null: never expires."
    )
    last_used_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="Written at most once a minute; null: never used.",
    )

    class Meta:
        model = PersonalAccessToken
        fields = ["id", "name", "scope", "prefix", "created_at", "expires_at", "last_used_at"]
        read_only_fields = fields


class PersonalAccessTokenCreatedSerializer(PersonalAccessTokenSerializer):
    """A new token: its list fields and, this once, the token itself (the view adds it: the
    row does not hold it)."""

    token = serializers.CharField(
        read_only=True, help_text="The token, `ftp_...`: shown this once, store it now."
    )

    class Meta(PersonalAccessTokenSerializer.Meta):
        fields = [*PersonalAccessTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class PersonalAccessTokenCreateSerializer(serializers.Serializer):
    """The body of `POST /api/tokens/`."""

    name = StrictCharField(
        max_length=NAME_MAX_LENGTH, help_text="What the token is for, e.g. a script's name."
    )
    scope = serializers.ChoiceField(
        choices=Scope.choices,
        help_text="`read`: GET, HEAD and OPTIONS only; `read_write`: every method.",
    )
    expires_in_days = StrictIntegerField(
        min_value=MIN_EXPIRES_IN_DAYS,
        max_value=MAX_EXPIRES_IN_DAYS,
        allow_null=True,
        default=DEFAULT_EXPIRES_IN_DAYS,
        help_text=f"{MIN_EXPIRES_IN_DAYS} to {MAX_EXPIRES_IN_DAYS}; default "
        f"{DEFAULT_EXPIRES_IN_DAYS}; null: never expires.",
    )
