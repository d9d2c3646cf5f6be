"""Routing: an id path converter that refuses what no row can hold, and the router using it.

An id beyond a 64-bit integer cannot name a row on either database, and SQLite raises
OverflowError (a 500) when one reaches a query. The converter makes such a path no match at
all, so it is the same 404 as any unknown address, in every path position.
"""

from django.urls import register_converter
from rest_framework.routers import SimpleRouter

MAX_ID = 2**63 - 1  # BigAutoField's upper bound on both databases


class IdConverter:
    """A positive database id: 1 to 19 ASCII digits, at most MAX_ID."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError(value)  # the resolver then tries the next pattern: a 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


register_converter(IdConverter, "id")


class IdRouter(SimpleRouter):
    """A SimpleRouter whose detail routes take `<id:pk>`."""

    def __init__(self) -> None:
        super().__init__(use_regex_path=False)

    def get_lookup_regex(self, viewset: object, lookup_prefix: str = "") -> str:
        lookup_field = getattr(viewset, "lookup_field", "pk")
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        return f"<id:{lookup_prefix}{lookup_url_kwarg}>"
