"""Settings for pytest: the base settings with a cheap Argon2 and throttles out of the way."""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, REST_FRAMEWORK

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-0123456789"
SIMPLE_JWT = {**SIMPLE_JWT, "SIGNING_KEY": SECRET_KEY}  # noqa: F405
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# Still Argon2 (the tests check the hash), at the lowest cost so the suite stays fast.
PASSWORD_HASHERS = ["fintrack.core.testing.FastArgon2PasswordHasher"]
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "auth": "100000/min",
        "user": "100000/min",
        "login_failure": "100000/min",
        "login_failure_username": "100000/min",
        "password_reset": "100000/min",
        "password_reset_email": "100000/min",
        "password_reset_confirm": "100000/min",
        "import": "100000/min",
        "export": "100000/min",
    },
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Inline, so that a test reads the mail from the outbox as soon as the request answers.
PASSWORD_RESET_MAIL_IN_BACKGROUND = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
