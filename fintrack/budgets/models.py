"""Budgets: a monthly cap on one expense category over a range of months."""

from django.conf import settings
from django.db import models

from fintrack.core.fields import MoneyField
from fintrack.core.money import MAX_AMOUNT
from fintrack.core.scoping import OwnedModel
from fintrack.ledger.models import Category


class Budget(OwnedModel):
    """`amount` a month for `category`, from `start_month` to `end_month` (each stored as the
    first day of its month; no end: open-ended). Budgets of one category never overlap."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="budgets", db_index=False
    )
    # RESTRICT: a category a budget uses cannot be deleted on its own (409), yet deleting the
    # user deletes both, as for records.
    category = models.ForeignKey(Category, on_delete=models.RESTRICT, related_name="budgets")
    amount = MoneyField()
    start_month = models.DateField()
    end_month = models.DateField(null=True, blank=True)
    rollover = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category__name", "start_month", "id"]
        indexes = [
            # The budgets active in a month: one user's, by their first month.
            models.Index(fields=["user", "start_month"], name="budgets_budget_user_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0) & models.Q(amount__lte=MAX_AMOUNT),
                name="budgets_budget_amount_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(end_month__isnull=True)
                | models.Q(end_month__gte=models.F("start_month")),
                name="budgets_budget_months_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} a month on {self.category_id} from {self.start_month}"
