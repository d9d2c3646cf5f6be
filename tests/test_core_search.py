"""fintrack.core.search: the letters SQLite's search folds are the ones PostgreSQL's upper() does.

The search's API cases are in tests/entry_cases.py (SearchCases); these check the premises
the SQLite side rests on, over every code point rather than a few examples.
"""

import itertools
import sqlite3
import sys

import pytest
from django.db import connection

from fintrack.core.search import SHARED_ASCII_CAPITALS, like_candidates, upper_simple

CODE_POINTS = [chr(i) for i in range(1, sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF]


@pytest.mark.parametrize(
    ("value", "upper"),
    [
        ("Déjeuner à Zürich", "DÉJEUNER À ZÜRICH"),
        ("καφές καφέσ", "ΚΑΦΈΣ ΚΑΦΈΣ"),
        ("œufs, продукты", "ŒUFS, ПРОДУКТЫ"),
        ("Straße", "STRAßE"),  # no one-letter capital: itself, as on PostgreSQL
        ("ﬁne ŉ", "ﬁNE ŉ"),
        ("ᾳ", "ᾼ"),  # the simple mapping's titlecase capital, not ΑΙ
        ("ıſ", "IS"),
        ("50%_\\", "50%_\\"),
    ],
)
def test_upper_simple_maps_each_letter_to_one(value, upper):
    assert upper_simple(value) == upper
    assert len(upper_simple(value)) == len(value)


@pytest.mark.django_db
def test_upper_simple_is_postgresqls_upper_on_every_code_point():
    """The premise of searching alike on both databases (PostgreSQL under a UTF-8 locale)."""
    if connection.vendor != "postgresql":
        pytest.skip("compares with PostgreSQL's upper()")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT chr(i), upper(chr(i)) FROM generate_series(1, %s) AS i "
            "WHERE i NOT BETWEEN 55296 AND 57343 AND upper(chr(i)) <> chr(i)",
            [sys.maxunicode],
        )
        postgresql = dict(cursor.fetchall())

    python = {c: upper_simple(c) for c in CODE_POINTS if upper_simple(c) != c}

    assert len(python) > 1000  # every cased script, not A-Z only
    assert python == postgresql


def test_only_the_dotless_i_and_the_long_s_have_an_ascii_capital():
    """like_candidates() keeps an ASCII letter only when no other letter has its capital."""
    shared = {
        c: upper_simple(c) for c in CODE_POINTS if not c.isascii() and upper_simple(c).isascii()
    }

    assert shared == {"ı": "I", "ſ": "S"}
    assert set(shared.values()) == SHARED_ASCII_CAPITALS


def test_like_candidates_let_every_match_through():
    """The LIKE first pass never drops a text that contains the term in any case."""
    alphabet = "aAıIiİſsSßÉé%_\\"
    texts = ["".join(t) for n in range(4) for t in itertools.product(alphabet, repeat=n)]
    terms = ["".join(t) for n in (1, 2) for t in itertools.product(alphabet, repeat=n)]
    db = sqlite3.connect(":memory:")
    db.create_function("UPPER_SIMPLE", 1, upper_simple, deterministic=True)
    db.execute("CREATE TABLE texts (text TEXT)")
    db.execute("CREATE TABLE terms (term TEXT, pattern TEXT)")
    db.executemany("INSERT INTO texts VALUES (?)", [(t,) for t in texts])
    db.executemany("INSERT INTO terms VALUES (?, ?)", [(t, like_candidates(t)) for t in terms])

    matches, dropped = db.execute(
        "SELECT count(*), count(*) FILTER (WHERE NOT text LIKE pattern ESCAPE '\\') "
        "FROM texts, terms WHERE instr(UPPER_SIMPLE(text), UPPER_SIMPLE(term)) > 0"
    ).fetchone()

    assert matches > len(texts)
    assert dropped == 0
