"""OpenAPI generation: what every operation says to the people and tools that read the docs.

Each operation gets, without anything to write in its view:
- the problem+json answers it can give (400, 401, 403, 404, 411, 413, 415, 422, 429, 503), each
  with a realistic example (`PROBLEM_EXAMPLES`); 403 where a personal access token can be
  refused: a method that writes (a `read` token), or an operation that refuses every token
  (`refuses_personal_access_tokens` on the view);
- for the actions of a viewset that names its resource (`schema_nouns = ("goal", "goals")`),
  a one-line summary ("List your goals", "Create a goal"...), unless the view gives its own
  (`schema_summaries = {"create": "..."}` or `@extend_schema(summary=...)`);
- `allowEmptyValue` on its optional query parameters but the page number and size (an empty
  parameter is the parameter left out);
- in answers, every field marked required (fintrack's answers always carry all their fields;
  a serializer lists exceptions in `optional_response_fields`).

A view adds what only it knows: `schema_descriptions = {"list": "..."}` (per action; else
`@extend_schema(description=...)` or the docstring), `schema_examples = [...]` (see
`examples()`; else `@extend_schema(examples=...)`), `problem_statuses = {"post": ["409"]}`,
`uses_database = False` for an operation that never reads it (no 503).
"""

from typing import Any, Literal

from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, AllowAny

from .middleware import CHUNKED_BODY_DETAIL, size_text
from .problems import PROBLEM_CONTENT_TYPE, problem_body

_BODY_METHODS = {"POST", "PUT", "PATCH"}
_DESCRIPTIONS = {
    "400": "Invalid input: a field, a query parameter, or the JSON itself.",
    "401": "Missing, invalid or expired credentials.",
    "403": "A personal access token used beyond its scope, or where no such token may go.",
    "404": "Not found, or not yours.",
    "409": "Conflicts with the current state.",
    "410": "This sync cursor is older than the deletions kept: sync again without a cursor.",
    "411": "A chunked body (no Content-Length): it is not read.",
    "415": "Body is not application/json.",
    "422": "The Idempotency-Key was already used with a different request.",
    "429": "Throttled; see Retry-After.",
    "503": "The database is unavailable (restarting, unreachable); retry after Retry-After.",
}
PROBLEM_EXAMPLES: dict[str, dict[str, Any]] = {
    "400": problem_body(
        400,
        detail="The request has invalid fields; see `errors`.",
        code="validation_error",
        errors={"amount": ["An amount has at most two decimal places (whole cents)."]},
    ),
    "401": problem_body(
        401, detail="Authentication credentials were not provided.", code="not_authenticated"
    ),
    "403": problem_body(
        403,
        detail="This personal access token has the read scope: it may only use GET, HEAD "
        "and OPTIONS.",
        code="insufficient_scope",
    ),
    "404": problem_body(404, detail="Not found.", code="not_found"),
    "409": problem_body(
        409,
        detail="The category is used by records; move or delete them first.",
        code="conflict",
    ),
    "410": problem_body(
        410,
        detail="This cursor is older than the deletions kept (90 days): sync again without a "
        "cursor.",
        code="cursor_expired",
    ),
    "411": problem_body(
        411,
        detail=CHUNKED_BODY_DETAIL,
        code="length_required",
    ),
    "415": problem_body(
        415, detail='Unsupported media type "text/plain" in request.', code="unsupported_media_type"
    ),
    "422": problem_body(
        422,
        detail="This Idempotency-Key was already used with a different request; use a new key.",
        code="idempotency_key_reused",
    ),
    "429": problem_body(
        429, detail="Request was throttled. Expected available in 42 seconds.", code="throttled"
    ),
    "503": problem_body(
        503,
        detail="The database is unavailable; retry in a few seconds.",
        code="service_unavailable",
    ),
}
# A 400 of an operation without a body is about its query parameters.
QUERY_PROBLEM_EXAMPLE = problem_body(
    400,
    detail="The request has invalid fields; see `errors`.",
    code="validation_error",
    errors={"month": ["Enter a month as YYYY-MM."]},
)
# The 403 of an operation that refuses every personal access token.
TOKEN_FORBIDDEN_EXAMPLE = problem_body(
    403,
    detail="A personal access token cannot be used here: account settings and tokens need a "
    "sign-in with your password.",
    code="forbidden",
)
# The one-line summaries of a viewset's actions; ReDoc lists operations by them.
ACTION_SUMMARIES = {
    "list": "List your {plural}",
    "create": "Create {a} {singular}",
    "retrieve": "Read {a} {singular}",
    "update": "Replace {a} {singular}",
    "partial_update": "Change some fields of {a} {singular}",
    "destroy": "Delete {a} {singular}",
}

IF_NONE_MATCH_PARAMETER = OpenApiParameter(
    "If-None-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "The ETag of an earlier answer to the same request: 304 with no body while none of "
        "your data has changed since (nor the UTC date)."
    ),
)
NOT_MODIFIED_RESPONSE = {
    "description": "Not modified: the If-None-Match you sent is still the current ETag."
}
ETAG_HEADERS = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "Send it back as If-None-Match to get a 304 while nothing changed.",
    },
    "Cache-Control": {"schema": {"type": "string", "example": "private, no-cache"}},
}

REPLAYED_HEADER = {
    "Idempotent-Replayed": {
        "schema": {"type": "string", "enum": ["true"]},
        "description": "On a replay of an earlier request with the same Idempotency-Key: "
        "its first answer, created nothing new.",
    }
}
CHALLENGE_HEADER = {
    "WWW-Authenticate": {
        "schema": {"type": "string", "example": 'Bearer realm="api"'},
        "required": True,
        "description": "The bearer challenge.",
    }
}


def examples(
    *, request: dict[str, Any] | None = None, response: dict[str, Any] | None = None
) -> list[OpenApiExample]:
    """A request example and a response example for a view's `schema_examples`. A list
    operation shows the response example as one result of a page."""
    found = []
    if request is not None:
        found.append(OpenApiExample("Example request", value=request, request_only=True))
    if response is not None:
        found.append(OpenApiExample("Example answer", value=response, response_only=True))
    return found


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    optional_response_fields = ("errors",)

    type = serializers.CharField(help_text="A URI naming the kind of problem.")
    title = serializers.CharField(help_text="The HTTP status phrase.")
    status = serializers.IntegerField()
    detail = serializers.CharField()


# `errors` is also the name of Serializer's property holding validation errors; the metaclass
# keeps declared fields apart from attributes anyway, and declaring it here (as the metaclass
# would) keeps the type checker from reading it as an override of that property.
ProblemSerializer._declared_fields["errors"] = serializers.DictField(
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

    def get_summary(self) -> str | None:
        summary = super().get_summary() or getattr(self.view, "schema_summaries", {}).get(
            getattr(self.view, "action", None)
        )
        nouns = getattr(self.view, "schema_nouns", None)
        template = ACTION_SUMMARIES.get(getattr(self.view, "action", None) or "")
        if summary or not nouns or not template:
            return summary
        singular, plural = nouns
        article = "an" if singular[0] in "aeiou" else "a"
        return template.format(a=article, singular=singular, plural=plural)

    # drf-spectacular's AutoSchema.get_description takes no arguments; the DRF stubs type
    # the base class's older signature.
    def get_description(self) -> str:  # type: ignore[override]
        described = getattr(self.view, "schema_descriptions", {})
        action = getattr(self.view, "action", None) or self.method.lower()
        if action in described:
            return described[action]
        return super().get_description()

    def get_examples(self) -> list[OpenApiExample]:
        return super().get_examples() or list(getattr(self.view, "schema_examples", []))

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        # An empty query parameter is the parameter left out (django-filter's rule, and the
        # summaries'); only the page number and size refuse one (a 400).
        paginator = self._get_paginator() if self._is_list_view() else None
        strict = {paginator.page_query_param, paginator.page_size_query_param} if paginator else ()
        for parameter in operation.get("parameters", []):
            optional = parameter["in"] == "query" and not parameter.get("required")
            if optional and parameter["name"] not in strict:
                parameter["allowEmptyValue"] = True
        return operation

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response":
            optional = set(getattr(serializer, "optional_response_fields", ()))
            required = [name for name in schema["properties"] if name not in optional]
            if required:
                schema["required"] = required
        return schema

    def get_override_parameters(self) -> list[Any]:
        parameters = super().get_override_parameters()
        if self._is_idempotent():
            parameters = [*parameters, IDEMPOTENCY_KEY_PARAMETER]
        if self._is_conditional():
            parameters = [*parameters, IF_NONE_MATCH_PARAMETER]
        return parameters

    def _is_conditional(self) -> bool:
        """A GET that fintrack.core.api.conditional answers with an ETag (or 304)."""
        return (
            self.method == "GET"
            and getattr(self.view, "conditional_get", True)
            and not any(isinstance(p, AllowAny) for p in self.view.get_permissions())
        )

    def _is_idempotent(self) -> bool:
        handler = getattr(self.view, getattr(self.view, "action", None) or "", None)
        handler = handler or getattr(self.view, self.method.lower(), None)
        return self.method == "POST" and getattr(handler, "idempotent", False)

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if self._is_conditional() and direction == "response":
            if "200" in responses:
                responses["200"].setdefault("headers", {}).update(ETAG_HEADERS)
            responses["304"] = {**NOT_MODIFIED_RESPONSE, "headers": dict(ETAG_HEADERS)}
        if self._is_idempotent() and direction == "response":
            for code in ("200", "201"):
                if code in responses:
                    responses[code].setdefault("headers", {}).update(REPLAYED_HEADER)
        for code in sorted(self._problem_statuses()):
            if code in responses:
                continue
            response = self._get_response_for_code(
                ProblemSerializer, code, media_types=[PROBLEM_CONTENT_TYPE], direction=direction
            )
            response["description"] = {**_DESCRIPTIONS, **self._problem_descriptions()}[code]
            if code == "413":  # the view's own limit
                limit = size_text(self._body_limit())
                detail = f"The request body is larger than {limit}."
                example = problem_body(413, detail=detail, code="payload_too_large")
            else:
                example = PROBLEM_EXAMPLES[code]
            if code == "400" and self.method not in _BODY_METHODS:
                example = QUERY_PROBLEM_EXAMPLE
            elif code == "400":
                example = self._body_problem_example() or example
            own = getattr(self.view, "problem_examples", {})
            if code == "409" and "409" in own:
                example = problem_body(409, detail=own["409"], code="conflict")
            if code == "403" and self._refuses_tokens():
                example = TOKEN_FORBIDDEN_EXAMPLE
            response["content"][PROBLEM_CONTENT_TYPE]["example"] = example
            if code == "401":
                response["headers"] = dict(CHALLENGE_HEADER)
            responses[code] = response
        return responses

    def _body_problem_example(self) -> dict[str, Any] | None:
        """A 400 naming a field this operation takes (the common example names `amount`): its
        first required field, left out. None for a body with an amount, or without fields."""
        serializer = self.get_request_serializer()
        if not isinstance(serializer, serializers.BaseSerializer | type):
            return None  # a raw body (the CSV upload's)
        fields = getattr(force_instance(serializer), "fields", None)
        if not fields or "amount" in fields:
            return None
        writable = [name for name, field in fields.items() if not field.read_only]
        required = [name for name in writable if fields[name].required]
        named = (required or writable or [None])[0]
        if named is None:
            return None
        # A PATCH requires nothing: there, the field sent as null.
        message = "This field may not be null." if self.method == "PATCH" else None
        return problem_body(
            400,
            detail="The request has invalid fields; see `errors`.",
            code="validation_error",
            errors={named: [message or "This field is required."]},
        )

    def _body_limit(self) -> int:
        """The view's body limit, as RequestBodyLimitMiddleware applies it (`body_limit`)."""
        return int(getattr(self.view, "max_body_bytes", None) or settings.MAX_REQUEST_BODY_BYTES)

    def _problem_descriptions(self) -> dict[str, str]:
        """What each problem status means here: the view's own words (its
        `problem_descriptions`), else the common ones; a 413 names the view's body limit."""
        limit = size_text(self._body_limit())
        return {"413": f"Body over {limit}.", **getattr(self.view, "problem_descriptions", {})}

    def _takes_scoped_tokens(self) -> bool:
        """Whether a credential with a scope (a personal access token) can reach the view."""
        return any(getattr(auth, "scoped", False) for auth in self.view.get_authenticators())

    def _refuses_tokens(self) -> bool:
        return self.method in getattr(self.view, "refuses_personal_access_tokens", ())

    def _problem_statuses(self) -> set[str]:
        codes = {"429"}
        if getattr(self.view, "uses_database", True):
            codes.add("503")
        if self.method in _BODY_METHODS:
            codes |= {"411", "413"}  # whatever the view reads: checked before it runs
            if self.get_request_serializer() is not None:  # not `request=None`: no body read
                codes |= {"400", "415"}
        if self._is_list_view() or self.get_filter_backends():
            codes |= {"400", "404"}  # bad query parameters; a page past the end
        if "{" in self.path:
            codes.add("404")
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes.add("401")
        if self._is_idempotent():
            codes.add("422")
        if self._takes_scoped_tokens() and (
            self.method not in SAFE_METHODS or self._refuses_tokens()
        ):
            codes.add("403")
        declared = getattr(self.view, "problem_statuses", {})
        codes |= set(declared.get(self.method.lower(), ())) | set(declared.get("*", ()))
        return codes


_SECONDS = {"type": "integer", "minimum": 0}
# components/headers: each written once, referred to by every answer that carries it.
RESPONSE_HEADERS = {
    "RateLimit-Limit": {
        "description": "Requests allowed in the current window (the tightest limit that "
        "applies). The three RateLimit headers come with every answer to a signed-in caller and "
        "those of sign-up and sign-in; not with a 401, nor to an anonymous caller elsewhere.",
        "schema": {"type": "integer", "minimum": 1},
    },
    "RateLimit-Remaining": {
        "description": "Requests left in the current window.",
        "schema": {"type": "integer", "minimum": 0},
    },
    "RateLimit-Reset": {
        "description": "Seconds until the current window ends.",
        "schema": _SECONDS,
    },
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "required": True,
        "schema": _SECONDS,
    },
}
# RateLimit-* come with every answer that went through a throttle: every answer to a signed-in
# user, and those of the per-address limits (sign-up, sign-in); so not required of each.
_RATE_LIMIT_HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")
_RETRY_AFTER_STATUSES = {"429", "503"}
# Every answer to a signed-in user without an ETag (those document their own, no-cache).
_NO_STORE_HEADER = {"schema": {"type": "string", "example": "private, no-store"}}


def add_response_headers(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A postprocessing hook (SPECTACULAR_SETTINGS): the rate limit headers on every answer,
    Retry-After on every 429 and 503, as references to components/headers."""
    result.setdefault("components", {})["headers"] = RESPONSE_HEADERS
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for status_code, response in operation.get("responses", {}).items():
                names = [*_RATE_LIMIT_HEADERS]
                if status_code in _RETRY_AFTER_STATUSES:
                    names.append("Retry-After")
                headers = response.setdefault("headers", {})
                for name in names:
                    headers[name] = {"$ref": f"#/components/headers/{name}"}
                headers.setdefault("Cache-Control", _NO_STORE_HEADER)
    return result
