"""The development server's secret key: random, made on first use, kept in an ignored file."""

import os
import secrets
from pathlib import Path


def dev_secret_key(path: Path) -> str:
    """The key stored at `path`, created (readable by its owner only) if missing.

    The repository publishes no key a running server signs with: a published one would let
    anyone forge a token for any account of any `make run` server.
    """
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as file:
        file.write(key + "\n")
    return key
