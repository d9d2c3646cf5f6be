"""Serializers of the recurring API: a rule as clients read and write it, and the forecast."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fintrack.core.api.name_field import NameField
from fintrack.core.fields import AmountField, DateField, StrictBooleanField, StrictCharField
from fintrack.ledger.api.serializers import TagNamesField
from fintrack.ledger.models import (
    CATEGORY_NAME_MAX_LENGTH,
    DEFAULT_CATEGORY,
    DESCRIPTION_MAX_LENGTH,
    Kind,
)

from ..models import Frequency, RecurringRule
from ..schedule import MAX_INTERVAL, MIN_INTERVAL

MAX_UPCOMING_DAYS = 366
DEFAULT_UPCOMING_DAYS = 30


class RecurringRuleSerializer(serializers.ModelSerializer):
    """A rule as clients read it."""

    amount = AmountField()
    category = StrictCharField(source="category.name")
    tags = serializers.SerializerMethodField(
        help_text="Tag names in their stored spelling, sorted case-insensitively; the records "
        "the rule creates carry them."
    )

    class Meta:
        model = RecurringRule
        fields = [
            "id",
            "kind",
            "amount",
            "category",
            "description",
            "tags",
            "frequency",
            "interval",
            "start_date",
            "end_date",
            "active",
            "next_date",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "next_date": {
                "help_text": "The first occurrence not yet created; null when the rule has "
                "ended or is paused."
            }
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, rule: RecurringRule) -> list[str]:
        return [tag.name for tag in sorted(rule.tags.all(), key=lambda t: (t.name_key, t.name))]


class RecurringRuleInputSerializer(serializers.Serializer):
    """A rule as clients write it; unknown and read-only fields are ignored."""

    kind = serializers.ChoiceField(choices=Kind.choices)
    amount = AmountField()
    category = NameField(
        max_length=CATEGORY_NAME_MAX_LENGTH,
        required=False,
        help_text="A category name of the rule's kind, any case; created on first use. "
        f'Default "{DEFAULT_CATEGORY}".',
    )
    description = StrictCharField(
        max_length=DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True
    )
    tags = TagNamesField(required=False)
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    interval = serializers.IntegerField(
        min_value=MIN_INTERVAL,
        max_value=MAX_INTERVAL,
        required=False,
        help_text="Every `interval` days, weeks, months or years. Default 1.",
    )
    start_date = DateField(
        help_text="At most 366 days before today (UTC); checked only when it changes."
    )
    end_date = DateField(
        required=False, allow_null=True, help_text="Inclusive; on or after start_date."
    )
    active = StrictBooleanField(
        required=False,
        help_text="false pauses the rule; reactivating skips the occurrences of the pause.",
    )


class UpcomingQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_UPCOMING_DAYS,
        default=DEFAULT_UPCOMING_DAYS,
        help_text="How many days after today (1 to 366, default 30).",
    )


def _money() -> serializers.DecimalField:
    # A forecast's totals may exceed one record's 12 digits (100 rules x 366 days).
    return serializers.DecimalField(max_digits=20, decimal_places=2)


class OccurrenceSerializer(serializers.Serializer):
    recurring_id = serializers.IntegerField()
    date = DateField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    amount = AmountField()
    category = StrictCharField()
    description = StrictCharField()


class UpcomingSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    currency = StrictCharField()
    total_income = _money()
    total_expenses = _money()
    net = _money()
    occurrences = OccurrenceSerializer(many=True)
    truncated = serializers.BooleanField(
        help_text="True when there were more than the 1,000 occurrences listed; the totals "
        "cover them all."
    )
