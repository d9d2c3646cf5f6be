"""Routes of the service endpoints: health, the API docs, and the benchmarks' ceiling."""

from django.conf import settings
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from .views import BenchCeilingView, HealthView

urlpatterns = [
    path("health/", HealthView.as_view(), name="health"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="fintrack/redoc.html"),
        name="redoc",
    ),
]

if settings.BENCH_CEILING:
    urlpatterns.append(path("bench/ceiling/", BenchCeilingView.as_view(), name="bench-ceiling"))
