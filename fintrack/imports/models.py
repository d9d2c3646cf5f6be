"""An import of a CSV file and its rows, each with its verdict."""

from django.conf import settings
from django.db import models

from fintrack.core.fields import MoneyField
from fintrack.core.scoping import OwnedModel
from fintrack.ledger.models import (
    CATEGORY_NAME_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    EXTERNAL_ID_MAX_LENGTH,
    Kind,
)


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Previewed"
    COMMITTED = "committed", "Committed"
    UNDONE = "undone", "Undone"


class Verdict(models.TextChoices):
    NEW = "new", "New"
    DUPLICATE = "duplicate", "Duplicate"
    ERROR = "error", "Error"


class Import(OwnedModel):
    """One uploaded file: previewed, then committed (its new rows become records), then
    possibly undone (those records deleted)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    status = models.CharField(
        max_length=9, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    rows = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The list (newest first), the hourly count and the pruning of old previews.
            models.Index(fields=["user", "-created_at", "-id"], name="imports_import_list_idx"),
        ]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"


class ImportRow(models.Model):
    """A data row of an import's file, as it would be created, and its verdict.

    The rows are loaded with one bulk insert so that duplicates are found by one set-based
    query (services.VERDICTS_SQL) rather than a lookup per row.
    """

    batch = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="+", db_index=False)
    line = models.PositiveIntegerField()
    verdict = models.CharField(max_length=9, choices=Verdict.choices)
    # JSON of the field errors of an `error` row; "" otherwise.
    errors = models.TextField(blank=True, default="")
    # The record as it would be created (null on an `error` row).
    kind = models.CharField(max_length=7, choices=Kind.choices, null=True)  # noqa: DJ001
    amount = MoneyField(null=True)  # type: ignore[misc]
    date = models.DateField(null=True)
    category = models.CharField(max_length=CATEGORY_NAME_MAX_LENGTH, blank=True, default="")
    description = models.CharField(max_length=DESCRIPTION_MAX_LENGTH, blank=True, default="")
    # Cleaned tag names joined by ";" (a tag name never holds one).
    tags = models.TextField(blank=True, default="")
    external_id = models.CharField(  # noqa: DJ001
        max_length=EXTERNAL_ID_MAX_LENGTH, null=True, blank=True
    )
    # The existing record this row repeats; null for a row repeating an earlier row of the file.
    duplicate_of = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "line"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "line"], name="imports_importrow_line"),
        ]

    def __str__(self) -> str:
        return f"line {self.line} of import {self.batch_id}: {self.verdict}"
