"""OpenAPI generation: every operation documents the problem answers it can give."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from .problems import PROBLEM_CONTENT_TYPE

_BODY_METHODS = {"POST", "PUT", "PATCH"}
_DESCRIPTIONS = {
    "400": "Invalid input: a field, a query parameter, or the JSON itself.",
    "401": "Missing, invalid or expired credentials.",
    "404": "Not found, or not yours.",
    "409": "Conflicts with the current state.",
    "413": "Body over 1 MiB.",
    "415": "Body is not application/json.",
    "422": "The Idempotency-Key was already used with a different request.",
    "429": "Throttled; see Retry-After.",
    "503": "A dependency is unavailable.",
}


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField(help_text="A URI naming the kind of problem.")
    title = serializers.CharField(help_text="The HTTP status phrase.")
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text='Validation failures by field ("non_field_errors" for the rest).',
    )


IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"},
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "1 to 255 printable ASCII characters. Retrying with the same key and the same body "
        "within 24 hours replays the first answer (header Idempotent-Replayed: true) and "
        "creates nothing; the same key with another body answers 422."
    ),
)


class ProblemAutoSchema(AutoSchema):
    """drf-spectacular's schema, with the problem+json error answers of each operation.

    A view may add statuses of its own with `problem_statuses = {"post": ["409"]}`
    (lower-case method, or "*" for all).
    """

    def get_override_parameters(self) -> list[Any]:
        parameters = super().get_override_parameters()
        if self._is_idempotent():
            parameters = [*parameters, IDEMPOTENCY_KEY_PARAMETER]
        return parameters

    def _is_idempotent(self) -> bool:
        handler = getattr(self.view, getattr(self.view, "action", None) or "", None)
        handler = handler or getattr(self.view, self.method.lower(), None)
        return self.method == "POST" and getattr(handler, "idempotent", False)

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code in sorted(self._problem_statuses()):
            if code in responses:
                continue
            response = self._get_response_for_code(
                ProblemSerializer, code, media_types=[PROBLEM_CONTENT_TYPE], direction=direction
            )
            response["description"] = _DESCRIPTIONS[code]
            responses[code] = response
        return responses

    def _problem_statuses(self) -> set[str]:
        codes = {"429"}
        if self.method in _BODY_METHODS:
            codes |= {"400", "413", "415"}
        if self._is_list_view() or self.get_filter_backends():
            codes |= {"400", "404"}  # bad query parameters; a page past the end
        if "{" in self.path:
            codes.add("404")
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes.add("401")
        if self._is_idempotent():
            codes.add("422")
        declared = getattr(self.view, "problem_statuses", {})
        codes |= set(declared.get(self.method.lower(), ())) | set(declared.get("*", ()))
        return codes
