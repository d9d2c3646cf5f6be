"""The dashboard's page: one HTML shell under /app/ with a strict Content-Security-Policy.

Everything else (data, sign-in, errors) goes through the public API from the browser; the
page carries no user data and no token, so it can be cached and served to anyone.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

# Every asset comes from fintrack itself; no inline script or style, no plugin, no framing;
# connect-src 'self' keeps the API calls on this origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# The page takes no writes: a POST is the 405 it should be, not the CSRF failure page.
@csrf_exempt
@require_safe
def app_page(request: HttpRequest) -> HttpResponse:
    """The single page of the dashboard; the client-side modules draw every view in it."""
    response = render(request, "web/app.html")
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response["Referrer-Policy"] = "same-origin"
    response["X-Content-Type-Options"] = "nosniff"
    # The shell is the same for everyone; a new release must reach the browser at once.
    response["Cache-Control"] = "no-cache"
    return response
