"""Categories and entries (incomes and expenses share one table, told apart by `kind`)."""

from django.conf import settings
from django.db import models

from fintrack.core.fields import MoneyField
from fintrack.core.money import MAX_AMOUNT
from fintrack.core.name_keys import KEY_LENGTH_FACTOR, NameKeyField
from fintrack.core.scoping import OwnedModel

DEFAULT_CATEGORY = "Uncategorized"
CATEGORY_NAME_MAX_LENGTH = 64
DESCRIPTION_MAX_LENGTH = 255
TAG_NAME_MAX_LENGTH = 32
# A folded name can be longer than the name (the German sharp s folds to "ss", ligatures
# to their letters): about three times leaves room for any fold.
TAG_NAME_KEY_MAX_LENGTH = 3 * TAG_NAME_MAX_LENGTH
MAX_TAGS_PER_ENTRY = 10
EXTERNAL_ID_MAX_LENGTH = 100


class Kind(models.TextChoices):
    INCOME = "income", "Income"
    EXPENSE = "expense", "Expense"


class Category(OwnedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="categories"
    )
    kind = models.CharField(max_length=7, choices=Kind.choices)
    name = models.CharField(max_length=CATEGORY_NAME_MAX_LENGTH)
    # The name's fold_name(): what "the same name in any case" means, on both databases.
    name_key = NameKeyField(max_length=CATEGORY_NAME_MAX_LENGTH * KEY_LENGTH_FACTOR)

    class Meta:
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "name_key"], name="ledger_category_name_key_unique"
            ),
        ]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class Tag(OwnedModel):
    """A label users put on records ("trip-lisbon"); matched by its folded name."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags", db_index=False
    )
    name = models.CharField(max_length=TAG_NAME_MAX_LENGTH)
    # core.names.fold_name(name): both databases compare and enforce uniqueness on it alike.
    name_key = models.CharField(max_length=TAG_NAME_KEY_MAX_LENGTH)

    class Meta:
        ordering = ["name_key", "id"]
        constraints = [
            # Also the index of every lookup by name (the user first).
            models.UniqueConstraint(fields=["user", "name_key"], name="ledger_tag_name_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


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
    tags = models.ManyToManyField(Tag, through="EntryTag", related_name="entries", blank=True)
    # The bank's or the client's own id, compared exactly; unique per user and kind. NULL, not
    # "", for none: the contract answers null, and NULLs never clash in the unique constraint.
    external_id = models.CharField(  # noqa: DJ001
        max_length=EXTERNAL_ID_MAX_LENGTH, null=True, blank=True
    )
    # Provenance, read-only on the wire: the recurring rule or the import that made the record.
    # Deleting the rule keeps its records (recurring_id null).
    recurring = models.ForeignKey(
        "recurring.RecurringRule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="entries",
        db_index=False,  # a partial index below: most records have no rule
    )
    # The import's is a ForeignKey on the column `import_id` (the wire name; `import` is a
    # Python keyword): CASCADE, since an import goes only when previewed or undone, when it
    # has no records.
    source_import = models.ForeignKey(
        "imports.Import",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        db_column="import_id",
        related_name="+",
    )
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
            # A rule's records (set to null when it is deleted).
            models.Index(
                fields=["recurring"],
                condition=models.Q(recurring__isnull=False),
                name="ledger_entry_recurring_idx",
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
            # Partial: records without an external id (most of them) stay out of the index.
            # It is also the index of the external_id filter.
            models.UniqueConstraint(
                fields=["user", "kind", "external_id"],
                condition=models.Q(external_id__isnull=False),
                name="ledger_entry_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} on {self.date}"


class EntryTag(models.Model):
    """A tag on a record (the many-to-many's own table, so bulk creates can write it)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+", db_index=False)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "tag"], name="ledger_entrytag_unique"),
        ]
        indexes = [
            # A tag's records (the tag filter, the record counts of the tags list).
            models.Index(fields=["tag", "entry"], name="ledger_entrytag_tag_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.tag_id} on {self.entry_id}"


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
