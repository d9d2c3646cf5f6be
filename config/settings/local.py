"""Development settings for `make run`: DEBUG on, SQLite by default, a random private key,
generous sign-in limits."""

from pathlib import Path

from config.email_url import email_settings

from .base import *  # noqa: F403
from .base import BASE_DIR, REST_FRAMEWORK, SIMPLE_JWT, env
from .dev_secret import dev_secret_key

DEBUG = env.bool("DEBUG", default=True)
# Mail (password reset codes) is printed on the server's output unless EMAIL_URL says otherwise.
globals().update(email_settings(env("EMAIL_URL", default="console:")).as_settings())

# Made on first use and reused after, in a file git ignores (SECRET_KEY still wins if set).
SECRET_KEY = env("SECRET_KEY", default="") or dev_secret_key(
    Path(env("DEV_SECRET_KEY_FILE", default=str(BASE_DIR / ".dev-secret-key")))
)
SIMPLE_JWT = {**SIMPLE_JWT, "SIGNING_KEY": env("JWT_SIGNING_KEY", default=SECRET_KEY)}

# A development server on loopback: someone following the README (or running the Postman
# collection twice) signs up and in far more often than the production limits allow, and must
# never meet a 429 there. Production (base.py) keeps 10/min and 5 failures/min; the variables
# still override both. Other scopes keep base.py's rates.
DEVELOPMENT_THROTTLE_RATES = {
    **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    "auth": env("THROTTLE_AUTH_RATE", default="1000/min"),
    "user": env("THROTTLE_USER_RATE", default="100000/hour"),
    "login_failure": env("THROTTLE_LOGIN_FAILURE_RATE", default="100/min"),
    "login_failure_username": env("THROTTLE_LOGIN_FAILURE_USERNAME_RATE", default="1000/hour"),
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": DEVELOPMENT_THROTTLE_RATES}
