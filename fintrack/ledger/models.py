"""Categories and entries (incomes and expenses share one table, told apart by `kind`)."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from fintrack.core.fields import MoneyField
from fintrack.core.money import MAX_AMOUNT
from fintrack.core.scoping import OwnedModel

DEFAULT_CATEGORY = "Uncategorized"
CATEGORY_NAME_MAX_LENGTH = 64
DESCRIPTION_MAX_LENGTH = 255


class Kind(models.TextChoices):
    INCOME = "income", "Income"
    EXPENSE = "expense", "Expense"


class Category(OwnedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="categories"
    )
    kind = models.CharField(max_length=7, choices=Kind.choices)
    name = models.CharField(max_length=CATEGORY_NAME_MAX_LENGTH)

    class Meta:
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                "user", "kind", Lower("name"), name="ledger_category_name_ci_unique"
            ),
        ]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class Entry(OwnedModel):
    """One income or expense. A single table, so that a summary of both kinds is one scan."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="entries",
        db_index=False,  # the list index below starts with the user
    )
    kind = models.CharField(max_length=7, choices=Kind.choices)
    amount = MoneyField()
    date = models.DateField()
    # RESTRICT: a category in use cannot be deleted on its own (the API answers 409), yet
    # deleting the user deletes both (PROTECT would block the account deletion).
    category = models.ForeignKey(Category, on_delete=models.RESTRICT, related_name="entries")
    description = models.CharField(max_length=DESCRIPTION_MAX_LENGTH, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "entries"
        indexes = [
            # Lists: one kind of one user, newest first (the default order). The amount, last,
            # makes the list's count and total an index-only scan: half the time of reading
            # the rows at 1,000,000 records (docs/benchmarks.md). A key column, not INCLUDE,
            # which SQLite would refuse with a warning.
            models.Index(
                fields=["user", "kind", "-date", "-id", "amount"], name="ledger_entry_list_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0) & models.Q(amount__lte=MAX_AMOUNT),
                name="ledger_entry_amount_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="ledger_entry_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} on {self.date}"


class DailyTotal(OwnedModel):
    """The sum and count of one user's entries per day, kind and category.

    Summaries and trends read these instead of the entries, so their cost follows the days in
    the period, not the records in it. Database triggers (migration 0002) keep the rows
    exact on every insert, update and delete of an entry, however it is written (the ORM, a
    bulk load, COPY); a row whose count falls to zero is deleted.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    date = models.DateField()
    kind = models.CharField(max_length=7, choices=Kind.choices)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    total = MoneyField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            # The key the triggers upsert on, and the index every summary range-scans.
            models.UniqueConstraint(
                fields=["user", "date", "kind", "category"], name="ledger_dailytotal_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.total} ({self.count}) on {self.date}"
