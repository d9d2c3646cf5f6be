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
    media: str = "application/json"  # the media type of a successful answer


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
RECORD_KEYS = (
    "id",
    "amount",
    "date",
    "category",
    "description",
    "tags",
    "external_id",
    "recurring_id",
    "import_id",
    "created_at",
    "updated_at",
)
BUDGET_KEYS = (
    "id",
    "category",
    "amount",
    "start_month",
    "end_month",
    "rollover",
    "created_at",
    "updated_at",
)
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
TAG = "/api/tags/{id}/"
BUDGET = "/api/budgets/{id}/"
GOAL = "/api/goals/{id}/"
CONTRIBUTIONS = "/api/goals/{goal_pk}/contributions/"
CONTRIBUTION = "/api/goals/{goal_pk}/contributions/{id}/"

SERVICE = Folder(
    "service",
    "Where to start, and is the server up? Needs no token.",
    [
        Step(
            "Index",
            "GET",
            "/api/",
            200,
            as_user="anonymous",
            checks=[
                fields({"name": "fintrack API"}),
                keys("name", "version", "docs", "resources"),
                keys("swagger_ui", "redoc", "schema", at="docs"),
                keys(
                    "register",
                    "token",
                    "me",
                    "tokens",
                    "incomes",
                    "expenses",
                    "categories",
                    "tags",
                    "budgets",
                    "budget_status",
                    "recurring",
                    "recurring_upcoming",
                    "imports",
                    "export",
                    "goals",
                    "summary",
                    "trends",
                    "changes",
                    "health",
                    at="resources",
                ),
                test(
                    "the links point at this server",
                    'const base = pm.variables.get("baseUrl");',
                    'pm.expect(body.docs.schema).to.eql(base + "/api/schema/");',
                    'pm.expect(body.resources.expenses).to.eql(base + "/api/expenses/");',
                ),
            ],
        ),
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


def record(amount: str, date: str, category: str, description: str) -> dict[str, str]:
    """A record's body (or the fields expected of it) with all four fields."""
    return {"amount": amount, "date": date, "category": category, "description": description}


@dataclass(frozen=True)
class RecordKind:
    """Incomes or expenses: the same endpoints and the same run through them, with the data,
    list filters and error cases of each kind."""

    noun: str  # "income"

    @property
    def plural(self) -> str:
        return f"{self.noun}s"

    @property
    def collection(self) -> str:
        return f"/api/{self.plural}/"

    @property
    def one(self) -> str:
        return f"/api/{self.plural}/{{id}}/"

    def id_var(self, suffix: str = "") -> str:
        return f"{self.noun}{suffix}Id"


def create(
    kind: RecordKind, name: str, body: dict[str, Any], *checks: list[str], **more: Any
) -> Step:
    return Step(name, "POST", kind.collection, 201, body=body, checks=list(checks), **more)


def listing(kind: RecordKind, name: str, query: list[tuple[str, str]], **more: Any) -> Step:
    return Step(name, "GET", kind.collection, more.pop("expect", 200), query=query, **more)


def on_one(kind: RecordKind, name: str, method: str, expect: int, var: str, **more: Any) -> Step:
    return Step(name, method, kind.one, expect, path_vars={"id": "{{" + var + "}}"}, **more)


def refused(kind: RecordKind, what: str, body: dict[str, Any], field_name: str) -> Step:
    """A create refused with a 400 naming one field: "Create an income: <what> is 400"."""
    return Step(
        f"Create an {kind.noun}: {what} is 400",
        "POST",
        kind.collection,
        400,
        problem="validation-error",
        body=body,
        checks=[errors(field_name)],
    )


@dataclass
class RecordRun:
    """What one kind's run sends and expects around the steps all kinds share."""

    kind: RecordKind
    description: str
    body: dict[str, Any]  # the first record, read, replaced and changed below
    created: dict[str, Any]
    more_creates: list[Step]  # the last of them is deleted at the end
    lists: list[Step]
    read: dict[str, Any]
    replace: dict[str, Any]
    replaced: dict[str, Any]
    change: dict[str, Any]
    changed: dict[str, Any]
    refusals: list[Step]
    strangers: list[Step]
    after_delete: list[Step] = field(default_factory=list)


def record_folder(run: RecordRun) -> Folder:
    """A kind's folder: create, list, read, PUT, PATCH, the refusals, Bob, and a delete."""
    kind = run.kind
    first = kind.id_var()
    return Folder(
        kind.plural,
        run.description,
        [
            create(
                kind,
                f"Create an {kind.noun}",
                run.body,
                keys(*RECORD_KEYS),
                fields(run.created),
                save(**{first: "id"}),
            ),
            *run.more_creates,
            *run.lists,
            on_one(
                kind,
                f"Read an {kind.noun}",
                "GET",
                200,
                first,
                checks=[keys(*RECORD_KEYS), fields(run.read)],
            ),
            on_one(
                kind,
                f"Replace an {kind.noun} (PUT)",
                "PUT",
                200,
                first,
                body=run.replace,
                checks=[fields(run.replaced)],
            ),
            on_one(
                kind,
                f"Change an {kind.noun} (PATCH)",
                "PATCH",
                200,
                first,
                body=run.change,
                checks=[fields(run.changed)],
            ),
            *run.refusals,
            *run.strangers,
            on_one(kind, f"Delete an {kind.noun}", "DELETE", 204, kind.id_var("3")),
            *run.after_delete,
        ],
    )


_INCOME = RecordKind("income")
_EXPENSE = RecordKind("expense")

INCOMES = record_folder(
    RecordRun(
        _INCOME,
        "Create, list with filters, read, PUT, PATCH and delete incomes; the error cases, "
        "including Bob's 404 on Alice's income.",
        body=record("2500.00", "2025-11-01", "Salary", "November pay"),
        created=record("2500.00", "2025-11-01", "Salary", "November pay"),
        more_creates=[
            create(
                _INCOME,
                "Create an income with a number amount",
                {"amount": 300.5, "date": "2025-11-15", "category": "Freelance"},
                fields({"amount": "300.50", "category": "Freelance", "description": ""}),
                note="A JSON number is read as a decimal, never a float; the answer is a string.",
            ),
            create(
                _INCOME,
                "Create an income with the defaults",
                {"amount": "120.00"},
                fields({"amount": "120.00", "date": TODAY, "category": "Uncategorized"}),
                save(income3Id="id"),
                note="`date` defaults to today (UTC), `category` to Uncategorized.",
            ),
        ],
        lists=[
            listing(
                _INCOME,
                "List incomes of a month, largest first",
                [("month", "2025-11"), ("ordering", "-amount")],
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
            listing(
                _INCOME,
                "List incomes of several categories over an amount",
                [("category", "SALARY"), ("category", "freelance"), ("min_amount", "301")],
                checks=[count(1, total="2500.00"), fields({"results.0.category": "Salary"})],
                note="Category names match in any case; repeat `category` for several.",
            ),
            listing(
                _INCOME,
                "List incomes one per page",
                [("page_size", "1"), ("ordering", "amount")],
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
        ],
        read={"id": env_number("incomeId"), "amount": "2500.00", "category": "Salary"},
        replace=record("2600.00", "2025-11-01", "Salary", "November pay, with bonus"),
        replaced={"amount": "2600.00", "description": "November pay, with bonus"},
        change={"description": "November pay and bonus"},
        changed={"amount": "2600.00", "description": "November pay and bonus"},
        refusals=[
            refused(
                _INCOME, "a negative amount", {"amount": "-5.00", "category": "Salary"}, "amount"
            ),
            Step(
                "Create an income: a body that is not JSON is 415",
                "POST",
                _INCOME.collection,
                415,
                headers={"Content-Type": "text/plain"},
                body="amount=5.00",
                problem="unsupported-media-type",
            ),
            listing(
                _INCOME,
                "List incomes: an unknown ordering is 400",
                [("ordering", "colour")],
                expect=400,
                problem="validation-error",
                checks=[errors("ordering")],
            ),
            listing(
                _INCOME,
                "List incomes without a token is 401",
                [],
                expect=401,
                as_user="anonymous",
                problem="not-authenticated",
                checks=[header("WWW-Authenticate")],
            ),
        ],
        strangers=[
            on_one(
                _INCOME,
                "Bob cannot read Alice's income: 404",
                "GET",
                404,
                "incomeId",
                as_user="bob",
                problem="not-found",
            ),
            on_one(
                _INCOME,
                "Bob cannot change Alice's income: 404",
                "PATCH",
                404,
                "incomeId",
                as_user="bob",
                body={"amount": "1.00"},
                problem="not-found",
            ),
            listing(
                _INCOME,
                "Bob's list has none of Alice's incomes",
                [],
                as_user="bob",
                checks=[count(0, total="0.00")],
            ),
        ],
        after_delete=[
            on_one(
                _INCOME,
                "Read a deleted income: 404",
                "GET",
                404,
                "income3Id",
                problem="not-found",
            ),
        ],
    )
)

EXPENSES = record_folder(
    RecordRun(
        _EXPENSE,
        "The same operations on expenses, with the other filters: date range, search, and the "
        "400 for a month given together with a range.",
        body=record("42.10", "2025-11-05", "Groceries", "Market"),
        created={"amount": "42.10", "category": "Groceries", "description": "Market"},
        more_creates=[
            create(
                _EXPENSE,
                "Create the rent",
                {"amount": "1200.00", "date": "2025-11-01", "category": "Rent"},
                fields({"amount": "1200.00", "category": "Rent"}),
            ),
            create(
                _EXPENSE,
                "Create an expense in a category of another case",
                record("3.50", "2025-11-20", "groceries", "Coffee"),
                fields({"category": "Groceries"}),
                save(expense3Id="id"),
                note="`groceries` is the existing category Groceries: names match in any case.",
            ),
        ],
        lists=[
            listing(
                _EXPENSE,
                "List expenses of a category, largest first",
                [("category", "groceries"), ("ordering", "-amount")],
                checks=[count(2, total="45.60"), fields({"results.0.amount": "42.10"})],
            ),
            listing(
                _EXPENSE,
                "List expenses of a date range matching a search",
                [("date_from", "2025-11-01"), ("date_to", "2025-11-10"), ("search", "MARK")],
                checks=[
                    count(1, total="42.10"),
                    fields({"results.0.id": env_number("expenseId")}),
                ],
            ),
            listing(
                _EXPENSE,
                "List expenses: a month and a range together is 400",
                [("month", "2025-11"), ("date_from", "2025-11-01")],
                expect=400,
                problem="validation-error",
                checks=[errors("month")],
            ),
        ],
        read={"amount": "42.10", "date": "2025-11-05"},
        replace=record("48.90", "2025-11-05", "Groceries", "Market, weekly shop"),
        replaced={"amount": "48.90", "description": "Market, weekly shop"},
        change={"amount": "50.00"},
        changed={"amount": "50.00", "description": "Market, weekly shop"},
        refusals=[
            refused(
                _EXPENSE, "three decimals", {"amount": "12.345", "category": "Groceries"}, "amount"
            ),
            refused(_EXPENSE, "no amount", {"category": "Rent"}, "amount"),
            Step(
                "Create an expense without a token is 401",
                "POST",
                _EXPENSE.collection,
                401,
                as_user="anonymous",
                problem="not-authenticated",
                body={"amount": "1.00"},
            ),
        ],
        strangers=[
            on_one(
                _EXPENSE,
                "Bob cannot delete Alice's expense: 404",
                "DELETE",
                404,
                "expenseId",
                as_user="bob",
                problem="not-found",
            ),
            on_one(
                _EXPENSE,
                "Alice's expense is still there",
                "GET",
                200,
                "expenseId",
                checks=[fields({"amount": "50.00"})],
            ),
        ],
    )
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

RESET_ACCEPTED = (
    "If an account has this email address, a message with a reset code is on its way. "
    "The code works once, for one hour."
)

PASSWORD_RESET = Folder(
    "accounts: forgot your password",
    "Ask for a reset code by email, then set a new password with it. The answer is the same "
    "whether or not an account has the email. The code (`uid` and `token`) arrives only by "
    "mail (EMAIL_URL: printed on the server's output under `make run`), so this run confirms "
    "with a bogus code; with a real one, the confirmation answers 204 and every device is "
    "signed out.",
    [
        Step(
            "Ask for a reset code",
            "POST",
            "/api/password-reset/",
            202,
            as_user="anonymous",
            body={"email": "{{aliceUsername}}@example.com"},
            checks=[fields({"detail": RESET_ACCEPTED})],
            note="Alice's account gets a mail with a one-time code, valid one hour.",
        ),
        Step(
            "Ask for a reset code for an unknown email: the same 202",
            "POST",
            "/api/password-reset/",
            202,
            as_user="anonymous",
            body={"email": "nobody.{{aliceUsername}}@example.com"},
            checks=[fields({"detail": RESET_ACCEPTED})],
            note="No mail is sent, and nothing in the answer says so.",
        ),
        Step(
            "Ask for a reset code: a malformed email is 400",
            "POST",
            "/api/password-reset/",
            400,
            as_user="anonymous",
            body={"email": "not-an-email"},
            problem="validation-error",
            checks=[errors("email")],
        ),
        Step(
            "Set a new password with a code: a bogus code is 400",
            "POST",
            "/api/password-reset/confirm/",
            400,
            as_user="anonymous",
            prerequest=[
                "// Paste the uid and token of the reset mail into resetUid and resetToken to",
                "// set a new password for real (204).",
                'if (!pm.environment.get("resetUid")) { pm.environment.set("resetUid", "MA"); }',
                'if (!pm.environment.get("resetToken")) {',
                '    pm.environment.set("resetToken", "bogus-code");',
                "}",
            ],
            body={
                "uid": "{{resetUid}}",
                "token": "{{resetToken}}",
                "new_password": "{{alicePassword}}-reset",
            },
            problem="validation-error",
            checks=[errors("token")],
            note=(
                "With the `uid` and `token` from the mail: 204, the password changes, and every "
                "refresh and access token issued before stops working. A wrong, used or "
                "expired (one hour) code: 400 naming `token`."
            ),
        ),
    ],
)

TAGS_FOLDER = Folder(
    "tags and external ids",
    "Tags on records (created on first use, matched in any case, sorted by name), the tag "
    'filter whose total answers "how much did the trip cost?", an external id that is unique '
    "per kind, and /api/tags/. Records of December 2025, so November's summary is untouched.",
    [
        Step(
            "Create an expense with tags and an external id",
            "POST",
            "/api/expenses/",
            201,
            body={
                "amount": "30.00",
                "date": "2025-12-05",
                "category": "Travel",
                "tags": ["trip-lisbon", "Shared", "TRIP-LISBON"],
                "external_id": "BANK-{{aliceUsername}}-1",
            },
            checks=[
                keys(*RECORD_KEYS),
                fields(
                    {
                        "tags": ["Shared", "trip-lisbon"],
                        "recurring_id": None,
                        "import_id": None,
                    }
                ),
                save(taggedExpenseId="id", taggedExternalId="external_id"),
            ],
            note="A name repeated in any case counts once; the answer sorts the names.",
        ),
        Step(
            "Create an expense: a taken external id is 400",
            "POST",
            "/api/expenses/",
            400,
            body={
                "amount": "1.00",
                "date": "2025-12-05",
                "external_id": "BANK-{{aliceUsername}}-1",
            },
            problem="validation-error",
            checks=[errors("external_id")],
        ),
        Step(
            "Create an expense: a 33-character tag is 400",
            "POST",
            "/api/expenses/",
            400,
            body={"amount": "1.00", "tags": ["x" * 33]},
            problem="validation-error",
            checks=[errors("tags")],
        ),
        Step(
            "Create an expense: a tag with a comma is 400",
            "POST",
            "/api/expenses/",
            400,
            body={"amount": "1.00", "tags": ["lisbon,porto"]},
            problem="validation-error",
            checks=[errors("tags")],
        ),
        Step(
            "List the expenses of a tag: the trip's cost",
            "GET",
            "/api/expenses/",
            200,
            query=[("tag", "Trip-Lisbon")],
            checks=[
                count(1, total="30.00"),
                fields({"results.0.id": env_number("taggedExpenseId")}),
            ],
        ),
        Step(
            "List the expenses of an external id",
            "GET",
            "/api/expenses/",
            200,
            query=[("external_id", "BANK-{{aliceUsername}}-1")],
            checks=[count(1, total="30.00")],
        ),
        Step(
            "Create a tag",
            "POST",
            "/api/tags/",
            201,
            headers={"Idempotency-Key": "tag-{{aliceUsername}}"},
            body={"name": "groceries-run"},
            checks=[
                keys("id", "name", "records"),
                fields({"name": "groceries-run", "records": 0}),
                save(tagId="id"),
            ],
        ),
        Step(
            "Create a tag: a name taken in another case is 400",
            "POST",
            "/api/tags/",
            400,
            body={"name": "SHARED"},
            problem="validation-error",
            checks=[errors("name")],
        ),
        Step(
            "List tags with their record counts",
            "GET",
            "/api/tags/",
            200,
            checks=[
                count(3),
                test(
                    "ordered by name, with counts",
                    "const rows = body.results.map((t) => [t.name, t.records]);",
                    'pm.expect(rows).to.eql([["groceries-run", 0], ["Shared", 1], '
                    '["trip-lisbon", 1]]);',
                ),
                save(tripTagId="results.2.id"),
            ],
        ),
        Step(
            "Rename a tag",
            "PATCH",
            TAG,
            200,
            path_vars={"id": "{{tripTagId}}"},
            body={"name": "Lisbon 2025"},
            checks=[fields({"name": "Lisbon 2025", "records": 1})],
        ),
        Step(
            "The record shows the new name",
            "GET",
            EXPENSE,
            200,
            path_vars={"id": "{{taggedExpenseId}}"},
            checks=[fields({"tags": ["Lisbon 2025", "Shared"]})],
        ),
        Step(
            "Replace the tags of a record (PATCH)",
            "PATCH",
            EXPENSE,
            200,
            path_vars={"id": "{{taggedExpenseId}}"},
            body={"tags": ["lisbon 2025"]},
            checks=[fields({"tags": ["Lisbon 2025"], "external_id": env("taggedExternalId")})],
        ),
        Step(
            "Bob cannot rename Alice's tag: 404",
            "PATCH",
            TAG,
            404,
            as_user="bob",
            path_vars={"id": "{{tripTagId}}"},
            body={"name": "mine"},
            problem="not-found",
        ),
        Step(
            "Delete a tag",
            "DELETE",
            TAG,
            204,
            path_vars={"id": "{{tagId}}"},
        ),
    ],
)

BULK = Folder(
    "bulk creates",
    "Up to 500 records in one request, all or none, with an Idempotency-Key; errors are keyed "
    "by the position of the record.",
    [
        Step(
            "Create expenses in bulk",
            "POST",
            "/api/expenses/bulk/",
            201,
            headers={"Idempotency-Key": "bulk-{{aliceUsername}}"},
            body={
                "records": [
                    {"amount": "25.00", "date": "2025-12-02", "category": "Food"},
                    {"amount": "15.50", "date": "2025-12-03", "category": "food"},
                    {
                        "amount": "10.00",
                        "date": "2025-12-04",
                        "category": "Books",
                        "tags": ["shared"],
                    },
                ]
            },
            checks=[
                keys("records"),
                keys(*RECORD_KEYS, at="records.0"),
                test(
                    "the records in the order sent",
                    "pm.expect(body.records.map((r) => r.amount)).to.eql("
                    '["25.00", "15.50", "10.00"]);',
                    'pm.expect(body.records[1].category).to.eql("Food");',
                    'pm.expect(body.records[2].tags).to.eql(["Shared"]);',
                ),
                save(bulkFirstId="records.0.id"),
            ],
        ),
        Step(
            "Retry the bulk create with the same key: the first answer, nothing new",
            "POST",
            "/api/expenses/bulk/",
            201,
            headers={"Idempotency-Key": "bulk-{{aliceUsername}}"},
            body={
                "records": [
                    {"amount": "25.00", "date": "2025-12-02", "category": "Food"},
                    {"amount": "15.50", "date": "2025-12-03", "category": "food"},
                    {
                        "amount": "10.00",
                        "date": "2025-12-04",
                        "category": "Books",
                        "tags": ["shared"],
                    },
                ]
            },
            checks=[
                fields({"records.0.id": env_number("bulkFirstId")}),
                header("Idempotent-Replayed", "true"),
            ],
        ),
        Step(
            "Create expenses in bulk: one bad record refuses them all",
            "POST",
            "/api/expenses/bulk/",
            400,
            body={
                "records": [
                    {"amount": "5.00", "date": "2025-12-06"},
                    {"amount": "0.00", "date": "2025-12-06"},
                ]
            },
            problem="validation-error",
            checks=[
                test(
                    "errors keyed by position",
                    'pm.expect(Object.keys(body.errors.records)).to.eql(["1"]);',
                    'pm.expect(body.errors.records["1"]).to.have.property("amount");',
                )
            ],
        ),
        Step(
            "Create incomes in bulk",
            "POST",
            "/api/incomes/bulk/",
            201,
            body={"records": [{"amount": "100.00", "date": "2025-12-01", "category": "Gifts"}]},
            checks=[fields({"records.0.amount": "100.00", "records.0.category": "Gifts"})],
        ),
        Step(
            "December's expenses add up",
            "GET",
            "/api/expenses/",
            200,
            query=[("month", "2025-12")],
            checks=[count(4, total="80.50")],
        ),
    ],
)

BUDGETS = Folder(
    "budgets",
    "Monthly caps per expense category, with rollover: November's Food budget of 400.00 "
    "spent 50.00, so December carries 350.00; December's status is exact to the cent.",
    [
        Step(
            "Create a budget with rollover",
            "POST",
            "/api/budgets/",
            201,
            headers={"Idempotency-Key": "budget-{{aliceUsername}}"},
            body={
                "category": "food",
                "amount": "400.00",
                "start_month": "2025-11",
                "rollover": True,
            },
            checks=[
                keys(*BUDGET_KEYS),
                fields(
                    {
                        "category": "Food",
                        "amount": "400.00",
                        "start_month": "2025-11",
                        "end_month": None,
                        "rollover": True,
                    }
                ),
                save(budgetId="id"),
            ],
            note="`food` is the expense category Food (Groceries renamed): any case matches.",
        ),
        Step(
            "Create a budget: overlapping months are 400",
            "POST",
            "/api/budgets/",
            400,
            body={"category": "Food", "amount": "100.00", "start_month": "2025-12"},
            problem="validation-error",
            checks=[errors("start_month")],
        ),
        Step(
            "Create a budget: 0.00 is 400",
            "POST",
            "/api/budgets/",
            400,
            body={"category": "Rent", "amount": "0.00", "start_month": "2025-12"},
            problem="validation-error",
            checks=[errors("amount")],
        ),
        Step(
            "Create a budget named like an income category",
            "POST",
            "/api/budgets/",
            201,
            body={
                "category": "Salary",
                "amount": "10.00",
                "start_month": "2025-12",
                "end_month": "2025-12",
            },
            checks=[
                fields({"category": "Salary", "end_month": "2025-12"}),
                save(salaryBudgetId="id"),
            ],
            note="Salary is an income category: the budget gets an expense category of its own.",
        ),
        Step(
            "List budgets",
            "GET",
            "/api/budgets/",
            200,
            checks=[
                count(2),
                fields({"results.0.category": "Food", "results.1.category": "Salary"}),
            ],
        ),
        Step(
            "Read a budget",
            "GET",
            BUDGET,
            200,
            path_vars={"id": "{{budgetId}}"},
            checks=[keys(*BUDGET_KEYS), fields({"amount": "400.00", "rollover": True})],
        ),
        Step(
            "Change a budget (PATCH)",
            "PATCH",
            BUDGET,
            200,
            path_vars={"id": "{{salaryBudgetId}}"},
            body={"amount": "20.00"},
            checks=[fields({"amount": "20.00", "end_month": "2025-12"})],
        ),
        Step(
            "Replace a budget (PUT)",
            "PUT",
            BUDGET,
            200,
            path_vars={"id": "{{salaryBudgetId}}"},
            body={"category": "Salary", "amount": "25.00", "start_month": "2025-12"},
            checks=[fields({"amount": "25.00", "end_month": None, "rollover": False})],
            note="A PUT replaces the budget: end_month and rollover take their defaults.",
        ),
        Step(
            "Budget status of a month",
            "GET",
            "/api/budgets/status/",
            200,
            query=[("month", "2025-12")],
            checks=[
                fields(
                    {
                        "month": "2025-12",
                        "currency": "EUR",
                        "total_budgeted": "425.00",
                        "total_available": "775.00",
                        "total_spent": "40.50",
                        "total_remaining": "734.50",
                        "unbudgeted_spent": "40.00",
                    }
                ),
                test(
                    "one entry per budget, by category",
                    "const groceries = body.categories[0];",
                    "const names = body.categories.map((c) => c.category);",
                    'pm.expect(names).to.eql(["Food", "Salary"]);',
                    "pm.expect(groceries).to.eql({",
                    '    budget_id: Number(pm.environment.get("budgetId")), category: "Food",',
                    '    budgeted: "400.00", carried_over: "350.00", available: "750.00",',
                    '    spent: "40.50", remaining: "709.50", percent_used: "5.40", state: "ok"',
                    "});",
                ),
            ],
            note="Food: 400.00 + (400.00 - 50.00 spent in November) = 750.00 available; "
            "Travel 30.00 and Books 10.00 have no budget.",
        ),
        Step(
            "Budget status: a malformed month is 400",
            "GET",
            "/api/budgets/status/",
            400,
            query=[("month", "2025-13")],
            problem="validation-error",
            checks=[errors("month")],
        ),
        Step(
            "Bob cannot read Alice's budget: 404",
            "GET",
            BUDGET,
            404,
            as_user="bob",
            path_vars={"id": "{{budgetId}}"},
            problem="not-found",
        ),
        Step(
            "Delete a budget",
            "DELETE",
            BUDGET,
            204,
            path_vars={"id": "{{salaryBudgetId}}"},
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

RULE = "/api/recurring/{id}/"
RULE_KEYS = (
    "id",
    "kind",
    "amount",
    "category",
    "description",
    "tags",
    "frequency",
    "interval",
    "start_date",
    "end_date",
    "active",
    "next_date",
    "created_at",
    "updated_at",
)
RULE_DESCRIPTION = "Gym, every week"


def _days_from_today(variable: str, days: int) -> str:
    """A pre-request line: `variable` = today (UTC) + days, as YYYY-MM-DD."""
    return (
        f'pm.environment.set("{variable}", '
        f"new Date(Date.now() + ({days}) * 86400000).toISOString().slice(0, 10));"
    )


RECURRING = Folder(
    "recurring",
    "A rule creates an income or an expense on every occurrence date by itself, no cron needed: "
    "created with a start date nine weeks ago, its ten weekly occurrences up to today exist as "
    "records (with `recurring_id`) in the answer to the create already; the next ones show in "
    "the forecast of `recurring/upcoming/`.",
    [
        Step(
            "Create a weekly rule that started nine weeks ago",
            "POST",
            "/api/recurring/",
            201,
            prerequest=[
                _days_from_today("ruleStart", -63),
                _days_from_today("ruleNext", 7),
                _days_from_today("ruleAfterNext", 14),
            ],
            body={
                "kind": "expense",
                "amount": "25.00",
                "category": "Sport",
                "description": RULE_DESCRIPTION,
                "tags": ["health"],
                "frequency": "weekly",
                "start_date": "{{ruleStart}}",
            },
            checks=[
                keys(*RULE_KEYS),
                fields(
                    {
                        "amount": "25.00",
                        "tags": ["health"],
                        "interval": 1,
                        "end_date": None,
                        "active": True,
                        "start_date": env("ruleStart"),
                        "next_date": env("ruleNext"),
                    }
                ),
                save(ruleId="id"),
            ],
        ),
        Step(
            "Its ten past occurrences are records already",
            "GET",
            "/api/expenses/",
            200,
            query=[("search", RULE_DESCRIPTION), ("date_from", "{{ruleStart}}")],
            checks=[
                count(10, total="250.00"),
                test(
                    "every record carries the rule's id and tags",
                    'const ruleId = Number(pm.environment.get("ruleId"));',
                    "body.results.forEach(function (record) {",
                    "    pm.expect(record.recurring_id).to.eql(ruleId);",
                    '    pm.expect(record.tags).to.eql(["health"]);',
                    "});",
                ),
            ],
        ),
        Step(
            "List rules (next to occur first)",
            "GET",
            "/api/recurring/",
            200,
            checks=[count(1), fields({"results.0.id": env_number("ruleId")})],
        ),
        Step(
            "Read a rule",
            "GET",
            RULE,
            200,
            path_vars={"id": "{{ruleId}}"},
            checks=[keys(*RULE_KEYS), fields({"category": "Sport", "frequency": "weekly"})],
        ),
        Step(
            "Upcoming: the forecast of the next 14 days",
            "GET",
            "/api/recurring/upcoming/",
            200,
            query=[("days", "14")],
            checks=[
                keys(
                    "days",
                    "currency",
                    "total_income",
                    "total_expenses",
                    "net",
                    "occurrences",
                    "truncated",
                ),
                fields(
                    {
                        "days": 14,
                        "total_income": "0.00",
                        "total_expenses": "50.00",
                        "net": "-50.00",
                        "truncated": False,
                        "occurrences.0.date": env("ruleNext"),
                        "occurrences.0.recurring_id": env_number("ruleId"),
                        "occurrences.0.amount": "25.00",
                        "occurrences.1.date": env("ruleAfterNext"),
                    }
                ),
            ],
        ),
        Step(
            "Upcoming: days out of 1..366 is 400",
            "GET",
            "/api/recurring/upcoming/",
            400,
            query=[("days", "367")],
            problem="validation-error",
            checks=[errors("days")],
        ),
        Step(
            "Pause a rule",
            "PATCH",
            RULE,
            200,
            path_vars={"id": "{{ruleId}}"},
            body={"active": False},
            checks=[fields({"active": False, "next_date": None})],
        ),
        Step(
            "Replace a rule (reactivated: the paused occurrences are skipped)",
            "PUT",
            RULE,
            200,
            path_vars={"id": "{{ruleId}}"},
            body={
                "kind": "expense",
                "amount": "30.00",
                "frequency": "weekly",
                "start_date": "{{ruleStart}}",
                "active": True,
            },
            checks=[
                fields(
                    {
                        "amount": "30.00",
                        "category": "Sport",
                        "active": True,
                        "next_date": env("ruleNext"),
                    }
                )
            ],
        ),
        Step(
            "Create a rule: interval 0 is 400",
            "POST",
            "/api/recurring/",
            400,
            problem="validation-error",
            body={
                "kind": "income",
                "amount": "10.00",
                "frequency": "daily",
                "interval": 0,
                "start_date": "{{ruleStart}}",
            },
            checks=[errors("interval")],
        ),
        Step(
            "Create a rule: a start more than 366 days ago is 400",
            "POST",
            "/api/recurring/",
            400,
            prerequest=[_days_from_today("ruleTooOld", -367)],
            problem="validation-error",
            body={
                "kind": "income",
                "amount": "10.00",
                "frequency": "monthly",
                "start_date": "{{ruleTooOld}}",
            },
            checks=[errors("start_date")],
        ),
        Step(
            "Bob cannot read Alice's rule: 404",
            "GET",
            RULE,
            404,
            as_user="bob",
            path_vars={"id": "{{ruleId}}"},
            problem="not-found",
        ),
        Step(
            "Delete a rule",
            "DELETE",
            RULE,
            204,
            path_vars={"id": "{{ruleId}}"},
        ),
        Step(
            "Its records stay, with recurring_id null",
            "GET",
            "/api/expenses/",
            200,
            query=[("search", RULE_DESCRIPTION), ("date_from", "{{ruleStart}}")],
            checks=[
                count(10, total="250.00"),
                fields({"results.0.recurring_id": None}),
            ],
        ),
    ],
)


IMPORT_KEYS = (
    "id",
    "status",
    "filename",
    "rows",
    "new",
    "duplicates",
    "errors",
    "created_at",
    "committed_at",
)
IMPORT = "/api/imports/{id}/"
BANK_CSV = (
    "Date,Amount,Description,Category,Tags\n"
    "2024-03-02,-3.50,Coffee,Cafes,work\n"
    "2024-03-02,-3.50,Coffee,Cafes,work\n"
    "2024-03-05,-61.20,'=Supermarket,Groceries,\n"
    "2024-03-01,1800.00,March pay,Salary,\n"
)
_CSV_HEADERS = {"Content-Type": "text/csv"}
_IMPORT_VARS = {"id": "{{importId}}"}


def _csv_test(name: str, *lines: str) -> list[str]:
    return _test(name, ["const text = pm.response.text();", *lines])


IMPORTS_FOLDER = Folder(
    "imports and export",
    "A bank's CSV previewed (a verdict per row), committed, imported again (all duplicates), "
    "exported as CSV and JSON, then undone and forgotten.",
    [
        Step(
            "Preview a bank CSV",
            "POST",
            "/api/imports/",
            201,
            headers={**_CSV_HEADERS, "Idempotency-Key": "import-{{aliceUsername}}"},
            body=BANK_CSV,
            checks=[
                keys(*IMPORT_KEYS),
                fields(
                    {
                        "status": "previewed",
                        "filename": None,
                        "rows": 4,
                        "new": 4,
                        "duplicates": 0,
                        "errors": 0,
                        "committed_at": None,
                    }
                ),
                save(importId="id"),
            ],
            note="Two identical coffees on one day are two records; a negative amount is an "
            "expense; the leading ' of '=Supermarket (an export's formula guard) is dropped.",
        ),
        Step(
            "The rows of the preview",
            "GET",
            IMPORT + "rows/",
            200,
            path_vars=_IMPORT_VARS,
            query=[("verdict", "new")],
            checks=[
                count(4),
                keys("line", "verdict", "errors", "record", "duplicate_of", at="results.0"),
                fields(
                    {
                        "results.0.line": 2,
                        "results.0.record.kind": "expense",
                        "results.0.record.amount": "3.50",
                        "results.0.record.tags": ["work"],
                        "results.2.record.description": "=Supermarket",
                        "results.3.record.kind": "income",
                    }
                ),
            ],
        ),
        Step(
            "Commit the preview",
            "POST",
            IMPORT + "commit/",
            200,
            path_vars=_IMPORT_VARS,
            checks=[fields({"status": "committed", "new": 4})],
        ),
        Step(
            "Commit it again: 409",
            "POST",
            IMPORT + "commit/",
            409,
            path_vars=_IMPORT_VARS,
            problem="conflict",
        ),
        Step(
            "Bob cannot see Alice's import",
            "GET",
            IMPORT,
            404,
            as_user="bob",
            path_vars=_IMPORT_VARS,
            problem="not-found",
        ),
        Step(
            "Import the same file again: every row a duplicate",
            "POST",
            "/api/imports/",
            201,
            headers=_CSV_HEADERS,
            body=BANK_CSV,
            checks=[fields({"new": 0, "duplicates": 4}), save(againId="id")],
        ),
        Step(
            "The imports, newest first",
            "GET",
            "/api/imports/",
            200,
            checks=[
                test(
                    "the repeat first, then the committed one",
                    'pm.expect(body.results[0].id).to.eql(pm.environment.get("againId"));',
                    'pm.expect(body.results[1].status).to.eql("committed");',
                )
            ],
        ),
        Step(
            "Export March 2024 as CSV",
            "GET",
            "/api/export/",
            200,
            query=[("format", "csv"), ("month", "2024-03")],
            media="text/csv",
            checks=[
                header("Content-Disposition", 'attachment; filename="fintrack-export.csv"'),
                _csv_test(
                    "the header, oldest first, the formula guard",
                    "const lines = text.trim().split(/\\r?\\n/);",
                    "pm.expect(lines[0]).to.eql('id,kind,date,amount,currency,category,"
                    "description,tags,external_id,recurring_id,import_id,created_at,updated_at');",
                    "pm.expect(lines.length).to.eql(5);",
                    "pm.expect(lines[1]).to.include(',income,2024-03-01,1800.00,');",
                    'pm.expect(lines[4]).to.include(",\'=Supermarket,");',
                ),
            ],
        ),
        Step(
            "Export the March expenses as JSON",
            "GET",
            "/api/export/",
            200,
            query=[("format", "json"), ("month", "2024-03"), ("kind", "expense")],
            checks=[
                test(
                    "three expenses with their kind and import",
                    "pm.expect(body.length).to.eql(3);",
                    'pm.expect(body[0].kind).to.eql("expense");',
                    'pm.expect(body[0].import_id).to.eql(pm.environment.get("importId"));',
                )
            ],
        ),
        Step(
            "Undo the import",
            "POST",
            IMPORT + "undo/",
            200,
            path_vars=_IMPORT_VARS,
            checks=[fields({"status": "undone"})],
        ),
        Step(
            "March 2024 has no expense left",
            "GET",
            "/api/expenses/",
            200,
            query=[("month", "2024-03")],
            checks=[count(0, total="0.00")],
        ),
        Step(
            "Forget the undone import",
            "DELETE",
            IMPORT,
            204,
            path_vars=_IMPORT_VARS,
        ),
        Step(
            "Forget the preview of the repeat",
            "DELETE",
            IMPORT,
            204,
            path_vars={"id": "{{againId}}"},
        ),
    ],
)


TOKEN_KEYS = ("id", "name", "scope", "prefix", "created_at", "expires_at", "last_used_at")
READ_TOKEN = {"Authorization": "Bearer {{readToken}}"}

TOKENS_FOLDER = Folder(
    "tokens: personal access tokens",
    "Alice creates a read-only personal access token (`readToken`), reads with it, sees a "
    "write refused (403 insufficient-scope) and the tokens endpoints refused to any token "
    "(403 forbidden), then revokes it: it answers 401 from then on.",
    [
        Step(
            "Create a read-only token",
            "POST",
            "/api/tokens/",
            201,
            body={"name": "Postman (read only)", "scope": "read", "expires_in_days": 1},
            checks=[
                keys(*TOKEN_KEYS, "token"),
                fields({"name": "Postman (read only)", "scope": "read", "last_used_at": None}),
                test(
                    "the token is ftp_ and its prefix is its start",
                    'pm.expect(body.token.startsWith("ftp_")).to.be.true;',
                    "pm.expect(body.token.startsWith(body.prefix)).to.be.true;",
                ),
                save(readToken="token", readTokenId="id"),
            ],
            note="The token is in this answer only: only its hash is stored.",
        ),
        Step(
            "Create a token: 400 days is too long",
            "POST",
            "/api/tokens/",
            400,
            problem="validation-error",
            body={"name": "Too long", "scope": "read", "expires_in_days": 400},
            checks=[errors("expires_in_days")],
        ),
        Step(
            "List your tokens",
            "GET",
            "/api/tokens/",
            200,
            checks=[
                count(1),
                keys(*TOKEN_KEYS, at="results.0"),
                fields({"results.0.id": env_number("readTokenId")}),
            ],
            note="Never the token itself: its first characters (`prefix`) tell it apart.",
        ),
        Step(
            "Read your expenses with the read token",
            "GET",
            "/api/expenses/",
            200,
            headers=READ_TOKEN,
            checks=[keys(*PAGE_KEYS, "total_amount")],
        ),
        Step(
            "A read token cannot record an expense: 403",
            "POST",
            "/api/expenses/",
            403,
            headers=READ_TOKEN,
            problem="insufficient-scope",
            body=record("9.99", "2025-11-30", "Refused", "a read token may not write"),
        ),
        Step(
            "No token may list the tokens: 403",
            "GET",
            "/api/tokens/",
            403,
            headers=READ_TOKEN,
            problem="forbidden",
            note="Nor change the account (PATCH me/, me/password/, me/delete/, logout/).",
        ),
        Step(
            "Revoke the token",
            "DELETE",
            "/api/tokens/{id}/",
            204,
            path_vars={"id": "{{readTokenId}}"},
        ),
        Step(
            "A revoked token is 401",
            "GET",
            "/api/expenses/",
            401,
            headers=READ_TOKEN,
            problem="token-not-valid",
            checks=[
                header("WWW-Authenticate"),
                test("the detail says revoked", 'pm.expect(body.detail).to.include("revoked");'),
            ],
        ),
    ],
)


SYNC = Folder(
    "sync",
    "How a client keeps a local copy: a full sync (no cursor), a change, an incremental sync "
    "with the saved cursor that holds just that change, then a conditional GET answered 304 "
    'while nothing changed (README, "Syncing a client").',
    [
        Step(
            "Full sync: every object, as upserts",
            "GET",
            "/api/changes/",
            200,
            query=[("limit", "1000")],
            checks=[
                keys("changes", "cursor", "has_more"),
                fields({"has_more": False}),
                test(
                    "every change is an upsert of a known type",
                    "pm.expect(body.changes.length).to.be.above(0);",
                    "body.changes.forEach(function (change) {",
                    '    pm.expect(change.op).to.eql("upsert");',
                    '    pm.expect(change).to.have.all.keys("type", "id", "op", "data");',
                    "});",
                ),
                save(syncCursor="cursor"),
            ],
        ),
        Step(
            "A change: one more expense",
            "POST",
            "/api/expenses/",
            201,
            body={"amount": "4.20", "date": "2025-11-28", "category": "Food", "description": "Tea"},
            checks=[save(syncExpenseId="id")],
        ),
        Step(
            "Incremental sync: just that change",
            "GET",
            "/api/changes/",
            200,
            query=[("cursor", "{{syncCursor}}")],
            checks=[
                test(
                    "the new expense, once, as an upsert",
                    'const id = Number(pm.environment.get("syncExpenseId"));',
                    "const mine = body.changes.filter(function (c) {",
                    '    return c.type === "expense" && c.id === id;',
                    "});",
                    "pm.expect(mine.length).to.eql(1);",
                    'pm.expect(mine[0].op).to.eql("upsert");',
                    'pm.expect(mine[0].data.amount).to.eql("4.20");',
                ),
                save(syncCursor="cursor"),
            ],
        ),
        Step(
            "Summary with its ETag",
            "GET",
            "/api/summary/",
            200,
            query=[("month", "2025-11")],
            checks=[
                header("ETag"),
                header("Cache-Control", "private, no-cache"),
                [
                    "(function () {",
                    '    pm.environment.set("summaryEtag", pm.response.headers.get("ETag"));',
                    "})();",
                ],
            ],
        ),
        Step(
            "Unchanged: 304, no body",
            "GET",
            "/api/summary/",
            304,
            query=[("month", "2025-11")],
            headers={"If-None-Match": "{{summaryEtag}}"},
        ),
    ],
)

FOLDERS = [
    SERVICE,
    SIGN_UP,
    TOKENS_FOLDER,
    INCOMES,
    EXPENSES,
    CATEGORIES,
    GOALS,
    CONTRIBUTIONS_FOLDER,
    ANALYTICS,
    PASSWORD_RESET,
    TAGS_FOLDER,
    BULK,
    BUDGETS,
    RECURRING,
    IMPORTS_FOLDER,
    SYNC,
    CLOSING,
]
