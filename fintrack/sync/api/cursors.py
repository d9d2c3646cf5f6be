"""Opaque cursors of the changes feed: a signed (user, counter, change id[, deletions through])."""

from django.core import signing

from ..selectors import Position

_SALT = "fintrack.sync.cursor"


class MalformedCursor(ValueError):
    pass


def cursor_encode(*, user_id: int, position: Position) -> str:
    parts = [user_id, position.seq, position.change_id]
    if position.deletions_through > position.seq:
        parts.append(position.deletions_through)
    return signing.dumps(parts, salt=_SALT)


def cursor_decode(cursor: str, *, user_id: int) -> Position:
    """The position in a cursor this server signed for this user; anything else (edited,
    truncated, another user's, another server's) is malformed."""
    try:
        value = signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise MalformedCursor from exc
    if (
        not isinstance(value, list)
        or len(value) not in (3, 4)  # 4: a full sync's, with its deletions_through
        or not all(type(part) is int for part in value)
        or value[0] != user_id
    ):
        raise MalformedCursor
    return Position(*value[1:])
