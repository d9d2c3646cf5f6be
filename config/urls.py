"""Root URLconf: the API under /api/, the dashboard under /app/ (and `/` redirects to it)."""

from typing import Any

from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from fintrack.core.api.views import UnknownAddressView, favicon


class SafeRedirectView(RedirectView):
    """A temporary redirect for GET and HEAD only: no body is ever dropped on the way."""

    http_method_names = ["get", "head"]
    permanent = False
    query_string = True


class HomeRedirectView(SafeRedirectView):
    """`/`: to settings.HOME_URL, read on every request."""

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        return settings.HOME_URL


urlpatterns = [
    path("", HomeRedirectView.as_view(), name="home"),
    path("favicon.ico", favicon, name="favicon"),
    # The pages a person types into a browser: without their slash, a GET finds them too.
    path("api", SafeRedirectView.as_view(pattern_name="api-index")),
    path("api/docs", SafeRedirectView.as_view(pattern_name="swagger-ui")),
    path("api/redoc", SafeRedirectView.as_view(pattern_name="redoc")),
    path("api/schema", SafeRedirectView.as_view(pattern_name="schema")),
    path("api/", include("fintrack.core.api.urls")),
    path("api/", include("fintrack.accounts.api.urls")),
    path("api/", include("fintrack.ledger.api.urls")),
    path("api/", include("fintrack.goals.api.urls")),
    path("api/", include("fintrack.budgets.api.urls")),
    path("api/", include("fintrack.imports.api.urls")),
    path("api/", include("fintrack.analytics.api.urls")),
    path("api/", include("fintrack.recurring.api.urls")),
    path("api/", include("fintrack.tokens.api.urls")),
    path("api/", include("fintrack.sync.api.urls")),
    # Last of /api/: what no route above serves (fintrack.core.api.views.UnknownAddressView).
    re_path(r"^api/", UnknownAddressView.as_view(), name="api-unknown"),
    path("", include("fintrack.web.urls")),
]
