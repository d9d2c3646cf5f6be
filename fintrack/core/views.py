"""Service endpoints that belong to no domain app: health, and the benchmarks' ceiling."""

import json
from datetime import date, timedelta

from django.db import DatabaseError, connection
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .pagination import DEFAULT_PAGE_SIZE
from .problems import ServiceUnavailable


class HealthView(APIView):
    """Is the service up, and can it reach its database?"""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    problem_statuses = {"get": ["503"]}

    @extend_schema(
        operation_id="health",
        tags=["service"],
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
            raise ServiceUnavailable("The database cannot be reached.") from exc
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
