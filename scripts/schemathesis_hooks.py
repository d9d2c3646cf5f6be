"""Schemathesis hooks for scripts/e2e.sh: every well-formed Idempotency-Key made unique.

The fuzzer draws header values from a small space and sends the same key and body more than
once. fintrack then replays the first answer, as the contract says, even when that resource
has since been deleted, and the `ensure_resource_availability` check reads the replayed id as
"created, then not found". A fresh key per request keeps that check meaningful; malformed keys
are sent as drawn (their 400 stays fuzzed), and replays are covered by
tests/test_idempotency_api.py.
"""

import uuid
from typing import Any

import schemathesis

HEADER = "Idempotency-Key"


def _well_formed(key: object) -> bool:
    return isinstance(key, str) and 1 <= len(key) <= 255 and all(" " <= c <= "~" for c in key)


@schemathesis.hook
def map_headers(context: Any, headers: dict[str, Any] | None) -> dict[str, Any] | None:
    if headers and _well_formed(headers.get(HEADER)):
        return {**headers, HEADER: uuid.uuid4().hex}
    return headers
