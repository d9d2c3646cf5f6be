"""Views of the ledger API: incomes, expenses and categories."""

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.settings import api_settings

from fintrack.core.api.pagination import StandardPagination
from fintrack.core.api.problems import PROBLEM_CONTENT_TYPE
from fintrack.core.api.request import AuthenticatedRequest
from fintrack.core.api.schema import examples
from fintrack.core.errors import Invalid, InvalidItems
from fintrack.core.fields import format_money, money_total_schema
from fintrack.core.scoping import OwnerScopedViewMixin
from fintrack.idempotency.decorators import idempotent

from .. import selectors, services
from ..filters import CategoryFilter, EntryFilter
from ..models import Category, Entry, Kind, Tag
from .serializers import (
    BULK_MAX_RECORDS,
    ENTRY_COLUMNS,
    BulkProblemSerializer,
    CategorySerializer,
    EntryBulkInputSerializer,
    EntryBulkSerializer,
    EntryInputSerializer,
    EntrySerializer,
    TagSerializer,
    entry_representation,
    entry_row,
    entry_rows_representation,
)

_CATEGORY_PARAM = OpenApiParameter(
    "category",
    str,
    many=True,
    explode=True,
    description="A category name, any case; repeat for several (category=a&category=b).",
)
_TAG_PARAM = OpenApiParameter(
    "tag",
    str,
    many=True,
    explode=True,
    description="A tag name, any case; repeat for several: records having any of them. A name "
    "no tag has matches nothing.",
)
_EXTERNAL_ID_PARAM = OpenApiParameter(
    "external_id", str, description="Records with exactly this external id."
)
_MONEY_FILTERS = (
    "`min_amount` and `max_amount` (inclusive, e.g. `42.10`), `search` (in the description "
    "and the category name, any case)"
)


def _entry_descriptions(plural: str, singular: str) -> dict[str, str]:
    return {
        "list": f"Your {plural}, newest first, a page at a time (`page`, `page_size` up to "
        f"500). Filter by `month` (`2026-11`) or `date_from`/`date_to` (inclusive), by "
        f"`category` (any case; repeat for several), by {_MONEY_FILTERS}; sort with "
        f"`ordering`. An empty parameter is no filter. `total_amount` is the sum of every "
        f"{singular} the filters select, on every page.",
        "create": f"Record {_article(singular)} {singular}. `amount` is a string (or a "
        f"number) above zero with at most two decimals; `date` defaults to today (UTC); "
        f'`category` is a name, any case, created on first use (default "Uncategorized"). '
        f"Send an `Idempotency-Key` to retry safely.",
        "retrieve": f"One of your {plural}, by id. Another user's is a 404.",
        "update": f"Replace {_article(singular)} {singular}: `amount` is required, and the "
        f"fields left out keep their value.",
        "partial_update": f"Change only the fields you send of {_article(singular)} {singular}.",
        "destroy": f"Delete {_article(singular)} {singular} for good.",
    }


def _article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"


def _entry_examples(amount: str, category: str, description: str) -> list:
    return examples(
        request={
            "amount": amount,
            "date": "2026-11-14",
            "category": category,
            "description": description,
        },
        response={
            "id": 1017,
            "amount": amount,
            "date": "2026-11-14",
            "category": category,
            "description": description,
            "tags": [],
            "external_id": None,
            "recurring_id": None,
            "import_id": None,
            "created_at": "2026-11-14T18:02:11.254913Z",
            "updated_at": "2026-11-14T18:02:11.254913Z",
        },
    )


_ORDERING_PARAM = OpenApiParameter(
    "ordering",
    str,
    description="Comma-separated among date, amount, category, created_at, each optionally "
    "prefixed with '-'. Default -date,-id.",
)


class TotalledPagination(StandardPagination):
    """Pagination whose answer carries `total_amount`, the sum of the whole filtered set."""

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"] = {
            "count": paginated["properties"]["count"],
            "total_amount": money_total_schema(),
            **paginated["properties"],
        }
        paginated["required"] = ["count", "total_amount", "next", "previous", "results"]
        return paginated


@extend_schema_view(
    list=extend_schema(
        parameters=[_CATEGORY_PARAM, _TAG_PARAM, _EXTERNAL_ID_PARAM, _ORDERING_PARAM]
    ),
    create=extend_schema(request=EntryInputSerializer, responses={201: EntrySerializer}),
    update=extend_schema(request=EntryInputSerializer, responses=EntrySerializer),
    partial_update=extend_schema(request=EntryInputSerializer, responses=EntrySerializer),
)
class EntryViewSet(OwnerScopedViewMixin, viewsets.ModelViewSet):
    """The caller's records of one kind: IncomeViewSet and ExpenseViewSet set `kind` and the
    docs' words (what API users read is in `schema_descriptions`)."""

    request: AuthenticatedRequest
    model = Entry
    kind: ClassVar[str]
    serializer_class = EntrySerializer
    filterset_class = EntryFilter
    pagination_class: type[TotalledPagination] = TotalledPagination
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def refine_queryset(self, queryset: QuerySet[Entry]) -> QuerySet[Entry]:
        return queryset.filter(kind=self.kind).select_related("category")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        totals = selectors.entry_list_totals(queryset)
        rows = selectors.entry_list_rows(queryset, ENTRY_COLUMNS)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, self, count=totals.count)
        tags = selectors.entry_tag_names(row[0] for row in page) if page else {}
        return paginator.get_paginated_response(
            entry_rows_representation(page, tags), total_amount=format_money(totals.total_amount)
        )

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = EntryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = {"date": timezone.now().date(), **serializer.validated_data}
        entry = services.entry_create(user=self.request.user, kind=self.kind, **fields)
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self.get_object()
        serializer = EntryInputSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        entry = services.entry_update(entry=entry, **serializer.validated_data)
        return Response(EntrySerializer(entry).data)

    @extend_schema(
        request=EntryBulkInputSerializer,
        responses={
            201: EntryBulkSerializer,
            (400, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                BulkProblemSerializer,
                description="Invalid input: errors by record position under `records`.",
                examples=[
                    OpenApiExample(
                        "Invalid records",
                        value={
                            "type": "urn:fintrack:problem:validation-error",
                            "title": "Bad Request",
                            "status": 400,
                            "detail": "The request has invalid fields; see `errors`.",
                            "errors": {
                                "records": {"3": {"amount": ["A valid number is required."]}}
                            },
                        },
                    )
                ],
            ),
        },
        examples=examples(
            request={
                "records": [
                    {"amount": "42.10", "date": "2026-11-14", "category": "Groceries"},
                    {"amount": "3.20", "date": "2026-11-15", "tags": ["coffee"]},
                ]
            },
            response={
                "records": [
                    {
                        "id": 1017,
                        "amount": "42.10",
                        "date": "2026-11-14",
                        "category": "Groceries",
                        "description": "",
                        "tags": [],
                        "external_id": None,
                        "recurring_id": None,
                        "import_id": None,
                        "created_at": "2026-11-15T08:00:00.000000Z",
                        "updated_at": "2026-11-15T08:00:00.000000Z",
                    }
                ]
            },
        ),
        description="Create 1 to 500 records, all or none: 201 with them in the order sent, "
        "or 400 with the errors of each invalid record under its 0-based position.",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk",
        filter_backends=[],
        filterset_class=None,
        pagination_class=None,
    )
    @idempotent
    def bulk(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        records = request.data.get("records") if isinstance(request.data, dict) else None
        if not isinstance(records, list) or not 1 <= len(records) <= BULK_MAX_RECORDS:
            raise Invalid({"records": [f"Send a list of 1 to {BULK_MAX_RECORDS} records."]})
        # One serializer for the list: its child validates every record without being built
        # (and its fields deep-copied) again for each one.
        serializer = EntryInputSerializer(many=True, data=records)
        if not serializer.is_valid():
            errors = {
                position: _record_errors(records[position], error)
                for position, error in enumerate(serializer.errors)
                if error
            }
            raise InvalidItems("records", errors)
        today = timezone.now().date()
        drafts = [
            services.EntryDraft(**{"date": today, **fields}) for fields in serializer.validated_data
        ]
        created = services.entry_bulk_create(user=self.request.user, kind=self.kind, drafts=drafts)
        tz = timezone.get_current_timezone()
        answer = [entry_representation(entry_row(entry), names, tz) for entry, names in created]
        return Response({"records": answer}, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Entry) -> None:
        services.entry_delete(entry=instance)


def _record_errors(item: Any, error: Any) -> Any:
    """One bulk item's errors as field errors: a `null` item fails before its fields are
    looked at, with a bare list of messages; it is said the way any other non-object is."""
    if item is None:
        message = Serializer.default_error_messages["invalid"].format(datatype="null")
        return {api_settings.NON_FIELD_ERRORS_KEY: [message]}
    return error


class IncomeViewSet(EntryViewSet):
    kind = Kind.INCOME
    schema_nouns = ("income", "incomes")
    schema_summaries = {"create": "Record an income", "bulk": "Create up to 500 incomes at once"}
    schema_descriptions = _entry_descriptions("incomes", "income")
    schema_examples = _entry_examples("2500.00", "Salary", "November pay")


class ExpenseViewSet(EntryViewSet):
    kind = Kind.EXPENSE
    schema_nouns = ("expense", "expenses")
    schema_summaries = {
        "create": "Record an expense",
        "bulk": "Create up to 500 expenses at once",
    }
    schema_descriptions = _entry_descriptions("expenses", "expense")
    schema_examples = _entry_examples("42.10", "Groceries", "Farmers market")


class CategoryViewSet(
    OwnerScopedViewMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's categories, of both kinds."""

    request: AuthenticatedRequest
    model = Category
    schema_nouns = ("category", "categories")
    schema_summaries = {"partial_update": "Rename a category"}
    schema_descriptions = {
        "list": "Your categories, income and expense ones, by name; `?kind=expense` or "
        "`?kind=income` keeps one kind (an empty `kind` is no filter).",
        "create": "Create a category of a kind (`income` or `expense`). Names are unique "
        "per kind, whatever their case. Records also create their category on first use.",
        "retrieve": "One of your categories, by id.",
        "partial_update": "Rename a category; its records follow. A category's kind never changes.",
        "destroy": "Delete a category no record uses; one in use answers 409.",
    }
    schema_examples = examples(
        request={"name": "Groceries", "kind": "expense"},
        response={"id": 7, "name": "Groceries", "kind": "expense"},
    )
    serializer_class = CategorySerializer
    filterset_class = CategoryFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    problem_statuses = {"delete": ["409"]}

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        category = services.category_create(user=self.request.user, **serializer.validated_data)
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


class TagViewSet(
    OwnerScopedViewMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's tags by name, each with the number of records carrying it."""

    request: AuthenticatedRequest
    model = Tag
    schema_nouns = ("tag", "tags")
    schema_summaries = {"partial_update": "Rename a tag"}
    schema_descriptions = {
        "list": "Your tags by name, each with `records`, the number of incomes and expenses "
        "carrying it. A tag's total is `GET /api/expenses/?tag=<name>`'s `total_amount`.",
        "create": "Create a tag: 1 to 32 characters, no comma or semicolon, unique whatever "
        "its case. Records also create their tags on first use.",
        "partial_update": "Rename a tag; every record carrying it shows the new name at once.",
        "destroy": "Delete a tag: it leaves every record that carried it (the records stay).",
    }
    schema_examples = examples(
        request={"name": "trip-lisbon"},
        response={"id": 12, "name": "trip-lisbon", "records": 14},
    )
    serializer_class = TagSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def refine_queryset(self, queryset: QuerySet[Tag]) -> QuerySet[Tag]:
        return selectors.tags_with_counts(user=self.request.user)

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tag = services.tag_create(user=self.request.user, **serializer.validated_data)
        tag = selectors.tags_with_counts(user=self.request.user).get(pk=tag.pk)
        return Response(self.get_serializer(tag).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        tag = self.get_object()
        serializer = self.get_serializer(tag, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        name = serializer.validated_data.get("name")
        if name is not None:
            tag = services.tag_rename(tag=tag, name=name)
        return Response(self.get_serializer(tag).data)

    def perform_destroy(self, instance: Tag) -> None:
        services.tag_delete(tag=instance)
