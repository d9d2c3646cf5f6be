"""The only request parser: strict JSON, fractions read as Decimal, bounded nesting."""

import codecs
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.http import parse_header_parameters
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.parsers import JSONParser
from rest_framework.utils.json import strict_constant

MAX_JSON_DEPTH = 32


class StrictJSONParser(JSONParser):
    """JSON in, with five guarantees DRF's parser lacks.

    - `12.34` becomes Decimal("12.34"), never a float, so no amount is ever rounded in binary;
    - NaN and Infinity are refused;
    - deep nesting is a 400, not a RecursionError (a 500);
    - a key twice in one object is a 400;
    - a charset other than UTF-8 is a 415.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        # The header's own charset: Django drops one it does not know and reads UTF-8 instead.
        _, params = parse_header_parameters(media_type or "")
        encoding = params.get("charset") or settings.DEFAULT_CHARSET
        if not _is_utf8(encoding):
            # JSON is UTF-8 (RFC 8259, section 8.1): another charset is another media type.
            raise UnsupportedMediaType(media_type or "", detail="JSON must be UTF-8.")
        try:
            text = stream.read().decode("utf-8")
            data = json.loads(
                text,
                parse_float=Decimal,
                parse_constant=strict_constant,
                object_pairs_hook=_unique_keys,
            )
        except RecursionError as exc:
            raise ParseError("JSON parse error - nested too deeply.") from exc
        except (ValueError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        if _depth_exceeds(data, MAX_JSON_DEPTH):
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.")
        return data


def _is_utf8(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys repeat is ambiguous (which `amount` counts?): refused."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        repeated = ""
        for key, _ in pairs:
            if key in seen:
                repeated = key
                break
            seen.add(key)
        raise ValueError(f'the key "{repeated}" appears more than once')
    return data


def _depth_exceeds(data: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, Mapping):
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
