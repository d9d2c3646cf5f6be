"""Reads of imports: a user's imports and the rows of one."""

from django.db.models import QuerySet

from fintrack.accounts.models import User

from .models import Import, ImportRow


def imports_of(*, user: User) -> QuerySet[Import]:
    return Import.objects.for_user(user).order_by("-created_at", "-id")


def import_rows(*, batch: Import, verdict: str | None = None) -> QuerySet[ImportRow]:
    rows = ImportRow.objects.filter(batch=batch).order_by("line")
    return rows if verdict is None else rows.filter(verdict=verdict)
