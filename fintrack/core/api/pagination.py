"""Page-number pagination as the contract defines it: strict parameters, one count query."""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class PrecountedPaginator(Paginator):
    """Django's paginator, told the count up front when a caller already has it."""

    def __init__(self, object_list: Any, per_page: int, *, count: int | None = None) -> None:
        super().__init__(object_list, per_page)
        if count is not None:
            self.__dict__["count"] = count  # fills the cached_property: no COUNT(*) query


class StandardPagination(PageNumberPagination):
    """`?page=N&page_size=M`: M defaults to 50 and is clamped to 500; a page past the end is
    a 404, and a value that is no positive whole number a 400 naming its parameter."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()

    def paginate_queryset(
        self,
        queryset: QuerySet[Any, Any] | Sequence[Any],
        request: Request,
        view: APIView | None = None,
        *,
        count: int | None = None,
    ) -> list[Any]:
        self.request = request
        page_size = self.get_page_size(request)
        page_number = _positive_int(request, self.page_query_param, default=1)
        paginator = PrecountedPaginator(queryset, page_size, count=count)
        try:
            self.page = paginator.page(page_number)
        except EmptyPage as exc:
            raise NotFound(f"Page {page_number} is past the last page.") from exc
        return list(self.page)

    def get_page_size(self, request: Request) -> int:
        size = _positive_int(request, self.page_size_query_param, default=self.page_size)
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        descriptions = {
            self.page_query_param: "A page number, from 1; a page past the last one is a 404.",
            self.page_size_query_param: f"Results per page, from 1: default {self.page_size}, "
            f"a larger size than {self.max_page_size} reads as {self.max_page_size}.",
        }
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            parameter["description"] = descriptions[parameter["name"]]
        return parameters

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        properties = paginated["properties"]
        properties["count"]["example"] = 231
        properties["next"]["example"] = "http://127.0.0.1:8000/api/expenses/?page=3"
        properties["previous"]["example"] = "http://127.0.0.1:8000/api/expenses/?page=1"
        # Every page carries all four (next and previous as null at the ends): say so.
        paginated["required"] = ["count", "next", "previous", "results"]
        return paginated

    def get_paginated_response(self, data: Any, **extra: Any) -> Response:
        if self.page is None:
            raise RuntimeError("paginate_queryset() must run before get_paginated_response().")
        return Response(
            {
                "count": self.page.paginator.count,
                **extra,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )


def _positive_int(request: Request, name: str, *, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValidationError({name: ["A positive whole number is required."]})
    return value
