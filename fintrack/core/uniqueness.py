"""One way to save a row that must be unique: check first, then let the database settle races."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from .errors import Invalid

T = TypeVar("T")


def save_unique(
    save: Callable[[], T], *, field: str, message: str, clash: QuerySet[Any] | None = None
) -> T:
    """Run `save` in a savepoint; a clash is `Invalid({field: [message]})`.

    `clash`, when given, is the rows the save would collide with: checked first, so the usual
    case answers without a failed statement. A concurrent request can still take the value
    between check and save; the unique constraint then raises IntegrityError, which the
    savepoint confines, and the loser gets the same 400 a slower request would.
    """
    if clash is not None and clash.exists():
        raise Invalid({field: [message]})
    try:
        with transaction.atomic():
            return save()
    except IntegrityError as exc:
        raise Invalid({field: [message]}) from exc
