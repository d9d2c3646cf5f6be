"""The token's secret: how one is made, what it looks like, and the digest that is stored."""

import hashlib
import re
import secrets

TOKEN_PREFIX = "ftp_"
# 32 random bytes: 256 bits, 43 URL-safe base64 characters after the prefix.
SECRET_BYTES = 32
_TOKEN_PATTERN = re.compile(r"ftp_[A-Za-z0-9_-]{43}")


def new_token() -> str:
    """A fresh token, `ftp_` and 43 URL-safe characters; shown once, never stored."""
    return TOKEN_PREFIX + secrets.token_urlsafe(SECRET_BYTES)


def looks_like_token(value: str) -> bool:
    """Whether the value has a token's shape: anything else is refused without a query."""
    return _TOKEN_PATTERN.fullmatch(value) is not None


def token_digest(token: str) -> str:
    """The hex SHA-256 stored for a token.

    A fast hash on purpose: a slow one (PBKDF2, Argon2) makes a guessable password costly to
    brute-force from a stolen hash, but this secret is 256 random bits that no amount of
    guessing reaches, and a slow hash would cost every request that carries a token. Being
    deterministic, the digest is also the token's lookup key (a unique index)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()
