"""A URL conf for tests only: the real API, plus a view that takes large bodies (as the CSV
import will) and HTML pages outside /api/ (as the web app will)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as api_urlpatterns

TEN_MIB = 10 * 1024 * 1024


class CSVParser(BaseParser):
    media_type = "text/csv"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return stream.read()


class UploadView(APIView):
    """Counts the bytes of a CSV body; declares a 10 MiB limit."""

    max_body_bytes = TEN_MIB
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [CSVParser]

    def post(self, request: Request) -> Response:
        return Response({"bytes": len(request.data)})


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><p>A page.</p>", content_type="text/html")


def bad_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><p>Bad form.</p>", status=400, content_type="text/html")


def missing_page(request: HttpRequest) -> HttpResponse:
    raise Http404("No such page.")


# Before the real ones: those end with the catch-all of unknown /api/ addresses.
urlpatterns = [
    path("api/test-upload/", UploadView.as_view()),
    path("app/", page),
    path("app/bad/", bad_page),
    path("app/missing/", missing_page),
    *api_urlpatterns,
]
