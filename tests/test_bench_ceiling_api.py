"""GET /api/bench/ceiling/: the benchmarks' ceiling, routed only when BENCH_CEILING is on."""

import importlib
import json
from collections.abc import Iterator

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

import config.urls
import fintrack.core.api.urls
from fintrack.core.api.pagination import DEFAULT_PAGE_SIZE

from .assertions import assert_problem, assert_unauthorized

CEILING_URL = "/api/bench/ceiling/"


def _reload_urls() -> None:
    importlib.reload(fintrack.core.api.urls)
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def ceiling_on() -> Iterator[None]:
    with override_settings(BENCH_CEILING=True):
        _reload_urls()
        yield
    _reload_urls()


@pytest.mark.django_db
def test_ceiling_is_not_routed_by_default(alice_client):
    assert_problem(alice_client.get(CEILING_URL), 404)


@pytest.mark.django_db
@pytest.mark.usefixtures("ceiling_on")
def test_ceiling_needs_a_token(anon_client):
    assert_unauthorized(anon_client.get(CEILING_URL))


@pytest.mark.django_db
@pytest.mark.usefixtures("ceiling_on")
def test_ceiling_answers_a_fixed_list_page(alice_client):
    first = alice_client.get(CEILING_URL)
    second = alice_client.get(CEILING_URL)

    assert first.status_code == 200
    assert first["Content-Type"] == "application/json"
    assert first.content == second.content
    body = json.loads(first.content)
    assert set(body) == {"count", "total_amount", "next", "previous", "results"}
    assert len(body["results"]) == DEFAULT_PAGE_SIZE
    assert "RateLimit-Remaining" in first  # throttled like every endpoint


@pytest.mark.django_db
@pytest.mark.usefixtures("ceiling_on")
def test_ceiling_is_not_in_the_schema(anon_client):
    schema = anon_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    assert not any("bench" in path for path in schema["paths"])
