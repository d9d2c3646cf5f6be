"""Fixtures every API test module shares: Alice and Bob, and a client signed in as each."""

import pytest

# Imported before any test freezes time: DRF reads `time.time` into SimpleRateThrottle.timer when
# the module is first imported, and under freezegun that would be a fake clock that crashes
# every throttled view of the session.
import rest_framework.throttling  # noqa: F401
from pytest_django import Settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from fintrack.accounts.models import User

# Headless Chromium for the browser tests (`browser`, `logged_page`): tests/browser.py.
from .browser import browser, chromium_browser, live_server, logged_page  # noqa: F401
from .factories import UserFactory


def set_throttle_rates(settings: Settings, **rates: str) -> None:
    """These throttle rates for the test (pytest-django restores the settings after it), the
    others as configured."""
    current = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**current, **rates},
    }


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture
def alice(db: None) -> User:
    return UserFactory.create(username="alice", email="alice@example.com")


@pytest.fixture
def bob(db: None) -> User:
    return UserFactory.create(username="bob", email="bob@example.com")


@pytest.fixture
def alice_client(alice: User) -> APIClient:
    return client_for(alice)


@pytest.fixture
def bob_client(bob: User) -> APIClient:
    return client_for(bob)
