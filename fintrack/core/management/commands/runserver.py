"""`runserver` (make run) whose static files handler answers errors as problem details.

Django's development static handler answers a missing file with its HTML debug page, outside
the middleware that turns every other error into problem+json.
"""

from typing import Any

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.contrib.staticfiles.management.commands.runserver import Command as StaticCommand
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from fintrack.core.api.middleware import ProblemDetailsMiddleware


class ProblemStaticFilesHandler(StaticFilesHandler):
    """StaticFilesHandler, with every error answer rewritten as a problem."""

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        response = super().get_response(request)
        if response.status_code >= 400 and not ProblemDetailsMiddleware.is_json(response):
            return ProblemDetailsMiddleware.as_problem(response)
        return response


class Command(StaticCommand):
    def get_handler(self, *args: Any, **options: Any) -> Any:
        handler = super().get_handler(*args, **options)
        if isinstance(handler, StaticFilesHandler):
            return ProblemStaticFilesHandler(handler.application)
        return handler
