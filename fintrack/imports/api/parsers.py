"""The request parser of an import: a UTF-8 CSV body, read in chunks up to the view's limit."""

from typing import Any

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, UnsupportedMediaType
from rest_framework.parsers import BaseParser

from fintrack.core.api.middleware import size_text

_CHUNK_BYTES = 64 * 1024


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class CSVTextParser(BaseParser):
    """`text/csv` in UTF-8 (a BOM allowed) to a str: the body read chunk by chunk, refused
    with a 413 once past the view's `max_body_bytes` (a body sent without Content-Length
    included), 415 for another charset, 400 for bytes that are not UTF-8."""

    media_type = "text/csv"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        charset = _charset(media_type or "")
        if charset not in (None, "utf-8", "utf8"):
            raise UnsupportedMediaType(
                media_type or "", detail="Send the CSV in UTF-8 (charset=utf-8 or no charset)."
            )
        view = (parser_context or {}).get("view")
        limit = getattr(view, "max_body_bytes", None) or settings.MAX_REQUEST_BODY_BYTES
        chunks: list[bytes] = []
        size = 0
        while chunk := stream.read(_CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(f"The request body is larger than {size_text(limit)}.")
            chunks.append(chunk)
        try:
            return b"".join(chunks).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = b"".join(chunks)[: exc.start].count(b"\n") + 1
            raise ParseError(
                f"The file is not UTF-8 text (an invalid byte on line {line}); "
                "save it as UTF-8 and send it again."
            ) from exc


def _charset(media_type: str) -> str | None:
    for parameter in media_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None
