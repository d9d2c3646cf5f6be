"""Tags: on records (`tags` of /api/incomes/ and /api/expenses/, the `tag` filter) and
/api/tags/ (list with record counts, create, rename, delete)."""

from decimal import Decimal

import pytest

from fintrack.ledger import filters
from fintrack.ledger.models import Entry, EntryTag, Tag

from .assertions import assert_problem

EXPENSES = "/api/expenses/"
INCOMES = "/api/incomes/"
TAGS = "/api/tags/"
LIST_MAX_QUERIES = 4
# With `tag`, one more: the records the other filters leave, each with its first matching tag
# (at most TAG_PROBE_LIMIT of them); past that limit, one more again, the tags' ids.
TAGGED_LIST_MAX_QUERIES = {"probed": LIST_MAX_QUERIES + 1, "joined": LIST_MAX_QUERIES + 2}


def _create(client, path=EXPENSES, **fields):
    body = {"amount": "10.00", "date": "2026-11-03", **fields}
    response = client.post(path, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


# Tags on records


@pytest.mark.django_db
def test_a_record_has_no_tags_by_default(alice_client):
    record = _create(alice_client)
    assert record["tags"] == []
    assert record["external_id"] is None
    assert record["recurring_id"] is None
    assert record["import_id"] is None


@pytest.mark.django_db
def test_tags_are_created_on_first_use_and_listed_sorted_case_insensitively(alice, alice_client):
    record = _create(alice_client, tags=["trip-lisbon", "Shared", "alpha"])
    assert record["tags"] == ["alpha", "Shared", "trip-lisbon"]
    assert sorted(Tag.objects.filter(user=alice).values_list("name", flat=True)) == [
        "Shared",
        "alpha",
        "trip-lisbon",
    ]
    assert alice_client.get(f"{EXPENSES}{record['id']}/").json()["tags"] == record["tags"]
    listed = alice_client.get(EXPENSES).json()["results"][0]
    assert listed == record


@pytest.mark.django_db
def test_tags_match_existing_ones_in_any_case_and_keep_the_stored_spelling(alice, alice_client):
    _create(alice_client, tags=["Trip"])
    record = _create(alice_client, tags=["TRIP", "  trip  "])
    assert record["tags"] == ["Trip"]
    assert Tag.objects.filter(user=alice).count() == 1


@pytest.mark.django_db
def test_a_new_tag_twice_in_one_list_stores_the_first_spelling(alice, alice_client):
    record = _create(alice_client, tags=["Beach", "BEACH", "beach"])
    assert record["tags"] == ["Beach"]
    assert list(Tag.objects.filter(user=alice).values_list("name", flat=True)) == ["Beach"]


@pytest.mark.django_db
def test_eleven_names_of_which_ten_distinct_are_accepted(alice_client):
    names = [f"t{i}" for i in range(10)] + ["T0"]
    assert len(_create(alice_client, tags=names)["tags"]) == 10


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tags",
    [
        ["x" * 33],
        [f"t{i}" for i in range(11)],
        ["a,b"],
        ["a;b"],
        [""],
        ["   "],
        ["bad\nname"],
        [7],
        "trip",
        {"name": "trip"},
        None,
    ],
    ids=[
        "33-chars",
        "11-tags",
        "comma",
        "semicolon",
        "empty",
        "blank",
        "control",
        "number",
        "string",
        "object",
        "null",
    ],
)
def test_bad_tags_are_400_naming_tags_and_write_nothing(alice_client, tags):
    response = alice_client.post(EXPENSES, {"amount": "1.00", "tags": tags}, format="json")
    assert_problem(response, 400, errors=["tags"])
    assert not Entry.objects.exists()
    assert not Tag.objects.exists()


@pytest.mark.django_db
def test_a_bad_tag_is_named_by_its_text_not_its_position(alice_client):
    response = alice_client.post(
        EXPENSES, {"amount": "1.00", "tags": ["ok", "a;b", "z" * 50]}, format="json"
    )
    messages = assert_problem(response, 400, errors=["tags"])["errors"]["tags"]
    assert messages == [
        'The tag "a;b": A tag name cannot contain a comma or a semicolon.',
        f'The tag "{"z" * 40}…": ' + messages[1].split(": ", 1)[1],
    ]


@pytest.mark.django_db
def test_32_characters_after_trimming_are_accepted(alice_client):
    name = "y" * 32
    assert _create(alice_client, tags=[f"  {name} "])["tags"] == [name]


@pytest.mark.django_db
def test_put_and_patch_with_tags_replace_them_and_without_keep_them(alice_client):
    record = _create(alice_client, tags=["a", "b"])
    url = f"{EXPENSES}{record['id']}/"

    patched = alice_client.patch(url, {"description": "x"}, format="json").json()
    assert patched["tags"] == ["a", "b"]
    put = alice_client.put(url, {"amount": "5.00", "date": "2026-11-03"}, format="json").json()
    assert put["tags"] == ["a", "b"]

    patched = alice_client.patch(url, {"tags": ["c", "A"]}, format="json").json()
    assert patched["tags"] == ["a", "c"]  # "A" is the existing tag "a"
    put = alice_client.put(url, {"amount": "5.00", "tags": []}, format="json").json()
    assert put["tags"] == []
    assert EntryTag.objects.count() == 0


@pytest.mark.django_db
def test_a_tag_rename_shows_on_every_record(alice_client):
    record = _create(alice_client, tags=["trip"])
    other = _create(alice_client, INCOMES, tags=["trip"])
    tag = alice_client.get(TAGS).json()["results"][0]
    response = alice_client.patch(f"{TAGS}{tag['id']}/", {"name": "Trip 2026"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"id": tag["id"], "name": "Trip 2026", "records": 2}
    assert alice_client.get(f"{EXPENSES}{record['id']}/").json()["tags"] == ["Trip 2026"]
    assert alice_client.get(f"{INCOMES}{other['id']}/").json()["tags"] == ["Trip 2026"]


# The tag filter


@pytest.fixture(params=["probed", "joined"])
def tag_filter_path(request, monkeypatch):
    """The tag filter's two ways, which must answer the same: each record the other filters
    leave probed for its tags (at most TAG_PROBE_LIMIT of them), or a join on the tags' ids."""
    if request.param == "joined":
        monkeypatch.setattr(filters, "TAG_PROBE_LIMIT", 0)
    return request.param


@pytest.mark.django_db
@pytest.mark.usefixtures("tag_filter_path")
def test_the_tag_filter_selects_records_having_any_of_the_tags_and_totals_them(alice_client):
    a = _create(alice_client, amount="10.00", tags=["trip-lisbon", "food"])
    b = _create(alice_client, amount="2.50", tags=["Trip-Lisbon"])
    c = _create(alice_client, amount="7.25", tags=["shared"])
    _create(alice_client, amount="100.00")

    page = alice_client.get(EXPENSES, {"tag": "TRIP-LISBON"}).json()
    assert (page["count"], page["total_amount"]) == (2, "12.50")
    assert {r["id"] for r in page["results"]} == {a["id"], b["id"]}

    page = alice_client.get(EXPENSES, {"tag": ["trip-lisbon", "shared", "food"]}).json()
    assert (page["count"], page["total_amount"]) == (3, "19.75")
    assert {r["id"] for r in page["results"]} == {a["id"], b["id"], c["id"]}


@pytest.mark.django_db
@pytest.mark.usefixtures("tag_filter_path")
def test_an_unknown_tag_matches_nothing(alice_client):
    _create(alice_client, tags=["trip"])
    page = alice_client.get(EXPENSES, {"tag": "nope"}).json()
    assert (page["count"], page["total_amount"], page["results"]) == (0, "0.00", [])


@pytest.mark.django_db
@pytest.mark.usefixtures("tag_filter_path")
def test_bobs_tag_name_never_filters_alices_rows(alice_client, bob_client):
    _create(bob_client, tags=["trip"])
    _create(alice_client, tags=["other"])
    assert alice_client.get(EXPENSES, {"tag": "trip"}).json()["count"] == 0
    assert bob_client.get(EXPENSES, {"tag": "trip"}).json()["count"] == 1


@pytest.mark.django_db
def test_a_too_long_tag_parameter_is_400_naming_it(alice_client):
    assert_problem(alice_client.get(EXPENSES, {"tag": "x" * 33}), 400, errors=["tag"])


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"tag": ["a", "b"]}, {"month": "2026-11", "tag": "a"}])
def test_the_list_with_tags_keeps_its_query_budget(
    alice, alice_client, django_assert_max_num_queries, params, tag_filter_path
):
    budget = TAGGED_LIST_MAX_QUERIES[tag_filter_path] if "tag" in params else LIST_MAX_QUERIES
    _create(alice_client, tags=["a", "b", "c"])
    with django_assert_max_num_queries(budget) as few:
        assert alice_client.get(EXPENSES, params).status_code == 200
    for n in range(30):
        _create(alice_client, tags=["a", f"n{n}", "b"])
    with django_assert_max_num_queries(budget) as many:
        response = alice_client.get(EXPENSES, params)
    assert response.json()["count"] == 31
    assert all(len(r["tags"]) == 3 for r in response.json()["results"])
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("limit", [4, 5, 6])
def test_the_tag_filter_answers_the_same_on_either_side_of_the_probe_limit(
    alice_client, monkeypatch, limit
):
    """Five records of November left by the other filters: probed up to a limit of five,
    joined below it; the same page, count and total either way, other filters kept."""
    monkeypatch.setattr(filters, "TAG_PROBE_LIMIT", limit)
    tagged = [_create(alice_client, amount=f"{n}.25", tags=["trip"]) for n in (1, 2)]
    _create(alice_client, amount="3.00", tags=["other"])
    _create(alice_client, amount="4.00")
    _create(alice_client, amount="5.00", tags=["TRIP", "other"], description="hotel")
    _create(alice_client, amount="6.00", tags=["trip"], date="2026-10-31")

    page = alice_client.get(EXPENSES, {"month": "2026-11", "tag": "trip"}).json()
    assert (page["count"], page["total_amount"]) == (3, "8.50")
    assert [r["amount"] for r in page["results"]] == ["5.00", "2.25", "1.25"]
    assert {r["id"] for r in page["results"]} > {r["id"] for r in tagged}

    page = alice_client.get(EXPENSES, {"month": "2026-11", "tag": "trip", "search": "hot"}).json()
    assert (page["count"], page["total_amount"]) == (1, "5.00")


# /api/tags/


@pytest.mark.django_db
def test_the_tags_list_counts_records_and_is_ordered_by_name(alice_client, bob_client):
    _create(alice_client, tags=["beta", "Alpha"])
    _create(alice_client, INCOMES, tags=["beta"])
    _create(bob_client, tags=["beta", "zeta"])
    assert alice_client.post(TAGS, {"name": "gamma"}).status_code == 201

    body = alice_client.get(TAGS).json()
    names = [(t["name"], t["records"]) for t in body["results"]]
    assert names == [("Alpha", 1), ("beta", 2), ("gamma", 0)]
    assert body["count"] == 3
    assert set(body["results"][0]) == {"id", "name", "records"}


@pytest.mark.django_db
def test_the_tags_list_keeps_its_query_budget(alice_client, django_assert_max_num_queries):
    for n in range(20):
        _create(alice_client, tags=[f"t{n}", "common"])
    with django_assert_max_num_queries(4):
        body = alice_client.get(TAGS).json()
    assert body["count"] == 21
    assert body["results"][0] == {"id": body["results"][0]["id"], "name": "common", "records": 20}


@pytest.mark.django_db
def test_create_a_tag(alice, alice_client):
    response = alice_client.post(TAGS, {"name": "  Trip  "}, format="json")
    assert response.status_code == 201
    tag = Tag.objects.get()
    assert response.json() == {"id": tag.pk, "name": "Trip", "records": 0}
    assert (tag.user, tag.name_key) == (alice, "trip")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["TRIP", "trip", " Trip "])
def test_a_duplicate_tag_name_in_any_case_is_400(alice_client, name):
    assert alice_client.post(TAGS, {"name": "Trip"}).status_code == 201
    assert_problem(alice_client.post(TAGS, {"name": name}), 400, errors=["name"])


@pytest.mark.django_db
def test_bob_may_have_a_tag_of_alices_name(alice_client, bob_client):
    assert alice_client.post(TAGS, {"name": "Trip"}).status_code == 201
    assert bob_client.post(TAGS, {"name": "trip"}).status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["x" * 33, "a,b", "a;b", "", "  ", None, ["a"]])
def test_a_bad_tag_name_is_400_naming_it(alice_client, name):
    assert_problem(alice_client.post(TAGS, {"name": name}, format="json"), 400, errors=["name"])
    assert not Tag.objects.exists()


@pytest.mark.django_db
def test_renaming_to_another_tags_name_is_400_and_to_its_own_in_another_case_is_fine(alice_client):
    trip = alice_client.post(TAGS, {"name": "trip"}).json()
    alice_client.post(TAGS, {"name": "work"})
    url = f"{TAGS}{trip['id']}/"
    assert_problem(alice_client.patch(url, {"name": "WORK"}), 400, errors=["name"])
    assert alice_client.patch(url, {"name": "Trip"}).json()["name"] == "Trip"


@pytest.mark.django_db
def test_deleting_a_tag_removes_it_from_records_which_stay(alice_client):
    record = _create(alice_client, tags=["trip", "food"])
    trip = next(t for t in alice_client.get(TAGS).json()["results"] if t["name"] == "trip")
    assert alice_client.delete(f"{TAGS}{trip['id']}/").status_code == 204
    assert alice_client.get(f"{EXPENSES}{record['id']}/").json()["tags"] == ["food"]
    assert Entry.objects.count() == 1


@pytest.mark.django_db
def test_bob_gets_404_on_alices_tag(alice_client, bob_client):
    tag = alice_client.post(TAGS, {"name": "trip"}).json()
    url = f"{TAGS}{tag['id']}/"
    assert_problem(bob_client.patch(url, {"name": "mine"}), 404)
    assert_problem(bob_client.delete(url), 404)
    assert bob_client.get(TAGS).json()["count"] == 0
    assert Tag.objects.get().name == "trip"


@pytest.mark.django_db
def test_a_tag_create_replays_with_its_idempotency_key(alice_client):
    first = alice_client.post(TAGS, {"name": "trip"}, HTTP_IDEMPOTENCY_KEY="t-1")
    again = alice_client.post(TAGS, {"name": "trip"}, HTTP_IDEMPOTENCY_KEY="t-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Tag.objects.count() == 1


# external_id


@pytest.mark.django_db
def test_external_id_is_stored_exactly_and_filters_exactly(alice_client):
    record = _create(alice_client, external_id="BANK-0042")
    assert record["external_id"] == "BANK-0042"
    assert _create(alice_client, external_id="bank-0042")["external_id"] == "bank-0042"
    page = alice_client.get(EXPENSES, {"external_id": "BANK-0042"}).json()
    assert [r["id"] for r in page["results"]] == [record["id"]]


@pytest.mark.django_db
def test_external_id_is_unique_per_user_and_kind(alice_client, bob_client):
    _create(alice_client, external_id="X-1")
    response = alice_client.post(EXPENSES, {"amount": "1.00", "external_id": "X-1"}, format="json")
    assert_problem(response, 400, errors=["external_id"])
    assert _create(alice_client, INCOMES, external_id="X-1")["external_id"] == "X-1"
    assert _create(bob_client, external_id="X-1")["external_id"] == "X-1"


@pytest.mark.django_db
def test_an_empty_external_id_is_null_and_never_clashes(alice_client):
    assert _create(alice_client, external_id="")["external_id"] is None
    assert _create(alice_client, external_id="")["external_id"] is None
    assert _create(alice_client, external_id=None)["external_id"] is None


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["x" * 101, "tab\there", "new\nline", "\u200bzero"])
def test_a_bad_external_id_is_400_naming_it(alice_client, value):
    response = alice_client.post(EXPENSES, {"amount": "1.00", "external_id": value}, format="json")
    assert_problem(response, 400, errors=["external_id"])


@pytest.mark.django_db
def test_put_without_external_id_keeps_it_and_null_clears_it(alice_client):
    record = _create(alice_client, external_id="X-9")
    url = f"{EXPENSES}{record['id']}/"
    put = alice_client.put(url, {"amount": "3.00"}, format="json").json()
    assert put["external_id"] == "X-9"
    assert (
        alice_client.patch(url, {"external_id": None}, format="json").json()["external_id"] is None
    )


@pytest.mark.django_db
def test_an_update_to_a_taken_external_id_is_400(alice_client):
    _create(alice_client, external_id="A")
    record = _create(alice_client, external_id="B")
    url = f"{EXPENSES}{record['id']}/"
    assert_problem(
        alice_client.patch(url, {"external_id": "A"}, format="json"), 400, errors=["external_id"]
    )
    assert alice_client.patch(url, {"external_id": "B"}, format="json").status_code == 200


@pytest.mark.django_db
def test_provenance_fields_are_read_only(alice_client):
    record = _create(alice_client, recurring_id=5, import_id=6)
    assert (record["recurring_id"], record["import_id"]) == (None, None)
    assert Entry.objects.get().recurring_id is None


@pytest.mark.django_db
@pytest.mark.usefixtures("tag_filter_path")
def test_amounts_of_tagged_records_are_exact(alice_client):
    for cents in range(1, 40):
        _create(alice_client, amount=f"{Decimal(cents) * Decimal('0.07'):.2f}", tags=["t"])
    expected = sum((Decimal(c) * Decimal("0.07") for c in range(1, 40)), Decimal("0.00"))
    assert alice_client.get(EXPENSES, {"tag": "t"}).json()["total_amount"] == f"{expected:.2f}"
