"""Views of the imports API (upload, preview, commit, undo, delete, rows) and of the export."""

from collections.abc import Iterable
from typing import Any

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fintrack.core.api.pagination import StandardPagination
from fintrack.core.api.request import AuthenticatedRequest
from fintrack.core.api.schema import examples
from fintrack.core.periods import MONTH_PATTERN
from fintrack.core.scoping import OwnerScopedViewMixin
from fintrack.idempotency.decorators import idempotent
from fintrack.ledger.api.serializers import EntrySerializer
from fintrack.ledger.filters import AMOUNT_BOUND_PATTERN, EntryFilter
from fintrack.ledger.models import Entry, Kind
from fintrack.quotas.api.throttles import QuotaThrottle, refuse_if_deferred, report_quota

from .. import exports, selectors, services
from ..models import Import
from ..reader import ReadOptions, TooManyRows, read_rows
from .parsers import CSVTextParser, PayloadTooLarge
from .serializers import (
    ExportParamsSerializer,
    ImportParamsSerializer,
    ImportRowSerializer,
    ImportSerializer,
    RowParamsSerializer,
)

IMPORT_MAX_BODY_BYTES = 10 * 1024 * 1024


class ImportThrottle(QuotaThrottle):
    """Uploads per user in any 60 minutes (settings: THROTTLE_IMPORT_RATE); only those
    answered 201 count."""

    scope = services.IMPORT_QUOTA


class ExportThrottle(QuotaThrottle):
    """Exports per user in any 60 minutes (settings: THROTTLE_EXPORT_RATE); only those
    answered 200 count."""

    scope = services.EXPORT_QUOTA


_IMPORT_EXAMPLE = {
    "id": 12,
    "status": "previewed",
    "filename": None,
    "rows": 3,
    "new": 2,
    "duplicates": 1,
    "errors": 0,
    "created_at": "2026-11-29T09:00:00Z",
    "committed_at": None,
}
_RECORD_EXAMPLE = {
    "kind": "expense",
    "amount": "42.10",
    "date": "2026-11-03",
    "category": "Groceries",
    "description": "Supermarket",
    "tags": ["shared"],
    "external_id": None,
}
_ROW_EXAMPLE = {
    "line": 2,
    "verdict": "new",
    "errors": None,
    "record": _RECORD_EXAMPLE,
    "duplicate_of": None,
}
_EXPORT_CSV_EXAMPLE = (
    "id,kind,date,amount,currency,category,description,tags,external_id,recurring_id,"
    "import_id,created_at,updated_at\r\n7,expense,2026-11-03,42.10,USD,Groceries,Supermarket,"
    "shared,,,12,2026-11-29T09:00:00Z,2026-11-29T09:00:00Z\r\n"
)
# One record: drf-spectacular lists the example of a many=True answer itself.
_EXPORT_JSON_EXAMPLE = {
    "id": 7,
    **_RECORD_EXAMPLE,
    "recurring_id": None,
    "import_id": 12,
    "created_at": "2026-11-29T09:00:00Z",
    "updated_at": "2026-11-29T09:00:00Z",
}

_CSV_EXAMPLE = (
    "date,amount,description,category\n2026-11-03,-42.10,Supermarket,Groceries\n"
    "2026-11-01,2500.00,November pay,Salary\n"
)


@extend_schema_view(
    list=extend_schema(
        summary="List imports",
        description="Your imports of bank CSVs, newest first, with their counts.",
    ),
    retrieve=extend_schema(
        summary="Read an import", description="One import: its status and its counts."
    ),
    destroy=extend_schema(
        summary="Forget an import",
        description="Forget a preview or an undone import and its rows; 409 when committed.",
    ),
)
class ImportViewSet(
    OwnerScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in user's imports of bank CSVs, newest first."""

    model = Import
    request: AuthenticatedRequest
    schema_examples = examples(response=_IMPORT_EXAMPLE)
    serializer_class = ImportSerializer
    max_body_bytes = IMPORT_MAX_BODY_BYTES
    # 409: commit, undo and delete in the wrong state (and a create's commit racing a twin).
    problem_statuses = {"delete": ["409"], "post": ["409"]}
    problem_examples = {"409": "Only a previewed import can be committed; this one is committed."}
    problem_descriptions = {
        "413": "Body over 10 MiB (an upload: also a file of more than 50,000 data rows).",
        "415": "Body is not text/csv in UTF-8.",
    }

    def refine_queryset(self, queryset: Any) -> Any:
        return queryset.order_by("-created_at", "-id")

    def get_parsers(self) -> list[Any]:
        # Called before DRF sets `action`: the Django request's method decides (the other
        # POSTs, commit and undo, take no body). Schema generation has no request.
        request = getattr(self, "request", None)
        if getattr(request, "method", None) == "POST" and self.action_map.get("post") == "create":
            return [CSVTextParser()]
        return super().get_parsers()

    def get_throttles(self) -> list[Any]:
        throttles = super().get_throttles()
        if self.action == "create":
            throttles.append(ImportThrottle())
        return throttles

    @extend_schema(
        operation_id="imports_create",
        summary="Upload a bank CSV",
        examples=[
            OpenApiExample(
                "A bank statement", value=_CSV_EXAMPLE, media_type="text/csv", request_only=True
            ),
            *examples(response=_IMPORT_EXAMPLE),
        ],
        request={"text/csv": {"type": "string", "example": _CSV_EXAMPLE}},
        parameters=[ImportParamsSerializer],
        responses={201: ImportSerializer},
        description="Upload a CSV (UTF-8, up to 10 MiB and 50,000 data rows): each row gets a "
        "verdict (new, duplicate, error). A preview creates nothing; commit=true creates the "
        "new rows at once.",
    )
    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # No replay answered it: a new import, refused before reading the file when the quota
        # is used up. The import uses the quota in its own transaction (import_create).
        refuse_if_deferred(request)
        params = ImportParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        text = request.data
        if not isinstance(text, str) or not text.strip():
            raise ValidationError({"file": ["The file is empty."]})
        options = ReadOptions(
            date_format=params.validated_data["date_format"],
            decimal=params.validated_data["decimal"],
        )
        try:
            rows = read_rows(text=text, options=options, currency=request.user.currency)
        except TooManyRows as exc:
            raise PayloadTooLarge(exc.message) from exc
        created = services.import_create(
            user=request.user, rows=rows, commit=params.validated_data["commit"] == "true"
        )
        if created.quota is not None:
            report_quota(request, created.quota)
        return Response(ImportSerializer(created.batch).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Import) -> None:
        services.import_delete(batch=instance)

    @extend_schema(
        request=None,
        responses=ImportSerializer,
        summary="Commit a previewed import",
        description="Create the new rows of a preview in one transaction (the verdicts are "
        "judged again first); 409 unless previewed.",
    )
    @action(detail=True, methods=["post"])
    def commit(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Create the new rows of a preview in one transaction (verdicts judged again)."""
        batch = services.import_commit(batch=self.get_object())
        return Response(ImportSerializer(batch).data)

    @extend_schema(
        request=None,
        responses=ImportSerializer,
        summary="Undo a committed import",
        description="Delete every record the import created, edited or not; 409 unless committed.",
    )
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Delete every record the import created, edited or not."""
        batch = services.import_undo(batch=self.get_object())
        return Response(ImportSerializer(batch).data)

    @extend_schema(
        parameters=[RowParamsSerializer],
        responses=ImportRowSerializer(many=True),
        summary="List the rows of an import",
        examples=examples(response=_ROW_EXAMPLE),
        description="The rows of the file in file order, each with its verdict (new, "
        "duplicate, error), its errors and the record it would create.",
    )
    @action(detail=True, methods=["get"], pagination_class=StandardPagination)
    def rows(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The rows of the file with their verdicts, in file order."""
        batch = self.get_object()
        params = RowParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.import_rows(batch=batch, verdict=params.validated_data.get("verdict"))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ImportRowSerializer(page, many=True).data)


_AMOUNT_BOUND_SCHEMA = {
    "type": "string",
    "format": "decimal",
    "pattern": AMOUNT_BOUND_PATTERN,
    "example": "42.10",
}
_EXPORT_FILTERS = [
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="Inclusive lower date bound."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Inclusive upper date bound."),
    OpenApiParameter(
        "month",
        {"type": "string", "pattern": MONTH_PATTERN, "example": "2026-11"},
        description="A whole calendar month, YYYY-MM (not with date_from/date_to).",
    ),
    OpenApiParameter(
        "category", str, many=True, explode=True, description="A category name, any case."
    ),
    # Typed as the lists' (fintrack.ledger.filters.AmountFilter): a decimal string.
    OpenApiParameter("min_amount", _AMOUNT_BOUND_SCHEMA, description="Inclusive lower bound."),
    OpenApiParameter("max_amount", _AMOUNT_BOUND_SCHEMA, description="Inclusive upper bound."),
    OpenApiParameter("search", str, description="Substring of description or category."),
    OpenApiParameter("tag", str, many=True, explode=True, description="Records with any tag."),
    OpenApiParameter("external_id", str, description="Records with exactly this external id."),
]


class ExportRecordSerializer(EntrySerializer):
    """A record of a JSON export: a record with its kind."""

    kind = serializers.ChoiceField(choices=Kind.choices)

    class Meta(EntrySerializer.Meta):
        fields = ["id", "kind", *EntrySerializer.Meta.fields[1:]]
        read_only_fields = fields


class ExportView(OwnerScopedViewMixin, APIView):
    """Every matching record of the signed-in user, oldest first, streamed."""

    model = Entry
    request: AuthenticatedRequest
    problem_statuses = {"get": ["400"]}
    throttle_classes = [*APIView.throttle_classes, ExportThrottle]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # `format` names the export's format here, not a renderer (DRF's URL override); the
        # only renderer left is JSON, for the problem answers.
        renderer = JSONRenderer()
        return renderer, renderer.media_type

    @extend_schema(
        operation_id="export_retrieve",
        summary="Export records as CSV or JSON",
        examples=[
            OpenApiExample(
                "CSV", value=_EXPORT_CSV_EXAMPLE, media_type="text/csv", response_only=True
            ),
            OpenApiExample(
                "JSON",
                value=_EXPORT_JSON_EXAMPLE,
                media_type="application/json",
                response_only=True,
            ),
        ],
        parameters=[
            ExportParamsSerializer,
            *_EXPORT_FILTERS,
            OpenApiParameter(
                "Content-Disposition",
                {"type": "string", "example": 'attachment; filename="fintrack-export.csv"'},
                OpenApiParameter.HEADER,
                response=[200],
                required=True,
                description="Always an attachment: fintrack-export.csv or fintrack-export.json.",
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="Header id,kind,date,amount,currency,category,description,tags,"
                "external_id,recurring_id,import_id,created_at,updated_at; tags joined with ';'; "
                "a cell starting with = + - @ ' tab or CR is prefixed with '.",
            ),
            (200, "application/json"): OpenApiResponse(
                ExportRecordSerializer(many=True), description="An array of records with kind."
            ),
        },
        description="Every record matching the list filters (and kind), oldest first (date, "
        "then id), as an attachment, streamed. ordering, page and page_size are ignored.",
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        params = ExportParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = request.query_params.copy()
        for ignored in ("ordering", "page", "page_size", "format", "kind"):
            data.pop(ignored, None)
        queryset = self.get_queryset()
        kind = params.validated_data.get("kind")
        if kind:
            queryset = queryset.filter(kind=kind)
        filterset = EntryFilter(data, queryset=queryset, request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        queryset = filterset.qs
        # A HEAD gets the export's headers and no body: no records are read, no quota used.
        head = request.method == "HEAD"
        if not head:
            # Every refusal is behind: this export is served, and uses the quota.
            state = services.export_start(user=self.request.user)
            if state is not None:
                report_quota(request, state)
        chunks: Iterable[bytes | str]
        if params.validated_data["format"] == "json":
            chunks = () if head else exports.json_chunks(queryset)
            response = StreamingHttpResponse(chunks, content_type="application/json")
            filename = "fintrack-export.json"
        else:
            chunks = (
                () if head else exports.csv_chunks(queryset, currency=self.request.user.currency)
            )
            response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
            filename = "fintrack-export.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
