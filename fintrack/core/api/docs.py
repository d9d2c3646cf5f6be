"""The API docs pages (Swagger UI, ReDoc), served under a Content-Security-Policy.

The pages handle a bearer token typed by the user: they load nothing but the app's own assets
(the sidecar's bundles), run no inline script (Swagger UI's start script is its own request),
and talk to no origin but this one.
"""

from typing import Any

from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response

DOCS_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Both UIs set style attributes from their scripts; styles cannot fetch anything.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",  # ReDoc's search worker
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class _ContentSecurityPolicyMixin:
    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        response["Content-Security-Policy"] = DOCS_CSP
        return response


class SwaggerView(_ContentSecurityPolicyMixin, SpectacularSwaggerSplitView):
    """Swagger UI; its start script is fetched from the same address with `?script`."""


class RedocView(_ContentSecurityPolicyMixin, SpectacularRedocView):
    """ReDoc."""
