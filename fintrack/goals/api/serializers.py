"""Serializers of the goals API."""

from decimal import Decimal
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from fintrack.core.api.name_field import NameField
from fintrack.core.fields import (
    AmountField,
    DateField,
    PercentField,
    SignedAmountField,
    StrictCharField,
)

from ..models import GOAL_NAME_MAX_LENGTH, NOTE_MAX_LENGTH, Contribution, Goal
from ..selectors import goal_progress_of


class GoalSerializer(serializers.ModelSerializer):
    """A goal with its progress, which the selector computes from the annotated saved amount."""

    name = NameField(max_length=GOAL_NAME_MAX_LENGTH)
    target_amount = AmountField()
    target_date = DateField(required=False, allow_null=True)
    saved_amount = AmountField(read_only=True, min_value=None)
    remaining_amount = AmountField(read_only=True, min_value=None)
    progress_percent = PercentField(allow_null=False)
    is_achieved = serializers.BooleanField(read_only=True)
    monthly_required = AmountField(read_only=True, allow_null=True, min_value=None)

    class Meta:
        model = Goal
        fields = [
            "id",
            "name",
            "target_amount",
            "target_date",
            "saved_amount",
            "remaining_amount",
            "progress_percent",
            "is_achieved",
            "monthly_required",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def to_representation(self, instance: Goal) -> dict[str, Any]:
        stored = super().to_representation(instance)
        progress = goal_progress_of(goal=instance, today=timezone.now().date())
        derived = {
            name: None if value is None else self.fields[name].to_representation(value)
            for name, value in vars(progress).items()
        }
        return {
            name: derived[name] if name in derived else stored[name] for name in self.Meta.fields
        }


class ContributionSerializer(serializers.ModelSerializer):
    amount = SignedAmountField(
        help_text="Positive for a deposit, negative for a withdrawal; never zero."
    )
    date = DateField(required=False, help_text="Defaults to today (UTC).")
    note = StrictCharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True)

    class Meta:
        model = Contribution
        fields = ["id", "amount", "date", "note"]

    def validate_amount(self, value: Decimal) -> Decimal:
        if value == 0:
            raise serializers.ValidationError("A contribution cannot be zero.")
        return value
