"""Fixtures every API test module shares: Alice and Bob, and a client signed in as each."""

import pytest

# Imported before any test freezes time: DRF reads `time.time` into SimpleRateThrottle.timer when
# the module is first imported, and under freezegun that would be a fake clock that crashes
# every throttled view of the session.
import rest_framework.throttling  # noqa: F401
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from fintrack.accounts.models import User

from .factories import UserFactory


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture
def alice(db: None) -> User:
    return UserFactory(username="alice", email="alice@example.com")


@pytest.fixture
def bob(db: None) -> User:
    return UserFactory(username="bob", email="bob@example.com")


@pytest.fixture
def alice_client(alice: User) -> APIClient:
    return client_for(alice)


@pytest.fixture
def bob_client(bob: User) -> APIClient:
    return client_for(bob)
