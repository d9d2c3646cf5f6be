"""Schemathesis hooks for scripts/e2e.sh.

1. Every well-formed Idempotency-Key made unique. The fuzzer draws header values from a small
   space and sends the same key and body more than once. fintrack then replays the first
   answer, as the contract says, even when that resource has since been deleted, and the
   `ensure_resource_availability` check reads the replayed id as "created, then not found". A
   fresh key per request keeps that check meaningful; malformed keys are sent as drawn (their
   400 stays fuzzed), and replays are covered by tests/test_idempotency_api.py.

2. A "schema-violating request accepted" (ST201) is dropped when every query parameter it
   blames is a free text one (a string, or an array of strings, with no pattern, enum, format
   or length), or was not sent at all. A query string carries text only: the `null`, `false`
   or `0` the fuzzer draws as "not a string" arrives as the text "null", "false" or "0", which
   is a valid tag, category or search (schemathesis issues #2312, #2913, #3962); and a value
   it draws as `null` for a dated parameter is left out of the request, which then broke no
   rule. Every other ST201 still fails the run.
"""

import re
import uuid
from typing import Any

import schemathesis
from schemathesis.core.failures import AcceptedNegativeData

HEADER = "Idempotency-Key"
# "parameter `tag` in query", or "parameters `date_to`, `tag` in query".
BLAMED_QUERY_PARAMETERS = re.compile(r"parameters? ((?:`[^`]+`(?:, )?)+) in query")
TEXT_CONSTRAINTS = {"pattern", "enum", "const", "format", "minLength", "maxLength"}


def _well_formed(key: object) -> bool:
    return isinstance(key, str) and 1 <= len(key) <= 255 and all(" " <= c <= "~" for c in key)


@schemathesis.hook
def map_headers(context: Any, headers: dict[str, Any] | None) -> dict[str, Any] | None:
    if headers and _well_formed(headers.get(HEADER)):
        return {**headers, HEADER: uuid.uuid4().hex}
    return headers


def _is_free_text(schema: dict[str, Any]) -> bool:
    if schema.get("type") == "array":
        schema = schema.get("items", {})
    return schema.get("type") == "string" and not TEXT_CONSTRAINTS & schema.keys()


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    if not isinstance(failure, AcceptedNegativeData):
        return True
    blamed = BLAMED_QUERY_PARAMETERS.search(failure.message or "")
    if blamed is None:
        return True
    names = re.findall(r"`([^`]+)`", blamed.group(1))
    sent = case.query or {}
    schemas = {p.name: p.definition.get("schema", {}) for p in case.operation.query}
    harmless = [
        name in schemas and (sent.get(name) is None or _is_free_text(schemas[name]))
        for name in names
    ]
    return not all(harmless)
