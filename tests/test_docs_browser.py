"""Swagger UI and ReDoc in headless Chromium: each page renders the API's operations and
requests nothing from another host (every request of the page is logged)."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db(transaction=True)


def test_swagger_ui_renders_and_requests_only_the_app(logged_page, live_server):
    page = logged_page.page

    page.goto(f"{live_server.url}/api/docs/", wait_until="networkidle")
    page.wait_for_selector("#operations-expenses-expenses_create")
    page.click("#operations-expenses-expenses_create .opblock-summary")
    page.wait_for_selector("#operations-expenses-expenses_create .body-param__example")
    example = page.text_content("#operations-expenses-expenses_create .body-param__example")
    page.wait_for_load_state("networkidle")

    assert '"amount": "42.10"' in example
    assert '"category": "Groceries"' in example
    assert logged_page.outside_requests() == []
    assert logged_page.failures == []
    assert f"GET {live_server.url}/api/schema/" in logged_page.requests
    assert any("/static/drf_spectacular_sidecar/swagger-ui" in r for r in logged_page.requests)


def test_redoc_renders_and_requests_only_the_app(logged_page, live_server):
    page = logged_page.page

    page.goto(f"{live_server.url}/api/redoc/", wait_until="networkidle")
    page.locator("h2", has_text="Record an expense").first.wait_for(state="attached")
    page.get_by_text("API docs by Redocly").wait_for(state="attached")
    page.wait_for_load_state("networkidle")

    assert logged_page.outside_requests() == []
    assert logged_page.failures == []
    assert f"GET {live_server.url}/api/schema/" in logged_page.requests
    assert f"GET {live_server.url}/static/fintrack/redoc-offline.js" in logged_page.requests
    # The footer keeps its link to Redocly but shows no image fetched from anywhere.
    assert page.locator('a[href="https://redocly.com/redoc/"] img').count() == 0
    # Tags in the order a new user needs them.
    sidebar = page.eval_on_selector_all(
        "li[data-item-id^='tag/']", "items => items.map(item => item.dataset.itemId)"
    )
    tags = [tag["name"] for tag in settings.SPECTACULAR_SETTINGS["TAGS"]]
    assert [item.removeprefix("tag/") for item in sidebar if "/" not in item[4:]] == tags
