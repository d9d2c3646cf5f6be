"""The dashboard in headless Chromium, as a person uses it, checked against the API's answers.

Runs when Debian's chromium is at /usr/bin/chromium (CI installs it); skipped otherwise.
"""

import re
import signal
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from pytest_django.live_server_helper import LiveServer

from .web_browser import AXE, CHROMIUM, PASSWORD, Api, Watch, register

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed (apt-get install chromium); CI installs it",
    ),
]
# Where playwright is not installed the module is skipped; where it is, imported with its types.
pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect  # noqa: E402

TEST_SECONDS = 240
MONTH = date.today().strftime("%Y-%m")
DAY = f"{MONTH}-01"
_year, _month = (int(x) for x in MONTH.split("-"))
PREVIOUS = f"{_year - (_month == 1)}-{(_month - 2) % 12 + 1:02d}"


@pytest.fixture
def base(live_server: LiveServer, transactional_db: None) -> str:
    return live_server.url


@pytest.fixture(scope="module")
def chromium(chromium_browser: Browser) -> Browser:
    """The session's one Chromium (tests/browser.py); each test gets a fresh context, with its
    own storage."""
    return chromium_browser


@pytest.fixture
def browser(base: str, chromium: Browser) -> Iterator[tuple[Page, Watch]]:
    """A fresh browser context; any request to another host is logged and refused."""
    watch = Watch(base)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})

    def refuse(route: Route) -> None:
        watch.foreign.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith(f"{base}/"), refuse)
    context.on("request", lambda request: watch.requests.append(request.url))
    page = context.new_page()
    page.set_default_timeout(15000)

    def console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            watch.csp_violations.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())

    # A watchdog: a browser test that hangs (a call of playwright's without a timeout) fails
    # after TEST_SECONDS instead of holding make test, and CI, forever.
    def hung(signum: int, frame: object) -> None:
        raise TimeoutError(f"a browser test ran over {TEST_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(TEST_SECONDS)
    try:
        yield page, watch
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        context.close()
    assert watch.foreign == [], "the page asked another host"
    assert watch.csp_violations == []
    assert watch.page_errors == []


# --- the page, driven as a person would -----------------------------------------------------


def loads(page: Page) -> int:
    return int(page.evaluate("document.body.dataset.loads || '0'"))


def wait_reload(page: Page, before: int) -> None:
    # A function, not an expression: the page's CSP forbids eval(), which a string would need.
    page.wait_for_function("n => Number(document.body.dataset.loads || 0) > n", arg=before)


def open_app(page: Page, base: str) -> None:
    page.goto(f"{base}/app/")
    expect(page.locator("#sign-in-form")).to_be_visible()


def sign_up(page: Page, username: str, password: str = PASSWORD) -> None:
    page.fill("#su-username", username)
    page.fill("#su-email", f"{username}@example.com")
    page.fill("#su-password", password)
    page.click("#sign-up-form button[type=submit]")
    wait_reload(page, 0)


def sign_in(page: Page, username: str) -> None:
    page.fill("#si-username", username)
    page.fill("#si-password", PASSWORD)
    page.click("#sign-in-form button[type=submit]")
    wait_reload(page, 0)


def add_record(page: Page, kind: str, amount: str, day: str, category: str, text: str = "") -> None:
    before = loads(page)
    form = page.locator("#record-form")
    form.locator("[name=kind]").select_option(kind)
    form.locator("[name=amount]").fill(amount)
    form.locator("[name=date]").fill(day)
    form.locator("[name=category]").fill(category)
    form.locator("[name=description]").fill(text)
    page.click("#record-submit")
    wait_reload(page, before)


def pick_month(page: Page, month: str) -> None:
    before = loads(page)
    page.get_by_test_id("month-picker").fill(month)
    wait_reload(page, before)
    expect(page.locator("body")).to_have_attribute("data-loaded", month)


def login(base: str, username: str) -> Api:
    api = Api(base)
    status, pair = api.call("POST", "token/", {"username": username, "password": PASSWORD})
    assert status == 200
    api.token = pair["access"]
    return api


# --- the page against the API ----------------------------------------------------------------


def assert_page_matches_api(page: Page, api: Api, month: str) -> dict:
    summary = api.get(f"summary/?month={month}")
    cur = summary["currency"]
    shown = {
        key: page.get_by_test_id(testid).inner_text()
        for key, testid in [
            ("total_income", "total-income"),
            ("total_expenses", "total-expenses"),
            ("net", "net"),
            ("savings_rate", "savings-rate"),
        ]
    }
    expected = {k: summary[k] for k in shown}
    if expected["savings_rate"] is None:
        expected["savings_rate"] = "n/a"
    assert shown == expected
    assert page.locator(".cards .currency").all_inner_texts() == [cur] * 3

    rows = page.get_by_test_id("category-row")
    assert [r.locator("td").all_inner_texts() for r in rows.all()] == [
        [c["category"], f"{c['total']} {cur}", f"{c['percent']} %"]
        for c in summary["expenses_by_category"]
    ]

    trends = api.get(f"summary/trends/?months=12&end={month}")["months"]
    trend_rows = page.get_by_test_id("trend-row")
    assert [r.locator("td").all_text_contents() for r in trend_rows.all()] == [
        [m["month"], m["total_income"], m["total_expenses"], m["net"]] for m in trends
    ]

    listed = {
        (kind, r["id"], r["amount"])
        for kind, path in (("income", "incomes"), ("expense", "expenses"))
        for r in api.get(f"{path}/?month={month}&page_size=500")["results"]
    }
    shown_records = set()
    for row in page.get_by_test_id("record-row").all():
        kind = row.get_attribute("data-kind")
        amount = row.locator("td.num").inner_text()
        sign = "-" if kind == "expense" else "+"
        assert amount.startswith(sign) and amount.endswith(f" {cur}")
        row_id = row.get_attribute("data-id")
        assert row_id is not None
        shown_records.add((kind, int(row_id), amount[1:].split(" ")[0]))
    assert shown_records == listed

    goals = api.get("goals/?page_size=100")["results"]
    goal_rows = page.get_by_test_id("goal-row").all()
    assert len(goal_rows) == len(goals)
    for row, goal in zip(goal_rows, goals, strict=True):
        text = row.inner_text()
        assert f"{goal['saved_amount']} of {goal['target_amount']} {cur}" in text
        assert f"{goal['progress_percent']} %" in text
        if goal["monthly_required"] is not None:
            assert f"{goal['monthly_required']} {cur} a month" in text

    if api.has("budgets/status/"):
        status = api.get(f"budgets/status/?month={month}")
        budget_rows = page.get_by_test_id("budget-row").all()
        assert len(budget_rows) == len(status["categories"])
        for row, entry in zip(budget_rows, status["categories"], strict=True):
            assert row.get_attribute("data-state") == entry["state"]
            assert f"{entry['spent']} of {entry['available']} {cur}" in row.inner_text()
    else:
        expect(page.locator("#budgets-section")).to_be_hidden()
    return summary


# --- the tests -------------------------------------------------------------------------------


def test_a_month_of_spending_shows_as_the_api_counts_it(
    base: str, browser: tuple[Page, Watch]
) -> None:
    page, _ = browser
    open_app(page, base)
    sign_up(page, "carol")
    expect(page.get_by_test_id("total-income")).to_have_text("0.00")
    add_record(page, "income", "2500.00", DAY, "Salary", "Monthly pay")
    add_record(page, "income", "300.55", DAY, "Freelance")
    add_record(page, "expense", "1200.00", DAY, "Rent")
    add_record(page, "expense", "42.10", DAY, "groceries", "Market")
    add_record(page, "expense", "17.35", DAY, "Groceries")
    add_record(page, "income", "1000.00", f"{PREVIOUS}-15", "Salary")

    before = loads(page)
    page.fill("#gf-name", "Laptop")
    page.fill("#gf-target", "1500.00")
    page.fill("#gf-date", f"{_year + 2}-06-30")
    page.click("#goal-form button[type=submit]")
    wait_reload(page, before)
    before = loads(page)
    page.get_by_label("Put money aside for Laptop").fill("450.25")
    page.get_by_role("button", name="Add", exact=True).first.click()
    wait_reload(page, before)

    api = login(base, "carol")
    if api.has("budgets/"):
        before = loads(page)
        page.fill("#bf-category", "Groceries")
        page.fill("#bf-amount", "70.00")
        page.click("#budget-form button[type=submit]")
        wait_reload(page, before)
        expect(page.get_by_test_id("budget-row")).to_have_attribute("data-state", "warning")

    summary = assert_page_matches_api(page, api, MONTH)
    assert (summary["total_income"], summary["total_expenses"]) == ("2800.55", "1259.45")
    assert summary["net"] == "1541.10"
    expect(page.locator("#change-income")).to_have_text("+1800.55 USD vs previous month")
    assert page.get_by_test_id("goal-row").inner_text().startswith("Laptop")

    # Switch months: the previous one, by the picker and back by the button.
    pick_month(page, PREVIOUS)
    assert assert_page_matches_api(page, api, PREVIOUS)["total_income"] == "1000.00"
    before = loads(page)
    page.click("#month-next")
    wait_reload(page, before)
    assert_page_matches_api(page, api, MONTH)


def test_edit_and_delete_change_the_totals(base: str, browser: tuple[Page, Watch]) -> None:
    page, _ = browser
    api = register(base, "dave")
    api.post("incomes/", {"amount": "1000.00", "date": DAY, "category": "Salary"})
    rent = api.post("expenses/", {"amount": "400.00", "date": DAY, "category": "Rent"})
    food = api.post("expenses/", {"amount": "25.50", "date": DAY, "category": "Food"})
    open_app(page, base)
    sign_in(page, "dave")
    expect(page.get_by_test_id("total-expenses")).to_have_text("425.50")

    row = page.locator(f'[data-testid=record-row][data-kind=expense][data-id="{rent["id"]}"]')
    row.get_by_role("button", name=re.compile("^Edit")).click()
    expect(page.locator("#record-form [name=amount]")).to_have_value("400.00")
    page.fill("#record-form [name=amount]", "450.75")
    before = loads(page)
    page.click("#record-submit")
    wait_reload(page, before)
    expect(page.get_by_test_id("total-expenses")).to_have_text("476.25")
    assert api.get(f"expenses/{rent['id']}/")["amount"] == "450.75"
    assert_page_matches_api(page, api, MONTH)

    row = page.locator(f'[data-testid=record-row][data-kind=expense][data-id="{food["id"]}"]')
    before = loads(page)
    row.get_by_role("button", name=re.compile("^Delete")).click()
    wait_reload(page, before)
    expect(page.get_by_test_id("total-expenses")).to_have_text("450.75")
    expect(page.get_by_test_id("record-row")).to_have_count(2)
    assert api.call("GET", f"expenses/{food['id']}/")[0] == 404
    assert_page_matches_api(page, api, MONTH)


def test_validation_errors_show_at_their_fields(base: str, browser: tuple[Page, Watch]) -> None:
    page, _ = browser
    open_app(page, base)
    page.fill("#su-username", "erin")
    page.fill("#su-email", "not-an-email")
    page.fill("#su-password", "123")
    page.click("#sign-up-form button[type=submit]")
    expect(page.locator("#su-email-error")).to_be_visible()
    expect(page.locator("#su-email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#su-email")).to_have_attribute("aria-describedby", "su-email-error")
    page.fill("#su-email", "erin@example.com")
    page.click("#sign-up-form button[type=submit]")
    expect(page.locator("#su-password-error")).to_be_visible()
    expect(page.locator("#su-email-error")).to_have_count(0)

    sign_up(page, "erin")
    page.fill("#record-form [name=amount]", "12.345")
    page.fill("#record-form [name=category]", "Food")
    page.click("#record-submit")
    error = page.locator("#rf-amount-error")
    expect(error).to_be_visible()
    answer = Api(base, login(base, "erin").token).call(
        "POST", "expenses/", {"amount": "12.345", "category": "Food"}
    )
    assert answer[0] == 400
    expect(error).to_have_text(" ".join(answer[1]["errors"]["amount"]))
    expect(page.get_by_test_id("record-row")).to_have_count(0)


def test_an_error_of_a_field_the_form_lacks_reads_without_the_api_field_name(
    base: str, browser: tuple[Page, Watch]
) -> None:
    page, _ = browser
    api = register(base, "nora")
    api.post("budgets/", {"category": "Food", "amount": "10.00", "start_month": MONTH})
    open_app(page, base)
    sign_in(page, "nora")
    page.fill("#bf-category", "food")
    page.fill("#bf-amount", "20.00")
    page.click("#budget-form button[type=submit]")

    error = page.locator("#budget-form .form-error")
    expect(error).to_have_text(
        "Another budget of this category covers some of these months; end it (end_month) "
        "before this one starts."
    )
    page.fill("#record-form [name=amount]", "1.00")
    page.fill("#record-form [name=tags]", "fine, a;b")
    page.click("#record-submit")
    expect(page.locator("#rf-tags-error")).to_have_text(
        'The tag "a;b": A tag name cannot contain a comma or a semicolon.'
    )


def test_focus_stays_somewhere_useful_after_a_delete_and_a_failed_sign_in(
    base: str, browser: tuple[Page, Watch]
) -> None:
    page, _ = browser
    register(base, "owen").post("expenses/", {"amount": "3.00", "date": DAY})
    open_app(page, base)
    page.fill("#si-username", "owen")
    page.fill("#si-password", "not-the-password")
    page.click("#sign-in-form button[type=submit]")
    expect(page.locator("#sign-in-form .form-error")).to_be_focused()
    sign_in(page, "owen")
    before = loads(page)
    page.get_by_test_id("record-row").first.get_by_role("button", name="Delete").click()
    wait_reload(page, before)
    expect(page.locator("#records-title")).to_be_focused()


def test_the_record_date_is_the_users_own_day(base: str, chromium: Browser) -> None:
    """At 22:51 on 30 November in Los Angeles it is already 1 December in UTC: a record made
    then is of the 30th, and the page opens on November, the user's month."""
    register(base, "pia")
    context = chromium.new_context(timezone_id="America/Los_Angeles")
    try:
        page = context.new_page()
        page.clock.set_fixed_time("2026-12-01T06:51:00Z")  # 22:51 on 30 November there
        open_app(page, base)
        sign_in(page, "pia")
        expect(page.get_by_test_id("month-picker")).to_have_value("2026-11")
        expect(page.locator("#record-form [name=date]")).to_have_value("2026-11-30")
    finally:
        context.close()


def test_a_month_seen_again_costs_304s(base: str, browser: tuple[Page, Watch]) -> None:
    page, _ = browser
    api = register(base, "quin")
    api.post("expenses/", {"amount": "12.30", "date": DAY, "category": "Food"})
    statuses: dict[str, list[int]] = {}
    page.on(
        "response",
        lambda r: (
            statuses.setdefault(r.url.split("/api/")[-1], []).append(r.status)
            if "/api/" in r.url
            else None
        ),
    )
    open_app(page, base)
    sign_in(page, "quin")
    for button in ("#month-prev", "#month-next"):
        before = loads(page)
        page.click(button)
        wait_reload(page, before)

    assert statuses[f"summary/?month={MONTH}"] == [200, 304]
    assert statuses[f"summary/trends/?months=12&end={MONTH}"] == [200, 304]
    assert_page_matches_api(page, api, MONTH)  # drawn again from what the 304s confirmed


def test_coming_up_shows_the_recurring_forecast_when_opened(
    base: str, browser: tuple[Page, Watch]
) -> None:
    page, watch = browser
    api = register(base, "rosa")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    rule = {"kind": "expense", "amount": "9.99", "frequency": "weekly", "start_date": tomorrow}
    api.post("recurring/", {**rule, "category": "Streaming", "description": "Music"})
    open_app(page, base)
    sign_in(page, "rosa")
    assert not any("recurring/upcoming/" in url for url in watch.requests)  # not in the first view

    page.locator("#upcoming summary").click()

    forecast = api.get("recurring/upcoming/?days=30")
    cur = forecast["currency"]
    rows = page.get_by_test_id("upcoming-row")
    expect(rows).to_have_count(len(forecast["occurrences"]))
    assert [r.locator("td").all_inner_texts() for r in rows.all()] == [
        [o["date"], o["category"], o["description"], f"-{o['amount']} {cur}"]
        for o in forecast["occurrences"]
    ]
    expect(page.get_by_test_id("upcoming-totals")).to_have_text(
        f"Income {forecast['total_income']} {cur}, expenses {forecast['total_expenses']} {cur}, "
        f"net {forecast['net']} {cur}"
    )


def test_a_bank_csv_is_previewed_imported_and_undone(
    base: str, browser: tuple[Page, Watch]
) -> None:
    page, _ = browser
    api = register(base, "sami")
    example = Path(__file__).resolve().parent.parent / "docs" / "examples" / "bank-statement.csv"
    open_app(page, base)
    sign_in(page, "sami")
    page.locator("#import summary").click()
    page.set_input_files("#if-file", str(example))
    page.click("#import-form button[type=submit]")

    counts = page.get_by_test_id("import-counts")
    expect(counts).to_have_text(
        "Preview: 5 rows; 5 new would be created, 0 duplicates skipped, 0 with errors."
    )
    expect(page.get_by_test_id("import-row")).to_have_count(5)
    assert api.get("expenses/")["count"] == 0  # a preview creates nothing

    before = loads(page)
    page.click("#import-commit")
    wait_reload(page, before)
    expect(counts).to_have_text(
        "Imported: 5 rows; 5 new were created, 0 duplicates skipped, 0 with errors."
    )
    created = api.get("expenses/?page_size=50")["results"] + api.get("incomes/")["results"]
    assert len(created) == 5 and all(r["import_id"] for r in created)
    assert_page_matches_api(page, api, MONTH)

    before = loads(page)
    page.click("#import-undo")
    wait_reload(page, before)
    expect(counts).to_have_text("Undone: the 5 records it created are deleted.")
    assert api.get("expenses/")["count"] + api.get("incomes/")["count"] == 0
    assert_page_matches_api(page, api, MONTH)


def test_sign_out_kills_the_refresh_token(base: str, browser: tuple[Page, Watch]) -> None:
    page, _ = browser
    register(base, "frank")
    open_app(page, base)
    with page.expect_response(f"{base}/api/token/") as answer:
        sign_in(page, "frank")
    refresh = answer.value.json()["refresh"]
    with page.expect_response(f"{base}/api/logout/") as logout:
        page.click("#sign-out")
    assert logout.value.status == 204
    assert logout.value.request.post_data_json == {"refresh": refresh}
    expect(page.locator("#sign-in-form")).to_be_visible()
    expect(page.locator("#dashboard-view")).to_be_hidden()
    status, problem = Api(base).call("POST", "token/refresh/", {"refresh": refresh})
    assert status == 401
    assert problem["type"] == "urn:fintrack:problem:token-not-valid"
    # Nothing of it was kept by the browser.
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert page.context.cookies() == []


def expire_once(page: Page, url: str) -> list[int]:
    """The first request to `url` answers as if the access token had expired (a 401); the
    others go through. The returned list holds how many were refused."""
    refused = [0]

    def route(route: Route) -> None:
        if refused[0]:
            route.continue_()
            return
        refused[0] += 1
        route.fulfill(
            status=401,
            content_type="application/problem+json",
            body='{"type": "urn:fintrack:problem:token-not-valid", "title": "x", '
            '"status": 401, "detail": "Token is expired"}',
        )

    page.route(url, route)
    return refused


def test_sign_out_after_the_access_token_expired_kills_the_renewed_refresh_token(
    base: str, browser: tuple[Page, Watch]
) -> None:
    """The logout answered 401 (expired access token), the page renewed the pair, and once sent
    the retired refresh token again: the renewed one lived on for 7 days."""
    page, _ = browser
    register(base, "ivan")
    open_app(page, base)
    sign_in(page, "ivan")
    expired = expire_once(page, f"{base}/api/logout/")
    with page.expect_response(f"{base}/api/token/refresh/") as renewal:
        page.click("#sign-out")
    renewed = renewal.value.json()["refresh"]
    expect(page.locator("#status")).to_have_text("You are signed out.")
    assert expired == [1]
    status, problem = Api(base).call("POST", "token/refresh/", {"refresh": renewed})
    assert status == 401, problem


def test_the_next_user_of_the_page_meets_nothing_of_the_last(
    base: str, browser: tuple[Page, Watch]
) -> None:
    """A shared computer: one signs out mid-edit, another signs in in the same tab."""
    page, _ = browser
    register(base, "kate").post(
        "expenses/", {"amount": "61.00", "date": DAY, "category": "Clinic", "tags": ["private"]}
    )
    register(base, "liam")
    open_app(page, base)
    sign_in(page, "kate")
    page.get_by_test_id("record-row").first.get_by_role("button", name="Edit").click()
    expect(page.locator("#record-form [name=amount]")).to_have_value("61.00")
    page.click("#sign-out")
    expect(page.locator("#status")).to_have_text("You are signed out.")
    assert "left=" not in page.url
    sign_in(page, "liam")
    expect(page.get_by_test_id("total-expenses")).to_have_text("0.00")
    expect(page.locator("#record-form [name=amount]")).to_have_value("")
    for hidden in ("Clinic", "private", "61.00", "kate"):
        assert hidden not in page.content(), hidden


def test_a_month_that_fails_to_load_leaves_the_picker_on_the_month_shown(
    base: str, browser: tuple[Page, Watch]
) -> None:
    page, _ = browser
    register(base, "mona").post("expenses/", {"amount": "7.00", "date": DAY})
    open_app(page, base)
    sign_in(page, "mona")
    expect(page.get_by_test_id("total-expenses")).to_have_text("7.00")
    page.route(f"{base}/api/summary/trends/?*end={PREVIOUS}*", lambda route: route.abort())

    page.click("#month-prev")

    expect(page.locator("#status")).to_contain_text(f"{PREVIOUS} could not be shown")
    expect(page.locator("#status")).to_contain_text(f"Still showing {MONTH}.")
    expect(page.get_by_test_id("month-picker")).to_have_value(MONTH)
    expect(page.get_by_test_id("total-expenses")).to_have_text("7.00")


def test_an_expired_access_token_is_renewed_quietly(base: str, browser: tuple[Page, Watch]) -> None:
    page, watch = browser
    api = register(base, "gina")
    api.post("incomes/", {"amount": "10.00", "date": DAY})
    open_app(page, base)
    expired = expire_once(page, f"{base}/api/summary/?*")
    sign_in(page, "gina")
    expect(page.get_by_test_id("total-income")).to_have_text("10.00")
    assert expired == [1]
    assert sum(u == f"{base}/api/token/refresh/" for u in watch.requests) == 1
    expect(page.locator("#dashboard-view")).to_be_visible()


def test_another_user_sees_none_of_it(base: str, browser: tuple[Page, Watch]) -> None:
    page, _ = browser
    alice = register(base, "alice")
    alice.post("incomes/", {"amount": "5000.00", "date": DAY, "category": "Salary"})
    alice.post("expenses/", {"amount": "99.99", "date": DAY, "category": "Secret"})
    alice.post("goals/", {"name": "Alice's boat", "target_amount": "9000.00"})
    register(base, "bob")
    open_app(page, base)
    sign_in(page, "bob")
    bob = login(base, "bob")
    assert_page_matches_api(page, bob, MONTH)
    for testid in ("total-income", "total-expenses", "net"):
        expect(page.get_by_test_id(testid)).to_have_text("0.00")
    for testid in ("record-row", "category-row", "goal-row", "budget-row"):
        expect(page.get_by_test_id(testid)).to_have_count(0)
    page.focus("#rf-category")  # the suggestions are Bob's own categories
    page.wait_for_load_state("networkidle")
    assert "Secret" not in page.content()
    assert "Alice" not in page.content()


def axe_violations(page: Page) -> list[dict]:
    page.evaluate(AXE.read_text())  # by the debugging protocol, so CSP does not apply
    result = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map("
        "v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))})))"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run npm ci")
def test_every_view_passes_axe(base: str, browser: tuple[Page, Watch]) -> None:
    page, _ = browser
    api = register(base, "hana")
    api.post("incomes/", {"amount": "2500.00", "date": DAY, "category": "Salary"})
    api.post("expenses/", {"amount": "80.00", "date": DAY, "category": "Food"})
    api.post("goals/", {"name": "Trip", "target_amount": "800.00", "target_date": "2030-01-31"})
    if api.has("budgets/"):
        api.post("budgets/", {"category": "Food", "amount": "90.00", "start_month": MONTH})
    views = {}
    open_app(page, base)
    views["signed out"] = axe_violations(page)
    if page.locator("#forgot-link").is_visible():
        page.click("#forgot-link")
        views["password reset"] = axe_violations(page)
    page.click("#sign-up-form button[type=submit]")  # every field in error
    expect(page.locator("#su-username-error")).to_be_visible()
    views["sign-up errors"] = axe_violations(page)
    sign_in(page, "hana")
    views["dashboard"] = axe_violations(page)
    page.get_by_test_id("record-row").first.get_by_role("button", name=re.compile("^Edit")).click()
    page.fill("#record-form [name=amount]", "-1")
    page.click("#record-submit")
    expect(page.locator("#rf-amount-error")).to_be_visible()
    views["record form with errors"] = axe_violations(page)
    page.set_viewport_size({"width": 375, "height": 800})
    views["phone width"] = axe_violations(page)
    assert views == dict.fromkeys(views, [])


def test_phone_width_has_no_horizontal_scroll(base: str, browser: tuple[Page, Watch]) -> None:
    page, _ = browser
    api = register(base, "ivan")
    api.post("expenses/", {"amount": "1234567.89", "date": DAY, "category": "A long category name"})
    page.set_viewport_size({"width": 375, "height": 800})
    open_app(page, base)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    sign_in(page, "ivan")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # Keyboard: from the previous-month button, Tab goes on to the picker; Enter on a focused
    # button acts.
    page.focus("#month-prev")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "month-picker"
    before = loads(page)
    page.focus("#month-prev")
    page.keyboard.press("Enter")
    wait_reload(page, before)
    expect(page.get_by_test_id("total-expenses")).to_have_text("0.00")


def test_first_view_makes_at_most_six_api_requests(base: str, browser: tuple[Page, Watch]) -> None:
    page, watch = browser
    api = register(base, "judy")
    api.post("incomes/", {"amount": "2500.00", "date": DAY, "category": "Salary"})
    api.post("goals/", {"name": "Trip", "target_amount": "800.00"})
    open_app(page, base)
    assets = [u for u in watch.requests if not u.startswith(f"{base}/api/")]
    assert all(u.startswith(f"{base}/app/") or u.startswith(f"{base}/static/") for u in assets)
    before = len(watch.api_requests())
    sign_in(page, "judy")
    page.wait_for_load_state("networkidle")
    after = watch.api_requests()[before:]
    assert after[0] == f"{base}/api/token/"
    assert len(after[1:]) <= 6, after
    # Chromium's performance timeline: the page ready to sign in (ms since navigation), and
    # from the sign-in's answer to the month's numbers on the page.
    timing = page.evaluate(
        """() => {
          const nav = performance.getEntriesByType('navigation')[0];
          const token = performance.getEntriesByType('resource')
            .find((e) => e.name.endsWith('/api/token/'));
          const shown = performance.getEntriesByName(
            'numbers-shown-' + document.body.dataset.loaded)[0];
          return {
            page_ready: nav.loadEventEnd,
            signed_in_to_numbers: shown.startTime - token.responseEnd,
          };
        }"""
    )
    print(f"\ndashboard timing (ms): {timing}")
    assert timing["signed_in_to_numbers"] < 5000


def test_forgot_password_follows_the_api(base: str, browser: tuple[Page, Watch]) -> None:
    page, _ = browser
    register(base, "kim")
    open_app(page, base)
    link = page.locator("#forgot-link")
    if not Api(base).has("password-reset/"):
        expect(link).to_be_hidden()  # a server without password reset (v1.0)
        return
    expect(link).to_be_visible()
    link.click()
    page.fill("#rs-email", "kim@example.com")
    page.click("#reset-form button[type=submit]")
    expect(page.locator("#reset-confirm-form")).to_be_visible()
    page.fill("#rc-uid", "bogus")
    page.fill("#rc-token", "bogus")
    page.fill("#rc-password", "another-horse-battery-7")
    page.click("#reset-confirm-form button[type=submit]")
    # The API's 400 for a bogus code, shown at its field or above the form.
    shown = "#reset-confirm-form .field-error, #reset-confirm-form .form-error:not(:empty)"
    expect(page.locator(shown).first).to_be_visible()
