"""Savings goals and their contributions; the saved amount is always the contributions' sum."""

from django.conf import settings
from django.db import models

from fintrack.core.fields import MoneyField
from fintrack.core.money import MAX_AMOUNT
from fintrack.core.name_keys import KEY_LENGTH_FACTOR, NameKeyField
from fintrack.core.scoping import OwnedModel

GOAL_NAME_MAX_LENGTH = 100
NOTE_MAX_LENGTH = 255


class Goal(OwnedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals"
    )
    name = models.CharField(max_length=GOAL_NAME_MAX_LENGTH)
    name_key = NameKeyField(max_length=GOAL_NAME_MAX_LENGTH * KEY_LENGTH_FACTOR)
    target_amount = MoneyField()
    target_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name_key"], name="goals_goal_name_key_unique"),
            models.CheckConstraint(
                condition=models.Q(target_amount__gt=0) & models.Q(target_amount__lte=MAX_AMOUNT),
                name="goals_goal_target_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Contribution(OwnedModel):
    """A deposit (positive) or a withdrawal (negative) on a goal."""

    owner_field = "goal__user"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="contributions")
    amount = MoneyField()
    date = models.DateField()
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["goal", "date"], name="goals_contribution_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(amount=0)
                & models.Q(amount__gte=-MAX_AMOUNT)
                & models.Q(amount__lte=MAX_AMOUNT),
                name="goals_contribution_amount_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} to {self.goal_id} on {self.date}"
