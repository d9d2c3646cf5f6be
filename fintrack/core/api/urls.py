"""Routes of the service endpoints: the index, health, the API docs, and the benchmarks'
ceiling."""

from django.conf import settings
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from .docs import RedocView, SwaggerView
from .views import ApiIndexView, BenchCeilingView, HealthView

urlpatterns = [
    path("", ApiIndexView.as_view(), name="api-index"),
    path("health/", HealthView.as_view(), name="health"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path(
        "redoc/",
        RedocView.as_view(url_name="schema", template_name="fintrack/redoc.html"),
        name="redoc",
    ),
]

if settings.BENCH_CEILING:
    urlpatterns.append(path("bench/ceiling/", BenchCeilingView.as_view(), name="bench-ceiling"))
