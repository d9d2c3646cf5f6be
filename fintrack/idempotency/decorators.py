"""`@idempotent`: makes a view's create method honour the Idempotency-Key header."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from rest_framework.response import Response

from fintrack.core.api.request import AuthenticatedRequest

from .services import run_idempotently

CreateMethod = Callable[..., Response]


def idempotent(create: CreateMethod) -> CreateMethod:
    """Wrap a create so that a retry with the same key replays the first answer.

    The schema generator (fintrack.core.api.schema) documents the header and the 422 answer of
    every method marked this way.
    """

    @wraps(create)
    def wrapper(self: Any, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> Response:
        return run_idempotently(request, lambda: create(self, request, *args, **kwargs))

    wrapper.idempotent = True  # type: ignore[attr-defined]
    return wrapper
