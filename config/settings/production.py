"""Production settings for `make serve` and deployments: DEBUG off, secrets demanded."""

from django.core.exceptions import ImproperlyConfigured

from config.email_url import CONSOLE_BACKEND, email_settings

from .base import *  # noqa: F403
from .base import (
    DATABASES,
    DEFAULT_EMAIL_URL,
    DEVELOPMENT_SECRET_KEY,
    MIDDLEWARE,
    SECRET_KEY,
    SIMPLE_JWT,
    env,
    env_int,
)
from .database import uses_pool

if env.bool("DEBUG", default=False):
    raise ImproperlyConfigured("Production settings refuse to run with DEBUG on.")
DEBUG = False


def _refuse_weak_key(name: str, key: str) -> None:
    if key == DEVELOPMENT_SECRET_KEY or len(key.strip()) < 32:
        raise ImproperlyConfigured(
            f"Production settings need {name} set to a private value of 32 characters or more."
        )


_refuse_weak_key("SECRET_KEY", SECRET_KEY)
# The key that signs every access and refresh token: guarded like SECRET_KEY, whose value it
# takes when unset (a public or empty one would let anyone forge a token for any account).
_refuse_weak_key("JWT_SIGNING_KEY", SIMPLE_JWT["SIGNING_KEY"])

# A reset code printed on a server's output is a reset code in its logs.
EMAIL_BACKEND = email_settings(env("EMAIL_URL", default=DEFAULT_EMAIL_URL)).backend
if EMAIL_BACKEND == CONSOLE_BACKEND and not env.bool("ALLOW_CONSOLE_EMAIL", default=False):
    raise ImproperlyConfigured(
        "Production settings refuse EMAIL_URL=console: (mail, reset codes included, would go "
        "to the logs); set ALLOW_CONSOLE_EMAIL=1 to allow it."
    )

# Persistent connections, unless psycopg's pool (DATABASE_POOL_SIZE) keeps them instead.
if not uses_pool(DATABASES["default"]):
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", default=60, minimum=0)

# TLS is expected to end at a proxy in front of gunicorn; `make serve` on loopback turns the
# redirect off explicitly.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers and container health checks ask over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^api/health/$"]
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# gunicorn serves the docs' assets (Swagger UI, ReDoc) itself, collected by `make serve`.
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "fintrack.web.storage.ManifestStaticFilesStorage"},
}
