"""Settings shared by every environment; everything that varies is read from the environment."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from corsheaders.defaults import default_headers as default_cors_headers
from django.core.exceptions import ImproperlyConfigured

from config.email_url import email_settings

from .database import CHECKING_POSTGRESQL, POSTGRESQL, configure_pooling

DEFAULT_EMAIL_URL = "smtp://localhost:25?starttls=0"

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()


def env_int(name: str, *, default: int, minimum: int) -> int:
    """An integer setting: an empty value is the default; below `minimum`, a clear refusal (a
    zero token lifetime, a negative proxy count) instead of a server that starts broken."""
    raw = env.str(name, default="").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


# Public on purpose: it only ever signs development tokens, and production refuses it.
DEVELOPMENT_SECRET_KEY = "django-insecure-fintrack-development-key-never-use-in-production"
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
# "a.example.com, b.example.com" is two names, not " b.example.com".
ALLOWED_HOSTS = [
    name.strip()
    for name in env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
    if name.strip()
]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    # Before staticfiles, so that its `runserver` (static errors as problems) is the one run.
    "fintrack.core",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "fintrack.accounts",
    "fintrack.ledger",
    "fintrack.goals",
    "fintrack.budgets",
    "fintrack.imports",
    "fintrack.analytics",
    "fintrack.idempotency",
    "fintrack.web",
    "fintrack.recurring",
    "fintrack.tokens",
    "fintrack.sync",
    "fintrack.quotas",
]

MIDDLEWARE = [
    # First, so that its headers reach every answer, the rewritten error answers included.
    "corsheaders.middleware.CorsMiddleware",
    # Outermost, so that every error answer, whoever produced it, leaves as problem+json.
    "fintrack.core.api.middleware.ProblemDetailsMiddleware",
    "fintrack.core.api.middleware.RequestBodyLimitMiddleware",
    "fintrack.core.api.middleware.RateLimitHeadersMiddleware",
    "fintrack.core.api.conditional.CacheControlMiddleware",
    # Its redirect to HTTPS, of a POST: a 308, which keeps the body (not Django's 301).
    "fintrack.core.api.middleware.HttpsRedirectKeepsBodiesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
# Where `/` sends a visitor (a temporary redirect, so that it can change): the dashboard.
HOME_URL = "/app/"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", default=0, minimum=0)
# A reused connection is checked before a request uses it, so that the first request after
# PostgreSQL restarts does not fail; on PostgreSQL, by the request's first read itself rather
# than by a `SELECT 1` round trip of its own (fintrack/core/postgresql/base.py).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == POSTGRESQL:
    DATABASES["default"]["ENGINE"] = CHECKING_POSTGRESQL
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts: concurrent writers then queue (up to
    # the timeout) instead of failing with "database is locked" half way through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
# PgBouncer in transaction mode, or psycopg's own pool (config/settings/database.py).
configure_pooling(
    DATABASES["default"],
    pooler=env("DATABASE_POOLER", default=""),
    pool_size=env.int("DATABASE_POOL_SIZE", default=0),
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# The contract: a body over 1 MiB is a 413, unless its view declares a larger `max_body_bytes`
# (the CSV import: 10 MiB). RequestBodyLimitMiddleware enforces it per view; Django's global
# DATA_UPLOAD_MAX_MEMORY_SIZE would refuse such a view's body, so it is off.
MAX_REQUEST_BODY_BYTES = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = None
# Every path ends with a slash; a missing one is a 404 rather than a redirect that would
# drop a POST body (or, under DEBUG, a RuntimeError).
APPEND_SLASH = False

# Browsers on these origins may call the API; none by default (mobile and server clients do
# not need CORS).
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_HEADERS = (*default_cors_headers, "idempotency-key")
CORS_EXPOSE_HEADERS = [
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Idempotent-Replayed",
    "WWW-Authenticate",
]

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that is down or hangs answers a 503 within two seconds, not never.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Benchmarks only (make bench): routes /api/bench/ceiling/, a fixed list-sized answer behind
# the same middleware, authentication and throttles, to measure what the stack itself costs.
BENCH_CEILING = env.bool("BENCH_CEILING", default=False)

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First: it takes only `Bearer ftp_...` and passes every other bearer token on to the
        # JWT class (its 401 challenge, the first class's, is the same `Bearer realm="api"`).
        "fintrack.tokens.authentication.PersonalAccessTokenAuthentication",
        "fintrack.accounts.authentication.GenerationJWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        # Before the catch-up: a request a token may not make changes nothing.
        "fintrack.tokens.api.permissions.IsWithinTokenScope",
        # After IsAuthenticated: creates the user's due recurring occurrences (see its module).
        "fintrack.recurring.api.permissions.RecurringCaughtUp",
        # Last: 304 for an unchanged GET, after every check that could refuse the request.
        "fintrack.core.api.conditional.ConditionalGet",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["fintrack.core.api.parsers.StrictJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "fintrack.core.api.negotiation.JSONWhateverTheAccept",
    "DEFAULT_THROTTLE_CLASSES": ["fintrack.core.api.throttles.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "auth": env("THROTTLE_AUTH_RATE", default="10/min"),
        "user": env("THROTTLE_USER_RATE", default="5000/hour"),
        # Failed sign-ins per (username, address), and per username from any address.
        "login_failure": env("THROTTLE_LOGIN_FAILURE_RATE", default="5/min"),
        "login_failure_username": env("THROTTLE_LOGIN_FAILURE_USERNAME_RATE", default="50/hour"),
        # Password reset requests per client address and per email address (known or not: each
        # mailbox gets at most 3 reset mails an hour), and reset confirmations per address.
        "password_reset": env("THROTTLE_PASSWORD_RESET_RATE", default="5/min"),
        "password_reset_email": env("THROTTLE_PASSWORD_RESET_EMAIL_RATE", default="3/hour"),
        "password_reset_confirm": env("THROTTLE_PASSWORD_RESET_CONFIRM_RATE", default="10/min"),
        "import": env("THROTTLE_IMPORT_RATE", default="20/hour"),
        "export": env("THROTTLE_EXPORT_RATE", default="30/hour"),
    },
    # Behind no proxy by default: trusting X-Forwarded-For would let anyone dodge throttles.
    "NUM_PROXIES": env_int("NUM_PROXIES", default=0, minimum=0),
    "EXCEPTION_HANDLER": "fintrack.core.api.problems.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "fintrack.core.api.schema.ProblemAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "fintrack.core.api.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# Mail (password reset codes) through Django's email backend, described by one URL
# (config/email_url.py): console:, file:///path/, locmem:, smtp://user:pass@host:587 (STARTTLS),
# smtps://user:pass@host:465. Unset: Django's own default, an SMTP server on localhost:25.
# (local.py defaults to console:, so `make run` prints each mail on the server's output.)
globals().update(email_settings(env("EMAIL_URL", default=DEFAULT_EMAIL_URL)).as_settings())
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="fintrack <no-reply@localhost>")
# Password reset codes (Django's PasswordResetTokenGenerator) live one hour, and die as soon as
# the password changes. The link in the mail, when set: {uid} and {token} are filled in.
PASSWORD_RESET_TIMEOUT = 3600
PASSWORD_RESET_URL = env("PASSWORD_RESET_URL", default="")
if PASSWORD_RESET_URL and (
    "{uid}" not in PASSWORD_RESET_URL or "{token}" not in PASSWORD_RESET_URL
):
    raise ImproperlyConfigured("PASSWORD_RESET_URL must hold both {uid} and {token}.")
# Reset mail leaves in a background thread, so an answer takes as long whether or not the email
# has an account (tests send inline to read the outbox).
PASSWORD_RESET_MAIL_IN_BACKGROUND = env.bool("PASSWORD_RESET_MAIL_IN_BACKGROUND", default=True)

SIMPLE_JWT: dict[str, Any] = {
    "ACCESS_TOKEN_LIFETIME": timedelta(
        minutes=env_int("ACCESS_TOKEN_MINUTES", default=15, minimum=1)
    ),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("REFRESH_TOKEN_DAYS", default=7, minimum=1)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "SIGNING_KEY": env("JWT_SIGNING_KEY", default=SECRET_KEY),
    "ALGORITHM": "HS256",
    "AUTH_HEADER_TYPES": ("Bearer",),
    "TOKEN_OBTAIN_SERIALIZER": "fintrack.accounts.api.serializers.TokenObtainSerializer",
    "TOKEN_REFRESH_SERIALIZER": "fintrack.accounts.api.serializers.TokenRefreshSerializer",
    "AUTH_TOKEN_CLASSES": ("fintrack.accounts.tokens.AccessToken",),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "fintrack API",
    "DESCRIPTION": (
        "Record your incomes and expenses, sort them into categories, save towards goals, "
        "and read monthly summaries and trends.\n\n"
        "**Start here:** create an account with `POST /api/register/`, sign in with "
        "`POST /api/token/`, then send the access token as `Authorization: Bearer <token>` "
        "(in Swagger UI: **Authorize**). Access tokens live 15 minutes; "
        "`POST /api/token/refresh/` trades the refresh token for a new pair. For scripts, "
        "a personal access token (`POST /api/tokens/`, `ftp_...`) is sent the same way and "
        "lives until it expires or is revoked.\n\n"
        '**Money** is a JSON string with two decimals (`"42.10"`); requests may send a '
        "string or a number with at most two decimals. **Dates** are `YYYY-MM-DD`, months "
        "`YYYY-MM`. **Errors** are RFC 9457 problem details (`application/problem+json`) "
        "with a `type` such as `urn:fintrack:problem:validation-error` and, for invalid "
        "input, `errors` by field. Another user's object answers 404, like a missing one."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The token lives in the page only: never in localStorage, where any script could read it.
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False},
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",  # the default
        "fintrack.core.api.schema.add_response_headers",
    ],
    "ENUM_NAME_OVERRIDES": {},
    # fintrack.core.api.routing's `<id:...>` path segments are integers.
    "PATH_CONVERTER_OVERRIDES": {"id": int},
    # The docs' sections, in the order a new user needs them. Tag names are part of the
    # contract: never rename one, only order and describe.
    "TAGS": [
        {"name": "accounts", "description": "Sign up, sign in, and manage your account."},
        {
            "name": "tokens",
            "description": "Personal access tokens for scripts and tools: long-lived, named, "
            "read-only or read-write, revocable. Created and managed with a password sign-in.",
        },
        {
            "name": "incomes",
            "description": "Money you received: pay, refunds, gifts. Filter, sort and total.",
        },
        {
            "name": "expenses",
            "description": "Money you spent. Filter by period, category and amount; sort; "
            "every page carries the total of the whole filtered set.",
        },
        {
            "name": "categories",
            "description": "Your income and expense categories. A record's category is "
            "created on first use; rename or delete one here.",
        },
        {
            "name": "tags",
            "description": "Labels across categories (a trip, a project): tag records, then "
            "read a tag's total with the `tag` filter.",
        },
        {
            "name": "budgets",
            "description": "Monthly caps per expense category, with rollover, and how they "
            "stand in any month.",
        },
        {
            "name": "recurring",
            "description": "Rent, pay, subscriptions: rules that record an income or an "
            "expense on every occurrence by themselves, and the forecast of what is coming.",
        },
        {
            "name": "imports",
            "description": "Your bank's CSV imported without duplicates: previewed row by row, "
            "committed, undone.",
        },
        {
            "name": "export",
            "description": "Every record, streamed as CSV or JSON.",
        },
        {
            "name": "goals",
            "description": "Savings goals, their progress, and the deposits and withdrawals "
            "made towards them.",
        },
        {
            "name": "analytics",
            "description": "Totals of a period compared with the one before, and month by "
            "month trends.",
        },
        {
            "name": "sync",
            "description": "The changes feed: what changed since a client's last sync, in "
            "commit order, deletions included.",
        },
        {"name": "service", "description": "The API's index, its health, and its schema."},
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO").strip().upper()},
    # Django's own loggers print through the root's handler only: its default "console"
    # handler (on under DEBUG) printed every warning twice, plain and formatted. The dev
    # server's access lines ("django.server") keep Django's handler and print once.
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}
