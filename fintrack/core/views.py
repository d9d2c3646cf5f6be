"""Service endpoints that belong to no domain app: health."""

from django.db import DatabaseError, connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

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
