"""Root URLconf: everything lives under /api/."""

from django.urls import include, path

urlpatterns = [
    path("api/", include("fintrack.core.urls")),
    path("api/", include("fintrack.accounts.api.urls")),
    path("api/", include("fintrack.ledger.api.urls")),
    path("api/", include("fintrack.goals.api.urls")),
    path("api/", include("fintrack.analytics.api.urls")),
]
