"""Recurring rules: what to record (kind, amount, category...) and when (a schedule)."""

from django.conf import settings
from django.db import models

from fintrack.core.fields import MoneyField
from fintrack.core.money import MAX_AMOUNT
from fintrack.core.scoping import OwnedModel
from fintrack.ledger.models import DESCRIPTION_MAX_LENGTH, Category, Kind, Tag

from .schedule import DAILY, MAX_INTERVAL, MIN_INTERVAL, MONTHLY, WEEKLY, YEARLY, Schedule

MAX_RULES_PER_USER = 100


class Frequency(models.TextChoices):
    DAILY = DAILY, "Daily"
    WEEKLY = WEEKLY, "Weekly"
    MONTHLY = MONTHLY, "Monthly"
    YEARLY = YEARLY, "Yearly"


class RecurringRule(OwnedModel):
    """An income or expense that the ledger gets on every occurrence of its schedule.

    `next_date` is the first occurrence not yet created (null when the rule has ended or is
    paused); `handled_through` is the day through which every occurrence was created or skipped
    by a pause, so edits of the schedule never create anything on or before it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="recurring_rules",
        db_index=False,  # the due index below starts with the user
    )
    kind = models.CharField(max_length=7, choices=Kind.choices)
    amount = MoneyField()
    # RESTRICT, as for records: a category a rule uses cannot be deleted (409), yet deleting
    # the user deletes both.
    category = models.ForeignKey(
        Category, on_delete=models.RESTRICT, related_name="recurring_rules"
    )
    description = models.CharField(max_length=DESCRIPTION_MAX_LENGTH, blank=True, default="")
    # Links, like the category: a rename shows on the rule; a deleted tag leaves it.
    tags = models.ManyToManyField(Tag, related_name="recurring_rules", blank=True)
    frequency = models.CharField(max_length=7, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(default=1)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    next_date = models.DateField(null=True, blank=True)
    handled_through = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The catch-up's "which of this user's rules are due" and the list's order.
            models.Index(fields=["user", "next_date"], name="recurring_rule_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0) & models.Q(amount__lte=MAX_AMOUNT),
                name="recurring_rule_amount_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="recurring_rule_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(frequency__in=Frequency.values),
                name="recurring_rule_frequency_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(interval__gte=MIN_INTERVAL)
                & models.Q(interval__lte=MAX_INTERVAL),
                name="recurring_rule_interval_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="recurring_rule_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.frequency} from {self.start_date}"

    @property
    def schedule(self) -> Schedule:
        return Schedule(self.frequency, self.interval, self.start_date, self.end_date)
