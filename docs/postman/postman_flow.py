"""The hand-written part of the Postman collection: the run order, example bodies and tests.

`build_collection.py` turns these steps into Postman requests. From the OpenAPI schema it takes
the URL, the documented query parameters, the description and the statuses an operation may
answer; from here it takes what a client would send and what it must get back. Each step runs
as Alice unless it says otherwise, and expects the status in `expect`; error steps name the
problem type they expect (`urn:fintrack:problem:<problem>`).

Every run registers fresh users (their names are made up in a pre-request script), so a run can
be repeated against the same server. The records are dated in November 2025 so that the summary
of that month has exact, known totals whatever the day of the run.
"""

import json
from dataclasses import dataclass, field
from typing import Any


class JS(str):
    """A JavaScript expression, written into a test as is (other values are JSON literals)."""


def env(name: str) -> JS:
    return JS(f"pm.environment.get({json.dumps(name)})")


def env_number(name: str) -> JS:
    return JS(f"Number(pm.environment.get({json.dumps(name)}))")


TODAY = JS("new Date().toISOString().slice(0, 10)")


def _literal(value: Any) -> str:
    return str(value) if isinstance(value, JS) else json.dumps(value)


def _accessor(path: str) -> str:
    """`results.0.id` -> `body["results"][0]["id"]`."""
    parts = [f"[{p}]" if p.isdigit() else f"[{json.dumps(p)}]" for p in path.split(".")]
    return "body" + "".join(parts)


def _test(name: str, lines: list[str]) -> list[str]:
    return [
        f"pm.test({json.dumps(name)}, function () {{",
        *[f"    {line}" for line in lines],
        "});",
    ]


def fields(expected: dict[str, Any], name: str | None = None) -> list[str]:
    """The body has these values (keys may be dotted paths: `period.start`, `results.0.id`)."""
    lines = ["const body = pm.response.json();"]
    lines += [f"pm.expect({_accessor(k)}).to.eql({_literal(v)});" for k, v in expected.items()]
    return _test(name or "body: " + ", ".join(expected), lines)


def keys(*names: str, at: str | None = None) -> list[str]:
    """The object (the body, or the one at the dotted path `at`) has exactly these keys."""
    target = _accessor(at) if at else "body"
    listed = ", ".join(json.dumps(n) for n in names)
    lines = ["const body = pm.response.json();", f"pm.expect({target}).to.have.all.keys({listed});"]
    return _test(f"{at or 'body'} has exactly the keys {', '.join(names)}", lines)


def count(n: int, total: str | None = None) -> list[str]:
    """A page: `count` of the whole filtered set, and `total_amount` when the list has one."""
    lines = ["const body = pm.response.json();", f"pm.expect(body.count).to.eql({n});"]
    if total is not None:
        lines.append(f"pm.expect(body.total_amount).to.eql({json.dumps(total)});")
    label = f"count is {n}" + (f", total_amount is {total}" if total is not None else "")
    return _test(label, lines)


def errors(*names: str) -> list[str]:
    """A validation problem that names these fields."""
    lines = ["const body = pm.response.json();"]
    lines += [f"pm.expect(body.errors).to.have.property({json.dumps(n)});" for n in names]
    return _test(f"errors name {', '.join(names)}", lines)


def header(name: str, value: str | None = None) -> list[str]:
    check = (
        f"pm.response.to.have.header({json.dumps(name)});"
        if value is None
        else f"pm.expect(pm.response.headers.get({json.dumps(name)})).to.eql({json.dumps(value)});"
    )
    return _test(f"has the {name} header" + (f" {value}" if value else ""), [check])


def save(**targets: str) -> list[str]:
    """Store body values in environment variables: save(incomeId="id")."""
    lines = ["const body = pm.response.json();"]
    for variable, path in targets.items():
        lines.append(f"pm.environment.set({json.dumps(variable)}, {_accessor(path)});")
    return ["(function () {", *[f"    {line}" for line in lines], "})();"]


def test(name: str, *lines: str) -> list[str]:
    """A test written out in JavaScript; `pm.response.json()` is in `body`."""
    return _test(name, ["const body = pm.response.json();", *lines])


@dataclass
class Step:
    """One request of the run: an operation of the schema, as one user, with its checks."""

    name: str
    method: str
    path: str  # as in the schema: /api/incomes/{id}/
    expect: int
    as_user: str = "alice"  # alice, bob or anonymous
    path_vars: dict[str, str] = field(default_factory=dict)
    query: list[tuple[str, str]] = field(default_factory=list)
    body: Any = None  # a dict (sent as JSON) or a str (sent as is)
    headers: dict[str, str] = field(default_factory=dict)
    problem: str | None = None  # the problem type expected of an error answer
    checks: list[list[str]] = field(default_factory=list)
    prerequest: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class Folder:
    name: str
    description: str
    steps: list[Step]


def _fresh_user(prefix: str) -> list[str]:
    return [
        "// A fresh user for every run, so that runs can be repeated against one server.",
        "const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);",
        f'pm.environment.set("{prefix}Username", "{prefix}_" + run);',
        "const random = () => Math.random().toString(36).slice(2, 10);",
        "const secret = random() + random();",
        f'pm.environment.set("{prefix}Password", "Pw-" + secret + "-7");',
    ]


PROFILE_KEYS = ("id", "username", "email", "currency", "date_joined")
RECORD_KEYS = ("id", "amount", "date", "category", "description", "created_at", "updated_at")
PAGE_KEYS = ("count", "next", "previous", "results")
GOAL_KEYS = (
    "id",
    "name",
    "target_amount",
    "target_date",
    "saved_amount",
    "remaining_amount",
    "progress_percent",
    "is_achieved",
    "monthly_required",
    "created_at",
    "updated_at",
)
INCOME = "/api/incomes/{id}/"
EXPENSE = "/api/expenses/{id}/"
CATEGORY = "/api/categories/{id}/"
GOAL = "/api/goals/{id}/"
CONTRIBUTIONS = "/api/goals/{goal_pk}/contributions/"
CONTRIBUTION = "/api/goals/{goal_pk}/contributions/{id}/"

SERVICE = Folder(
    "service",
    "Is the server up? Needs no token.",
    [
        Step(
            "Health",
            "GET",
            "/api/health/",
            200,
            as_user="anonymous",
            checks=[fields({"status": "ok", "database": "ok"})],
        ),
    ],
)

SIGN_UP = Folder(
    "accounts: sign up and sign in",
    "Registers Alice and Bob (fresh names every run) and stores their tokens: `accessToken` and "
    "`refreshToken` for Alice, whom every request of the collection uses unless it says "
    "otherwise, `bobAccessToken` and `bobRefreshToken` for Bob.",
    [
        Step(
            "Register Alice",
            "POST",
            "/api/register/",
            201,
            as_user="anonymous",
            prerequest=_fresh_user("alice"),
            body={
                "username": "{{aliceUsername}}",
                "email": "{{aliceUsername}}@example.com",
                "password": "{{alicePassword}}",
            },
            checks=[
                keys(*PROFILE_KEYS),
                fields({"username": env("aliceUsername"), "currency": "USD"}),
                save(aliceId="id"),
            ],
            note="The password never appears in the answer.",
        ),
        Step(
            "Register Bob",
            "POST",
            "/api/register/",
            201,
            as_user="anonymous",
            prerequest=_fresh_user("bob"),
            body={
                "username": "{{bobUsername}}",
                "email": "{{bobUsername}}@example.com",
                "password": "{{bobPassword}}",
            },
            checks=[keys(*PROFILE_KEYS), fields({"username": env("bobUsername")})],
        ),
        Step(
            "Register: a taken username is 400",
            "POST",
            "/api/register/",
            400,
            as_user="anonymous",
            problem="validation-error",
            body={
                "username": "{{aliceUsername}}",
                "email": "someone.else.{{aliceUsername}}@example.com",
                "password": "{{alicePassword}}",
            },
            checks=[errors("username")],
        ),
        Step(
            "Register: an all-digit password is 400",
            "POST",
            "/api/register/",
            400,
            as_user="anonymous",
            problem="validation-error",
            body={
                "username": "carol_{{aliceUsername}}",
                "email": "carol.{{aliceUsername}}@example.com",
                "password": "73914682",
            },
            checks=[errors("password")],
        ),
        Step(
            "Token for Alice",
            "POST",
            "/api/token/",
            200,
            as_user="anonymous",
            body={"username": "{{aliceUsername}}", "password": "{{alicePassword}}"},
            checks=[keys("access", "refresh"), save(accessToken="access", refreshToken="refresh")],
            note="Stores `accessToken` and `refreshToken`, which the requests after it use.",
        ),
        Step(
            "Token for Bob",
            "POST",
            "/api/token/",
            200,
            as_user="anonymous",
            body={"username": "{{bobUsername}}", "password": "{{bobPassword}}"},
            checks=[
                keys("access", "refresh"),
                save(bobAccessToken="access", bobRefreshToken="refresh"),
            ],
        ),
        Step(
            "Token: a wrong password is 401",
            "POST",
            "/api/token/",
            401,
            as_user="anonymous",
            problem="no-active-account",
            body={"username": "{{aliceUsername}}", "password": "not-{{alicePassword}}"},
        ),
        Step(
            "Me",
            "GET",
            "/api/me/",
            200,
            checks=[
                keys(*PROFILE_KEYS),
                fields(
                    {
                        "id": env_number("aliceId"),
                        "username": env("aliceUsername"),
                        "email": JS('pm.environment.get("aliceUsername") + "@example.com"'),
                    }
                ),
            ],
        ),
        Step(
            "Me without a token is 401",
            "GET",
            "/api/me/",
            401,
            as_user="anonymous",
            problem="not-authenticated",
            checks=[header("WWW-Authenticate")],
        ),
        Step(
            "Me with a forged token is 401",
            "GET",
            "/api/me/",
            401,
            as_user="anonymous",
            headers={"Authorization": "Bearer not.a.token"},
            problem="token-not-valid",
            checks=[header("WWW-Authenticate")],
        ),
        Step(
            "Me: change the currency",
            "PATCH",
            "/api/me/",
            200,
            body={"currency": "eur"},
            checks=[fields({"currency": "EUR", "username": env("aliceUsername")})],
            note="Lower case is accepted and stored upper case; summaries echo it.",
        ),
        Step(
            "Me: an unknown currency is 400",
            "PATCH",
            "/api/me/",
            400,
            problem="validation-error",
            body={"currency": "XYZ"},
            checks=[errors("currency")],
        ),
    ],
)

INCOMES = Folder(
    "incomes",
    "Create, list with filters, read, PUT, PATCH and delete incomes; the error cases, including "
    "Bob's 404 on Alice's income.",
    [
        Step(
            "Create an income",
            "POST",
            "/api/incomes/",
            201,
            body={
                "amount": "2500.00",
                "date": "2025-11-01",
                "category": "Salary",
                "description": "November pay",
            },
            checks=[
                keys(*RECORD_KEYS),
                fields(
                    {
                        "amount": "2500.00",
                        "date": "2025-11-01",
                        "category": "Salary",
                        "description": "November pay",
                    }
                ),
                save(incomeId="id"),
            ],
        ),
        Step(
            "Create an income with a number amount",
            "POST",
            "/api/incomes/",
            201,
            body={"amount": 300.5, "date": "2025-11-15", "category": "Freelance"},
            checks=[
                fields({"amount": "300.50", "category": "Freelance", "description": ""}),
            ],
            note="A JSON number is read as a decimal, never a float; the answer is a string.",
        ),
        Step(
            "Create an income with the defaults",
            "POST",
            "/api/incomes/",
            201,
            body={"amount": "120.00"},
            checks=[
                fields({"amount": "120.00", "date": TODAY, "category": "Uncategorized"}),
                save(income3Id="id"),
            ],
            note="`date` defaults to today (UTC), `category` to Uncategorized.",
        ),
        Step(
            "List incomes of a month, largest first",
            "GET",
            "/api/incomes/",
            200,
            query=[("month", "2025-11"), ("ordering", "-amount")],
            checks=[
                keys("count", "total_amount", "next", "previous", "results"),
                count(2, total="2800.50"),
                fields(
                    {
                        "results.0.id": env_number("incomeId"),
                        "results.1.amount": "300.50",
                        "next": None,
                        "previous": None,
                    },
                    name="largest first, one page",
                ),
            ],
        ),
        Step(
            "List incomes of several categories over an amount",
            "GET",
            "/api/incomes/",
            200,
            query=[("category", "SALARY"), ("category", "freelance"), ("min_amount", "301")],
            checks=[count(1, total="2500.00"), fields({"results.0.category": "Salary"})],
            note="Category names match in any case; repeat `category` for several.",
        ),
        Step(
            "List incomes one per page",
            "GET",
            "/api/incomes/",
            200,
            query=[("page_size", "1"), ("ordering", "amount")],
            checks=[
                count(3, total="2920.50"),
                test(
                    "one result, a next page, the total of every page",
                    "pm.expect(body.results).to.have.lengthOf(1);",
                    'pm.expect(body.results[0].amount).to.eql("120.00");',
                    "pm.expect(body.next).to.include('page=2');",
                ),
            ],
        ),
        Step(
            "Read an income",
            "GET",
            INCOME,
            200,
            path_vars={"id": "{{incomeId}}"},
            checks=[
                keys(*RECORD_KEYS),
                fields({"id": env_number("incomeId"), "amount": "2500.00", "category": "Salary"}),
            ],
        ),
        Step(
            "Replace an income (PUT)",
            "PUT",
            INCOME,
            200,
            path_vars={"id": "{{incomeId}}"},
            body={
                "amount": "2600.00",
                "date": "2025-11-01",
                "category": "Salary",
                "description": "November pay, with bonus",
            },
            checks=[fields({"amount": "2600.00", "description": "November pay, with bonus"})],
        ),
        Step(
            "Change an income (PATCH)",
            "PATCH",
            INCOME,
            200,
            path_vars={"id": "{{incomeId}}"},
            body={"description": "November pay and bonus"},
            checks=[fields({"amount": "2600.00", "description": "November pay and bonus"})],
        ),
        Step(
            "Create an income: a negative amount is 400",
            "POST",
            "/api/incomes/",
            400,
            problem="validation-error",
            body={"amount": "-5.00", "category": "Salary"},
            checks=[errors("amount")],
        ),
        Step(
            "Create an income: a body that is not JSON is 415",
            "POST",
            "/api/incomes/",
            415,
            headers={"Content-Type": "text/plain"},
            body="amount=5.00",
            problem="unsupported-media-type",
        ),
        Step(
            "List incomes: an unknown ordering is 400",
            "GET",
            "/api/incomes/",
            400,
            query=[("ordering", "colour")],
            problem="validation-error",
            checks=[errors("ordering")],
        ),
        Step(
            "List incomes without a token is 401",
            "GET",
            "/api/incomes/",
            401,
            as_user="anonymous",
            problem="not-authenticated",
            checks=[header("WWW-Authenticate")],
        ),
        Step(
            "Bob cannot read Alice's income: 404",
            "GET",
            INCOME,
            404,
            as_user="bob",
            path_vars={"id": "{{incomeId}}"},
            problem="not-found",
        ),
        Step(
            "Bob cannot change Alice's income: 404",
            "PATCH",
            INCOME,
            404,
            as_user="bob",
            path_vars={"id": "{{incomeId}}"},
            body={"amount": "1.00"},
            problem="not-found",
        ),
        Step(
            "Bob's list has none of Alice's incomes",
            "GET",
            "/api/incomes/",
            200,
            as_user="bob",
            checks=[count(0, total="0.00")],
        ),
        Step(
            "Delete an income",
            "DELETE",
            INCOME,
            204,
            path_vars={"id": "{{income3Id}}"},
        ),
        Step(
            "Read a deleted income: 404",
            "GET",
            INCOME,
            404,
            path_vars={"id": "{{income3Id}}"},
            problem="not-found",
        ),
    ],
)

EXPENSES = Folder(
    "expenses",
    "The same operations on expenses, with the other filters: date range, search, and the 400 "
    "for a month given together with a range.",
    [
        Step(
            "Create an expense",
            "POST",
            "/api/expenses/",
            201,
            body={
                "amount": "42.10",
                "date": "2025-11-05",
                "category": "Groceries",
                "description": "Market",
            },
            checks=[
                keys(*RECORD_KEYS),
                fields({"amount": "42.10", "category": "Groceries", "description": "Market"}),
                save(expenseId="id"),
            ],
        ),
        Step(
            "Create the rent",
            "POST",
            "/api/expenses/",
            201,
            body={"amount": "1200.00", "date": "2025-11-01", "category": "Rent"},
            checks=[fields({"amount": "1200.00", "category": "Rent"})],
        ),
        Step(
            "Create an expense in a category of another case",
            "POST",
            "/api/expenses/",
            201,
            body={
                "amount": "3.50",
                "date": "2025-11-20",
                "category": "groceries",
                "description": "Coffee",
            },
            checks=[fields({"category": "Groceries"}), save(expense3Id="id")],
            note="`groceries` is the existing category Groceries: names match in any case.",
        ),
        Step(
            "List expenses of a category, largest first",
            "GET",
            "/api/expenses/",
            200,
            query=[("category", "groceries"), ("ordering", "-amount")],
            checks=[count(2, total="45.60"), fields({"results.0.amount": "42.10"})],
        ),
        Step(
            "List expenses of a date range matching a search",
            "GET",
            "/api/expenses/",
            200,
            query=[("date_from", "2025-11-01"), ("date_to", "2025-11-10"), ("search", "MARK")],
            checks=[count(1, total="42.10"), fields({"results.0.id": env_number("expenseId")})],
        ),
        Step(
            "List expenses: a month and a range together is 400",
            "GET",
            "/api/expenses/",
            400,
            query=[("month", "2025-11"), ("date_from", "2025-11-01")],
            problem="validation-error",
            checks=[errors("month")],
        ),
        Step(
            "Read an expense",
            "GET",
            EXPENSE,
            200,
            path_vars={"id": "{{expenseId}}"},
            checks=[keys(*RECORD_KEYS), fields({"amount": "42.10", "date": "2025-11-05"})],
        ),
        Step(
            "Replace an expense (PUT)",
            "PUT",
            EXPENSE,
            200,
            path_vars={"id": "{{expenseId}}"},
            body={
                "amount": "48.90",
                "date": "2025-11-05",
                "category": "Groceries",
                "description": "Market, weekly shop",
            },
            checks=[fields({"amount": "48.90", "description": "Market, weekly shop"})],
        ),
        Step(
            "Change an expense (PATCH)",
            "PATCH",
            EXPENSE,
            200,
            path_vars={"id": "{{expenseId}}"},
            body={"amount": "50.00"},
            checks=[fields({"amount": "50.00", "description": "Market, weekly shop"})],
        ),
        Step(
            "Create an expense: three decimals is 400",
            "POST",
            "/api/expenses/",
            400,
            problem="validation-error",
            body={"amount": "12.345", "category": "Groceries"},
            checks=[errors("amount")],
        ),
        Step(
            "Create an expense: no amount is 400",
            "POST",
            "/api/expenses/",
            400,
            problem="validation-error",
            body={"category": "Rent"},
            checks=[errors("amount")],
        ),
        Step(
            "Create an expense without a token is 401",
            "POST",
            "/api/expenses/",
            401,
            as_user="anonymous",
            problem="not-authenticated",
            body={"amount": "1.00"},
        ),
        Step(
            "Bob cannot delete Alice's expense: 404",
            "DELETE",
            EXPENSE,
            404,
            as_user="bob",
            path_vars={"id": "{{expenseId}}"},
            problem="not-found",
        ),
        Step(
            "Alice's expense is still there",
            "GET",
            EXPENSE,
            200,
            path_vars={"id": "{{expenseId}}"},
            checks=[fields({"amount": "50.00"})],
        ),
        Step(
            "Delete an expense",
            "DELETE",
            EXPENSE,
            204,
            path_vars={"id": "{{expense3Id}}"},
        ),
    ],
)

CATEGORIES = Folder(
    "categories",
    "Categories are created on first use by records, or directly. Renaming one shows on every "
    "record in it at once; one in use cannot be deleted (409).",
    [
        Step(
            "List expense categories",
            "GET",
            "/api/categories/",
            200,
            query=[("kind", "expense")],
            checks=[
                keys(*PAGE_KEYS),
                count(2),
                test(
                    "Groceries and Rent, created by the expenses",
                    "const names = body.results.map((c) => c.name).sort();",
                    'pm.expect(names).to.eql(["Groceries", "Rent"]);',
                    "const groceries = body.results.find((c) => c.name === 'Groceries');",
                    'pm.environment.set("groceriesCategoryId", groceries.id);',
                ),
            ],
        ),
        Step(
            "List categories: an unknown kind is 400",
            "GET",
            "/api/categories/",
            400,
            query=[("kind", "asset")],
            problem="validation-error",
            checks=[errors("kind")],
        ),
        Step(
            "Create a category",
            "POST",
            "/api/categories/",
            201,
            body={"name": "Travel", "kind": "expense"},
            checks=[
                keys("id", "name", "kind"),
                fields({"name": "Travel", "kind": "expense"}),
                save(categoryId="id"),
            ],
        ),
        Step(
            "Create a category: a taken name in another case is 400",
            "POST",
            "/api/categories/",
            400,
            problem="validation-error",
            body={"name": "TRAVEL", "kind": "expense"},
            checks=[errors("name")],
        ),
        Step(
            "Read a category",
            "GET",
            CATEGORY,
            200,
            path_vars={"id": "{{categoryId}}"},
            checks=[fields({"id": env_number("categoryId"), "name": "Travel", "kind": "expense"})],
        ),
        Step(
            "Rename a category",
            "PATCH",
            CATEGORY,
            200,
            path_vars={"id": "{{categoryId}}"},
            body={"name": "Trips"},
            checks=[fields({"name": "Trips", "kind": "expense"})],
        ),
        Step(
            "Change a category's kind: 400",
            "PATCH",
            CATEGORY,
            400,
            path_vars={"id": "{{categoryId}}"},
            body={"kind": "income"},
            problem="validation-error",
            checks=[errors("kind")],
        ),
        Step(
            "Rename a category in use",
            "PATCH",
            CATEGORY,
            200,
            path_vars={"id": "{{groceriesCategoryId}}"},
            body={"name": "Food"},
            checks=[fields({"name": "Food"})],
        ),
        Step(
            "The renamed category shows on its records",
            "GET",
            EXPENSE,
            200,
            path_vars={"id": "{{expenseId}}"},
            checks=[fields({"category": "Food"})],
        ),
        Step(
            "Bob cannot read Alice's category: 404",
            "GET",
            CATEGORY,
            404,
            as_user="bob",
            path_vars={"id": "{{categoryId}}"},
            problem="not-found",
        ),
        Step(
            "Delete a category in use: 409",
            "DELETE",
            CATEGORY,
            409,
            path_vars={"id": "{{groceriesCategoryId}}"},
            problem="conflict",
        ),
        Step(
            "Delete a category",
            "DELETE",
            CATEGORY,
            204,
            path_vars={"id": "{{categoryId}}"},
        ),
    ],
)

GOALS = Folder(
    "goals",
    "Savings goals with their progress: `saved_amount` is the sum of the contributions; it and "
    "the fields after it are read-only.",
    [
        Step(
            "Create a goal",
            "POST",
            "/api/goals/",
            201,
            body={"name": "Laptop", "target_amount": "1500.00", "target_date": "2027-06-30"},
            checks=[
                keys(*GOAL_KEYS),
                fields(
                    {
                        "name": "Laptop",
                        "target_amount": "1500.00",
                        "saved_amount": "0.00",
                        "remaining_amount": "1500.00",
                        "progress_percent": "0.00",
                        "is_achieved": False,
                    }
                ),
                test(
                    "monthly_required is an amount (there is a target date)",
                    r"pm.expect(body.monthly_required).to.match(/^\d+\.\d{2}$/);",
                ),
                save(goalId="id"),
            ],
        ),
        Step(
            "Create a goal without a target date",
            "POST",
            "/api/goals/",
            201,
            body={"name": "Holiday", "target_amount": "800.00"},
            checks=[fields({"target_date": None, "monthly_required": None}), save(goal2Id="id")],
        ),
        Step(
            "Create a goal: a taken name is 400",
            "POST",
            "/api/goals/",
            400,
            problem="validation-error",
            body={"name": "laptop", "target_amount": "10.00"},
            checks=[errors("name")],
        ),
        Step(
            "Create a goal: a zero target is 400",
            "POST",
            "/api/goals/",
            400,
            problem="validation-error",
            body={"name": "Car", "target_amount": "0.00"},
            checks=[errors("target_amount")],
        ),
        Step(
            "List goals",
            "GET",
            "/api/goals/",
            200,
            checks=[
                keys(*PAGE_KEYS),
                count(2),
                test(
                    "both goals",
                    "const names = body.results.map((g) => g.name).sort();",
                    'pm.expect(names).to.eql(["Holiday", "Laptop"]);',
                ),
            ],
        ),
        Step(
            "Read a goal",
            "GET",
            GOAL,
            200,
            path_vars={"id": "{{goalId}}"},
            checks=[keys(*GOAL_KEYS), fields({"id": env_number("goalId"), "name": "Laptop"})],
        ),
        Step(
            "Replace a goal (PUT)",
            "PUT",
            GOAL,
            200,
            path_vars={"id": "{{goalId}}"},
            body={"name": "Laptop", "target_amount": "1500.00", "target_date": "2027-12-31"},
            checks=[fields({"target_date": "2027-12-31", "target_amount": "1500.00"})],
        ),
        Step(
            "Change a goal (PATCH)",
            "PATCH",
            GOAL,
            200,
            path_vars={"id": "{{goal2Id}}"},
            body={"target_amount": "900.00"},
            checks=[fields({"name": "Holiday", "target_amount": "900.00"})],
        ),
        Step(
            "Bob cannot read Alice's goal: 404",
            "GET",
            GOAL,
            404,
            as_user="bob",
            path_vars={"id": "{{goalId}}"},
            problem="not-found",
        ),
        Step(
            "Bob cannot replace Alice's goal: 404",
            "PUT",
            GOAL,
            404,
            as_user="bob",
            path_vars={"id": "{{goalId}}"},
            body={"name": "Mine now", "target_amount": "1.00"},
            problem="not-found",
        ),
        Step(
            "Delete a goal",
            "DELETE",
            GOAL,
            204,
            path_vars={"id": "{{goal2Id}}"},
        ),
    ],
)

CONTRIBUTIONS_FOLDER = Folder(
    "contributions",
    "Deposits (positive) and withdrawals (negative) of a goal; never below zero. Creates take "
    "an `Idempotency-Key`: a retry with the same key and body replays the first answer.",
    [
        Step(
            "Contribute to a goal",
            "POST",
            CONTRIBUTIONS,
            201,
            path_vars={"goal_pk": "{{goalId}}"},
            body={"amount": "500.00", "date": "2025-11-20", "note": "From the November pay"},
            checks=[
                keys("id", "amount", "date", "note"),
                fields({"amount": "500.00", "date": "2025-11-20"}),
                save(contributionId="id"),
            ],
        ),
        Step(
            "Withdraw from a goal",
            "POST",
            CONTRIBUTIONS,
            201,
            path_vars={"goal_pk": "{{goalId}}"},
            body={"amount": "-50.00", "date": "2025-11-25", "note": "Cable"},
            checks=[fields({"amount": "-50.00"}), save(withdrawalId="id")],
        ),
        Step(
            "The goal shows its progress",
            "GET",
            GOAL,
            200,
            path_vars={"id": "{{goalId}}"},
            checks=[
                fields(
                    {
                        "saved_amount": "450.00",
                        "remaining_amount": "1050.00",
                        "progress_percent": "30.00",
                        "is_achieved": False,
                    }
                )
            ],
        ),
        Step(
            "List a goal's contributions",
            "GET",
            CONTRIBUTIONS,
            200,
            path_vars={"goal_pk": "{{goalId}}"},
            checks=[keys(*PAGE_KEYS), count(2)],
        ),
        Step(
            "Read a contribution",
            "GET",
            CONTRIBUTION,
            200,
            path_vars={"goal_pk": "{{goalId}}", "id": "{{contributionId}}"},
            checks=[
                fields(
                    {
                        "id": env_number("contributionId"),
                        "amount": "500.00",
                        "note": "From the November pay",
                    }
                )
            ],
        ),
        Step(
            "Withdraw more than saved: 400",
            "POST",
            CONTRIBUTIONS,
            400,
            path_vars={"goal_pk": "{{goalId}}"},
            body={"amount": "-1000.00"},
            problem="validation-error",
            checks=[errors("amount")],
        ),
        Step(
            "Contribute zero: 400",
            "POST",
            CONTRIBUTIONS,
            400,
            path_vars={"goal_pk": "{{goalId}}"},
            body={"amount": "0.00"},
            problem="validation-error",
            checks=[errors("amount")],
        ),
        Step(
            "Bob cannot contribute to Alice's goal: 404",
            "POST",
            CONTRIBUTIONS,
            404,
            as_user="bob",
            path_vars={"goal_pk": "{{goalId}}"},
            body={"amount": "10.00"},
            problem="not-found",
        ),
        Step(
            "Bob cannot read Alice's contribution: 404",
            "GET",
            CONTRIBUTION,
            404,
            as_user="bob",
            path_vars={"goal_pk": "{{goalId}}", "id": "{{contributionId}}"},
            problem="not-found",
        ),
        Step(
            "Delete a deposit that the withdrawal needs: 409",
            "DELETE",
            CONTRIBUTION,
            409,
            path_vars={"goal_pk": "{{goalId}}", "id": "{{contributionId}}"},
            problem="conflict",
            note="Without the 500.00 deposit, the 50.00 withdrawal would leave the goal below "
            "zero.",
        ),
        Step(
            "Delete a withdrawal",
            "DELETE",
            CONTRIBUTION,
            204,
            path_vars={"goal_pk": "{{goalId}}", "id": "{{withdrawalId}}"},
        ),
        Step(
            "Contribute with an Idempotency-Key",
            "POST",
            CONTRIBUTIONS,
            201,
            path_vars={"goal_pk": "{{goalId}}"},
            headers={"Idempotency-Key": "contribution-{{aliceUsername}}"},
            body={"amount": "25.00", "date": "2025-11-28"},
            checks=[fields({"amount": "25.00"}), save(keyedContributionId="id")],
        ),
        Step(
            "Retry with the same key: the first answer, nothing new",
            "POST",
            CONTRIBUTIONS,
            201,
            path_vars={"goal_pk": "{{goalId}}"},
            headers={"Idempotency-Key": "contribution-{{aliceUsername}}"},
            body={"amount": "25.00", "date": "2025-11-28"},
            checks=[
                fields({"id": env_number("keyedContributionId"), "amount": "25.00"}),
                header("Idempotent-Replayed", "true"),
            ],
        ),
        Step(
            "The goal counts the keyed contribution once",
            "GET",
            GOAL,
            200,
            path_vars={"id": "{{goalId}}"},
            checks=[fields({"saved_amount": "525.00", "progress_percent": "35.00"})],
        ),
    ],
)

ANALYTICS = Folder(
    "analytics",
    "The summary of November 2025 and the trends up to it, exact to the cent: incomes 2600.00 "
    "and 300.50, expenses 1200.00 and 50.00, contributions 500.00 and 25.00.",
    [
        Step(
            "Summary of a month",
            "GET",
            "/api/summary/",
            200,
            query=[("month", "2025-11")],
            checks=[
                fields(
                    {
                        "period": {"start": "2025-11-01", "end": "2025-11-30"},
                        "currency": "EUR",
                        "total_income": "2900.50",
                        "total_expenses": "1250.00",
                        "net": "1650.50",
                        "savings_rate": "56.90",
                        "goal_contributions": "525.00",
                    }
                ),
                fields(
                    {
                        "income_by_category": [
                            {
                                "category": "Salary",
                                "total": "2600.00",
                                "count": 1,
                                "percent": "89.64",
                            },
                            {
                                "category": "Freelance",
                                "total": "300.50",
                                "count": 1,
                                "percent": "10.36",
                            },
                        ],
                        "expenses_by_category": [
                            {
                                "category": "Rent",
                                "total": "1200.00",
                                "count": 1,
                                "percent": "96.00",
                            },
                            {"category": "Food", "total": "50.00", "count": 1, "percent": "4.00"},
                        ],
                    },
                    name="categories, largest first, with their share",
                ),
                fields(
                    {
                        "previous_period": {
                            "start": "2025-10-01",
                            "end": "2025-10-31",
                            "total_income": "0.00",
                            "total_expenses": "0.00",
                            "net": "0.00",
                        }
                    },
                    name="previous_period is October",
                ),
            ],
        ),
        Step(
            "Summary of a date range",
            "GET",
            "/api/summary/",
            200,
            query=[("date_from", "2025-11-01"), ("date_to", "2025-11-10")],
            checks=[
                fields(
                    {
                        "period": {"start": "2025-11-01", "end": "2025-11-10"},
                        "total_income": "2600.00",
                        "total_expenses": "1250.00",
                        "net": "1350.00",
                        "goal_contributions": "0.00",
                        "previous_period.start": "2025-10-22",
                        "previous_period.end": "2025-10-31",
                    }
                )
            ],
        ),
        Step(
            "Summary: a malformed month is 400",
            "GET",
            "/api/summary/",
            400,
            query=[("month", "2025-13")],
            problem="validation-error",
            checks=[errors("month")],
        ),
        Step(
            "Summary: one end of a range is 400",
            "GET",
            "/api/summary/",
            400,
            query=[("date_from", "2025-11-01")],
            problem="validation-error",
            checks=[errors("date_to")],
        ),
        Step(
            "Summary without a token is 401",
            "GET",
            "/api/summary/",
            401,
            as_user="anonymous",
            problem="not-authenticated",
        ),
        Step(
            "Bob's summary has none of Alice's money",
            "GET",
            "/api/summary/",
            200,
            as_user="bob",
            query=[("month", "2025-11")],
            checks=[
                fields(
                    {
                        "currency": "USD",
                        "total_income": "0.00",
                        "total_expenses": "0.00",
                        "savings_rate": None,
                        "income_by_category": [],
                    }
                )
            ],
        ),
        Step(
            "Trends of three months",
            "GET",
            "/api/summary/trends/",
            200,
            query=[("months", "3"), ("end", "2025-11")],
            checks=[
                fields(
                    {
                        "currency": "EUR",
                        "months": [
                            {
                                "month": "2025-09",
                                "total_income": "0.00",
                                "total_expenses": "0.00",
                                "net": "0.00",
                                "savings_rate": None,
                            },
                            {
                                "month": "2025-10",
                                "total_income": "0.00",
                                "total_expenses": "0.00",
                                "net": "0.00",
                                "savings_rate": None,
                            },
                            {
                                "month": "2025-11",
                                "total_income": "2900.50",
                                "total_expenses": "1250.00",
                                "net": "1650.50",
                                "savings_rate": "56.90",
                            },
                        ],
                    },
                    name="oldest first, empty months as zeros",
                )
            ],
        ),
        Step(
            "Trends: more than 60 months is 400",
            "GET",
            "/api/summary/trends/",
            400,
            query=[("months", "61")],
            problem="validation-error",
            checks=[errors("months")],
        ),
    ],
)

CLOSING = Folder(
    "accounts: tokens, password and deletion",
    "Refresh (the refresh token rotates), log out, change the password, and delete both "
    "accounts: a run leaves nothing behind.",
    [
        Step(
            "Refresh the tokens",
            "POST",
            "/api/token/refresh/",
            200,
            as_user="anonymous",
            prerequest=[
                'pm.environment.set("oldRefreshToken", pm.environment.get("refreshToken"));'
            ],
            body={"refresh": "{{refreshToken}}"},
            checks=[
                keys("access", "refresh"),
                test(
                    "a new refresh token",
                    'pm.expect(body.refresh).to.not.eql(pm.environment.get("oldRefreshToken"));',
                ),
                save(accessToken="access", refreshToken="refresh"),
            ],
        ),
        Step(
            "Refresh with a rotated token: 401",
            "POST",
            "/api/token/refresh/",
            401,
            as_user="anonymous",
            body={"refresh": "{{oldRefreshToken}}"},
            problem="token-not-valid",
        ),
        Step(
            "Log out with someone else's refresh token: 400",
            "POST",
            "/api/logout/",
            400,
            body={"refresh": "{{bobRefreshToken}}"},
            problem="validation-error",
            checks=[errors("refresh")],
        ),
        Step(
            "Log out",
            "POST",
            "/api/logout/",
            204,
            body={"refresh": "{{refreshToken}}"},
        ),
        Step(
            "Refresh after logging out: 401",
            "POST",
            "/api/token/refresh/",
            401,
            as_user="anonymous",
            body={"refresh": "{{refreshToken}}"},
            problem="token-not-valid",
        ),
        Step(
            "Change the password",
            "POST",
            "/api/me/password/",
            204,
            prerequest=[
                "const random = () => Math.random().toString(36).slice(2, 10);",
                "const secret = random() + random();",
                'pm.environment.set("aliceNewPassword", "New-" + secret + "-3");',
            ],
            body={"old_password": "{{alicePassword}}", "new_password": "{{aliceNewPassword}}"},
            checks=[
                [
                    "if (pm.response.code === 204) {",
                    '    const changed = pm.environment.get("aliceNewPassword");',
                    '    pm.environment.set("alicePassword", changed);',
                    "}",
                ]
            ],
        ),
        Step(
            "Token with the new password",
            "POST",
            "/api/token/",
            200,
            as_user="anonymous",
            body={"username": "{{aliceUsername}}", "password": "{{alicePassword}}"},
            checks=[save(accessToken="access", refreshToken="refresh")],
        ),
        Step(
            "Delete the account: a wrong password is 400",
            "POST",
            "/api/me/delete/",
            400,
            body={"password": "not-{{alicePassword}}"},
            problem="validation-error",
            checks=[errors("password")],
        ),
        Step(
            "Delete Alice's account",
            "POST",
            "/api/me/delete/",
            204,
            body={"password": "{{alicePassword}}"},
            note="Every record of the account goes with it; the username is free again.",
        ),
        Step(
            "A deleted account's token is 401",
            "GET",
            "/api/me/",
            401,
            problem="user-not-found",
        ),
        Step(
            "Sign in to a deleted account: 401",
            "POST",
            "/api/token/",
            401,
            as_user="anonymous",
            body={"username": "{{aliceUsername}}", "password": "{{alicePassword}}"},
            problem="no-active-account",
        ),
        Step(
            "Delete Bob's account",
            "POST",
            "/api/me/delete/",
            204,
            as_user="bob",
            body={"password": "{{bobPassword}}"},
        ),
    ],
)

FOLDERS = [
    SERVICE,
    SIGN_UP,
    INCOMES,
    EXPENSES,
    CATEGORIES,
    GOALS,
    CONTRIBUTIONS_FOLDER,
    ANALYTICS,
    CLOSING,
]
