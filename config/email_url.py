"""EMAIL_URL: one URL that picks Django's email backend and its server.

django-environ's email_url() knows `smtp://`, `smtps://` and its own `consolemail://`-style
names, not the `console:`, `file:///path/` and `locmem:` the README documents, so this small
parser reads them all.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
LOCMEM_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DUMMY_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

_LOCAL_BACKENDS = {
    "console": CONSOLE_BACKEND,
    "locmem": LOCMEM_BACKEND,
    "dummy": DUMMY_BACKEND,
}


@dataclass(frozen=True)
class EmailSettings:
    """The EMAIL_* settings one URL stands for (Django's defaults where it says nothing)."""

    backend: str
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    file_path: str | None = None

    def as_settings(self) -> dict[str, Any]:
        """The Django settings, by name (EMAIL_BACKEND, EMAIL_HOST...)."""
        return {
            "EMAIL_BACKEND": self.backend,
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": self.port,
            "EMAIL_HOST_USER": self.user,
            "EMAIL_HOST_PASSWORD": self.password,
            "EMAIL_USE_TLS": self.use_tls,
            "EMAIL_USE_SSL": self.use_ssl,
            "EMAIL_FILE_PATH": self.file_path,
        }


def email_settings(url: str) -> EmailSettings:
    """Read EMAIL_URL.

    - `console:` prints each mail on the server's output; `locmem:` keeps it in memory (tests);
      `dummy:` drops it;
    - `file:///path/` writes each mail as a file in that folder;
    - `smtp://user:pass@host:587` sends with STARTTLS (`?starttls=0` for a plain relay, such as
      a local MTA); `smtps://user:pass@host:465` with TLS from the first byte.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in _LOCAL_BACKENDS:
        return EmailSettings(backend=_LOCAL_BACKENDS[scheme])
    if scheme == "file":
        if not parts.path or parts.netloc:
            raise ImproperlyConfigured("EMAIL_URL: write a folder as file:///absolute/path/.")
        return EmailSettings(backend=FILE_BACKEND, file_path=unquote(parts.path))
    if scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(
            "EMAIL_URL must start with smtp://, smtps://, console:, file:///, locmem: or dummy:."
        )
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL: an smtp:// or smtps:// URL needs a host.")
    try:
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured("EMAIL_URL: the port is not a number.") from exc
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    starttls = query.get("starttls", "1").lower() not in {"0", "false", "no", "off"}
    implicit_tls = scheme == "smtps"
    return EmailSettings(
        backend=SMTP_BACKEND,
        host=parts.hostname,
        port=port or (465 if implicit_tls else 587),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=starttls and not implicit_tls,
        use_ssl=implicit_tls,
    )
