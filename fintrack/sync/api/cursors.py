"""Opaque cursors of the changes feed: a signed (user, counter, change id)."""

from django.core import signing

from ..selectors import Position

_SALT = "fintrack.sync.cursor"


class MalformedCursor(ValueError):
    pass


def cursor_encode(*, user_id: int, position: Position) -> str:
    return signing.dumps([user_id, position.seq, position.change_id], salt=_SALT)


def cursor_decode(cursor: str, *, user_id: int) -> Position:
    """The position in a cursor this server signed for this user; anything else (edited,
    truncated, another user's, another server's) is malformed."""
    try:
        value = signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise MalformedCursor from exc
    if (
        not isinstance(value, list)
        or len(value) != 3
        or not all(type(part) is int for part in value)
        or value[0] != user_id
    ):
        raise MalformedCursor
    return Position(seq=value[1], change_id=value[2])
