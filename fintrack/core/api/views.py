"""Service endpoints that belong to no domain app: the API's index, health, the favicon, and
the benchmarks' ceiling."""

import json
from datetime import date, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache as django_cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .authentication import OPTIONAL_AUTH, OptionalAuthentication
from .pagination import DEFAULT_PAGE_SIZE
from .problems import CacheUnavailable, DatabaseUnavailable
from .throttles import CACHE_OUTAGES, SignedInUserThrottle

# The index's links: the docs, then every resource collection in the order of the docs' tags.
# A new collection gets a line here (tests/test_index_api.py fails on one the index misses).
INDEX_DOCS = {"swagger_ui": "swagger-ui", "redoc": "redoc", "schema": "schema"}
INDEX_RESOURCES = {
    "register": "register",
    "token": "token",
    "me": "me",
    "tokens": "personal-access-token-list",
    "incomes": "income-list",
    "expenses": "expense-list",
    "categories": "category-list",
    "tags": "tag-list",
    "budgets": "budget-list",
    "budget_status": "budget-month-status",
    "recurring": "recurring-list",
    "recurring_upcoming": "recurring-upcoming",
    "imports": "import-list",
    "export": "export",
    "goals": "goal-list",
    "summary": "summary",
    "trends": "summary-trends",
    "changes": "changes",
    "health": "health",
}


def _links(request: Request, names: dict[str, str]) -> dict[str, str]:
    links = {}
    for key, url_name in names.items():
        try:
            links[key] = request.build_absolute_uri(reverse(url_name))
        except NoReverseMatch:  # an optional route that is not served here
            continue
    return links


class ApiIndexView(APIView):
    """Where to start: the API's name and version, its docs, and every resource collection."""

    authentication_classes = [OptionalAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [SignedInUserThrottle]
    uses_database = False

    @extend_schema(
        operation_id="api_index",
        tags=["service"],
        auth=OPTIONAL_AUTH,
        summary="Find the docs and every resource",
        examples=[
            OpenApiExample(
                "Example answer",
                response_only=True,
                value={
                    "name": "fintrack API",
                    "version": "1.0.0",
                    "docs": {
                        "swagger_ui": "http://127.0.0.1:8000/api/docs/",
                        "redoc": "http://127.0.0.1:8000/api/redoc/",
                        "schema": "http://127.0.0.1:8000/api/schema/",
                    },
                    "resources": {
                        "register": "http://127.0.0.1:8000/api/register/",
                        "token": "http://127.0.0.1:8000/api/token/",
                        "me": "http://127.0.0.1:8000/api/me/",
                        "incomes": "http://127.0.0.1:8000/api/incomes/",
                        "expenses": "http://127.0.0.1:8000/api/expenses/",
                    },
                },
            )
        ],
        responses=inline_serializer(
            "ApiIndex",
            {
                "name": serializers.CharField(),
                "version": serializers.CharField(),
                "docs": serializers.DictField(child=serializers.URLField()),
                "resources": serializers.DictField(child=serializers.URLField()),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        spectacular = settings.SPECTACULAR_SETTINGS
        return Response(
            {
                "name": spectacular["TITLE"],
                "version": spectacular["VERSION"],
                "docs": _links(request, INDEX_DOCS),
                "resources": _links(request, INDEX_RESOURCES),
            }
        )


@cache
def _favicon() -> bytes:
    path = finders.find("fintrack/favicon.png")
    assert path is not None, "fintrack/core/static/fintrack/favicon.png is missing"
    with open(path, "rb") as file:
        return file.read()


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on every page (a PNG: every browser reads it)."""
    response = HttpResponse(_favicon(), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@extend_schema(exclude=True)
class UnknownAddressView(APIView):
    """Every address under /api/ that no route serves, whatever the method: the same 404 as
    Django's, through DRF so that a signed-in caller is counted and answered RateLimit-* as
    everywhere else."""

    authentication_classes = [OptionalAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [SignedInUserThrottle]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authenticates and throttles
        raise exceptions.NotFound("No resource lives at this address.")


class HealthView(APIView):
    """Is the service up, and can it reach its database? 200 when it can; 503 with
    Retry-After when the database cannot be reached."""

    authentication_classes = [OptionalAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [SignedInUserThrottle]
    problem_statuses = {"get": ["503"]}

    @extend_schema(
        operation_id="health",
        tags=["service"],
        auth=OPTIONAL_AUTH,
        summary="Check that the service is up",
        examples=[
            OpenApiExample(
                "Example answer", response_only=True, value={"status": "ok", "database": "ok"}
            )
        ],
        responses=inline_serializer(
            "Health", {"status": serializers.CharField(), "database": serializers.CharField()}
        ),
    )
    def get(self, request: Request) -> Response:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError as exc:
            raise DatabaseUnavailable("The database cannot be reached.") from exc
        try:
            django_cache.get(
                "fintrack:health"
            )  # Redis, when REDIS_URL is set: every throttle needs it
        except CACHE_OUTAGES as exc:
            raise CacheUnavailable("The cache (Redis) cannot be reached.") from exc
        return Response({"status": "ok", "database": "ok"})


def _ceiling_body() -> bytes:
    """A list page of DEFAULT_PAGE_SIZE records, shaped and sized like GET /api/expenses/,
    encoded the way DRF's JSONRenderer encodes (compact, UTF-8)."""
    first = date(2026, 6, 30)
    records = [
        {
            "id": 1_000_000 + index,
            "amount": f"{(index * 7919) % 500_000 / 100:.2f}",
            "date": (first - timedelta(days=index % 30)).isoformat(),
            "category": "Groceries",
            "description": "Farmers market",
            "created_at": "2026-06-30T09:15:27.123456Z",
            "updated_at": "2026-06-30T09:15:27.123456Z",
        }
        for index in range(DEFAULT_PAGE_SIZE)
    ]
    page = {
        "count": 231,
        "total_amount": "571234.56",
        "next": "http://127.0.0.1:8000/api/expenses/?month=2026-06&page=2",
        "previous": None,
        "results": records,
    }
    return json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode()


class BenchCeilingView(APIView):
    """The benchmarks' ceiling: a fixed list page behind the same gunicorn, middleware, JWT
    authentication and throttles as every endpoint, and no work of fintrack's own. Routed
    only when settings.BENCH_CEILING is on."""

    body = _ceiling_body()

    @extend_schema(exclude=True)
    def get(self, request: Request) -> HttpResponse:
        return HttpResponse(self.body, content_type="application/json")
