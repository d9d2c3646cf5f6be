"""Idempotent creates: a retried POST with the same Idempotency-Key replays its first answer."""
