"""User-typed names (categories, goals, tags, usernames): one normalization, one folding.

Python's `lower()` and the databases' case-insensitive matching disagree beyond ASCII (the
Kelvin sign, dotted and dotless i, the long s), and SQLite's LOWER() folds ASCII only. So a
name is compared by a key computed here, in Python, and stored beside it: both databases then
match and enforce uniqueness on exactly the same string.
"""

import unicodedata

# Refused anywhere in a name: C0/C1 controls (newline, ESC...), and the format characters that
# reorder or hide text (bidirectional overrides and isolates, zero-width spaces and joiners).
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


class InvalidName(ValueError):
    """The name holds a character a name may not have."""


# Except the joiners inside a name: the zero-width joiner builds emoji sequences (a family, a
# flag) and the non-joiner is part of Persian spelling. At either end they only hide text.
_JOINERS = {"\u200c", "\u200d"}


def normalize_name(value: str) -> str:
    """The name as stored: Unicode NFC, outer white space trimmed; controls refused."""
    name = unicodedata.normalize("NFC", value).strip()
    last = len(name) - 1
    for index, char in enumerate(name):
        if unicodedata.category(char) in _FORBIDDEN_CATEGORIES and not (
            char in _JOINERS and 0 < index < last
        ):
            raise InvalidName(f"Names cannot contain the character U+{ord(char):04X}.")
    return name


def fold_name(value: str) -> str:
    """The key two names are compared by: equal keys mean the same name in any case.

    NFKC after case folding, so that compatibility forms (the Kelvin sign, the long s, the
    fullwidth letters) meet their plain letters, as the Unicode standard's caseless matching
    of identifiers does (toNFKC_Casefold).
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFC", value).casefold()).casefold()
