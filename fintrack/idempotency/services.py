"""Run a create at most once per (user, Idempotency-Key) within the retention window."""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from fintrack.core.api.request import AuthenticatedRequest

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
RETENTION = timedelta(hours=24)
REPLAY_HEADER = "Idempotent-Replayed"


class IdempotencyKeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = (
        "This Idempotency-Key was already used with a different request; use a new key."
    )
    default_code = "idempotency_key_reused"


def idempotency_key(request: Request) -> str | None:
    """The request's key, None without one; a 400 naming the header when it is malformed."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not all(" " <= char <= "~" for char in key):
        raise ValidationError({HEADER: ["Use 1 to 255 printable ASCII characters."]})
    return key


def request_fingerprint(request: Request) -> str:
    body = json.dumps(request.data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"))
    material = f"{request.method}\n{request.get_full_path()}\n{body}"
    return hashlib.sha256(material.encode()).hexdigest()


def purge_expired_records() -> int:
    """Delete answers older than the retention window; returns how many went."""
    deleted, _ = IdempotencyRecord.objects.filter(
        created_at__lt=timezone.now() - RETENTION
    ).delete()
    return deleted


def run_idempotently(request: AuthenticatedRequest, create: Callable[[], Response]) -> Response:
    """Call `create` once per key: later identical requests get the stored answer back.

    The record and the create share one transaction, so a crash stores neither, an error
    answer (4xx) stores nothing (the client may fix the body and retry with the same key),
    and two concurrent requests with one key meet at the unique constraint.
    """
    key = idempotency_key(request)
    if key is None:
        return create()
    fingerprint = request_fingerprint(request)
    user = request.user
    with transaction.atomic():
        IdempotencyRecord.objects.filter(
            user=user, key=key, created_at__lt=timezone.now() - RETENTION
        ).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=user, key=key, fingerprint=fingerprint, status_code=0, response_body={}
                )
        except IntegrityError:
            return _replay(IdempotencyRecord.objects.get(user=user, key=key), fingerprint)
        response = create()
        if not status.is_success(response.status_code):
            transaction.set_rollback(True)
            return response
        record.status_code = response.status_code
        record.response_body = json.loads(json.dumps(response.data, cls=JSONEncoder))
        record.save(update_fields=["status_code", "response_body"])
    return response


def _replay(record: IdempotencyRecord, fingerprint: str) -> Response:
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    response = Response(record.response_body, status=record.status_code)
    response[REPLAY_HEADER] = "true"
    return response
