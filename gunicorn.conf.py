"""gunicorn's settings, read from the project folder by every gunicorn started here.

gunicorn believes `X-Forwarded-Proto` from 127.0.0.1 by default and then tells Django the
request was HTTPS: HSTS and secure cookies would follow over plain HTTP. It trusts the header
exactly when Django does, under the same TRUST_X_FORWARDED_PROTO (README, Configuration).
And what gunicorn itself answers, before Django sees a request, is problem+json too.
"""

import json
import os
from typing import Any

from gunicorn import util as gunicorn_util

_trusted = os.environ.get("TRUST_X_FORWARDED_PROTO", "0").strip().lower() in {
    "1",
    "true",
    "yes",
    "on",
    "y",
    "ok",
}

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1") if _trusted else ""
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"} if _trusted else {}

# The longest request line gunicorn accepts (its largest bounded value): an 8 KiB query string
# reaches Django, which answers it as the API answers any bad input (a 400 problem, never a
# 414 page). Past it, gunicorn refuses the request itself, as it does a malformed one.
limit_request_line = 8190

# The README's default of 2 workers wherever gunicorn starts (the Procfile sets none; gunicorn's
# own default is 1). WEB_CONCURRENCY still decides when it is set.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2)


def _problem_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """What gunicorn writes when it refuses a request before fintrack sees it (a request line
    too long, malformed headers...): a problem+json, as every error of the API is, instead of
    its HTML page. The same status, reason and message; the connection closes."""
    body = json.dumps(
        {
            "type": "urn:fintrack:problem:" + reason.lower().replace(" ", "-"),
            "title": reason,
            "status": status_int,
            "detail": mesg or reason,
        },
        separators=(",", ":"),
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/problem+json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    gunicorn_util.write_nonblock(sock, head.encode("latin-1") + body)


# gunicorn writes those answers with util.write_error, which its workers look up when they
# answer: replaced here, in the process that forks them.
gunicorn_util.write_error = _problem_error
