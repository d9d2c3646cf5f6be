"""Content negotiation that never refuses a request before it is authenticated."""

from collections.abc import Iterable
from typing import Any

from django.http import Http404
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


class JSONWhateverTheAccept(DefaultContentNegotiation):
    """DRF's negotiation, except that a `?format=` no renderer has, or an `Accept` none of them
    matches, gets the view's first renderer (JSON) instead of a 404 or a 406.

    DRF negotiates before it authenticates: those refusals reached a caller without a token
    instead of the 401, and a signed-in one without the RateLimit-* headers; and the API has one
    representation, which RFC 9110 (12.5.1) lets a server send whatever the Accept header asks.
    """

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        try:
            chosen: tuple[BaseRenderer, str] = super().select_renderer(
                request, renderers, format_suffix
            )
        except (Http404, exceptions.NotAcceptable):
            renderer: Any = renderers[0]
            return renderer, renderer.media_type
        return chosen
