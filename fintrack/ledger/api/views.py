"""Views of the ledger API: incomes, expenses and categories."""

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from fintrack.core.pagination import StandardPagination
from fintrack.core.scoping import OwnerScopedViewMixin
from fintrack.idempotency.decorators import idempotent

from .. import selectors, services
from ..filters import CategoryFilter, EntryFilter
from ..models import Category, Entry, Kind
from .serializers import (
    CategorySerializer,
    EntryInputSerializer,
    EntrySerializer,
    entry_rows_representation,
)

_CATEGORY_PARAM = OpenApiParameter(
    "category",
    str,
    many=True,
    explode=True,
    description="A category name, any case; repeat for several (category=a&category=b).",
)
_ORDERING_PARAM = OpenApiParameter(
    "ordering",
    str,
    description="Comma-separated among date, amount, category, created_at, each optionally "
    "prefixed with '-'. Default -date,-id.",
)

# A sum of records may have more digits than one record's amount (12), so the total is
# rendered by a field without that bound (an AmountField would raise on it: a 500).
_TOTAL_FIELD = serializers.DecimalField(max_digits=None, decimal_places=2)


class TotalledPagination(StandardPagination):
    """Pagination whose answer carries `total_amount`, the sum of the whole filtered set."""

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"] = {
            "count": paginated["properties"]["count"],
            "total_amount": {
                "type": "string",
                "format": "decimal",
                "example": "1234.50",
                "pattern": r"^-?\d{0,16}\.\d{2}$",
            },
            **paginated["properties"],
        }
        paginated["required"] = ["count", "total_amount", "next", "previous", "results"]
        return paginated


@extend_schema_view(
    list=extend_schema(parameters=[_CATEGORY_PARAM, _ORDERING_PARAM]),
    create=extend_schema(request=EntryInputSerializer, responses={201: EntrySerializer}),
    update=extend_schema(request=EntryInputSerializer, responses=EntrySerializer),
    partial_update=extend_schema(request=EntryInputSerializer, responses=EntrySerializer),
)
class EntryViewSet(OwnerScopedViewMixin, viewsets.ModelViewSet):
    """Incomes or expenses of the signed-in user (subclasses fix the kind)."""

    model = Entry
    kind: ClassVar[str]
    serializer_class = EntrySerializer
    filterset_class = EntryFilter
    pagination_class = TotalledPagination
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def refine_queryset(self, queryset: QuerySet[Entry]) -> QuerySet[Entry]:
        return queryset.filter(kind=self.kind).select_related("category")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        totals = selectors.entry_list_totals(queryset)
        rows = selectors.entry_list_rows(queryset)
        page = self.paginator.paginate_queryset(rows, request, self, count=totals.count)
        total = _TOTAL_FIELD.to_representation(totals.total_amount)
        return self.paginator.get_paginated_response(
            entry_rows_representation(page), total_amount=total
        )

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = EntryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = {"date": timezone.now().date(), **serializer.validated_data}
        entry = services.entry_create(user=request.user, kind=self.kind, **fields)
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self.get_object()
        serializer = EntryInputSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        entry = services.entry_update(entry=entry, **serializer.validated_data)
        return Response(EntrySerializer(entry).data)


class IncomeViewSet(EntryViewSet):
    kind = Kind.INCOME


class ExpenseViewSet(EntryViewSet):
    kind = Kind.EXPENSE


class CategoryViewSet(
    OwnerScopedViewMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in user's categories, of both kinds (`?kind=` narrows)."""

    model = Category
    serializer_class = CategorySerializer
    filterset_class = CategoryFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    problem_statuses = {"delete": ["409"]}

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        category = services.category_create(user=request.user, **serializer.validated_data)
        return Response(self.get_serializer(category).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        category = self.get_object()
        serializer = self.get_serializer(category, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        name = serializer.validated_data.get("name")
        if name is not None:
            category = services.category_rename(category=category, name=name)
        return Response(self.get_serializer(category).data)

    def perform_destroy(self, instance: Category) -> None:
        services.category_delete(category=instance)
