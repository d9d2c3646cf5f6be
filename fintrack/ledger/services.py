"""Writes on the ledger: entries, categories and tags, resolved by name or managed directly."""

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import RestrictedError

from fintrack.accounts.models import User
from fintrack.core.errors import Conflict, Invalid, InvalidItems
from fintrack.core.names import InvalidName, fold_name, normalize_name
from fintrack.core.uniqueness import save_unique
from fintrack.sync.services import user_writes_lock

from .models import (
    DEFAULT_CATEGORY,
    EXTERNAL_ID_MAX_LENGTH,
    MAX_TAGS_PER_ENTRY,
    TAG_NAME_MAX_LENGTH,
    Category,
    Entry,
    EntryTag,
    Tag,
)


class Keep(enum.Enum):
    """The value of an optional field an update leaves as it is (where None means clear)."""

    KEEP = "keep"


KEEP = Keep.KEEP


class InvalidValue(ValueError):
    """A value breaks the rules; `messages` says how, for the client."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


def tag_name_clean(value: str) -> str:
    """A tag name as stored: normalized, 1 to 32 characters, no comma or semicolon;
    InvalidValue otherwise."""
    if not isinstance(value, str):
        raise InvalidValue(["A tag name is a string."])
    try:
        name = normalize_name(value)
    except InvalidName as exc:
        raise InvalidValue([str(exc)]) from exc
    if not name:
        raise InvalidValue(["A tag name cannot be blank."])
    if len(name) > TAG_NAME_MAX_LENGTH:
        raise InvalidValue([f"A tag name has at most {TAG_NAME_MAX_LENGTH} characters."])
    if "," in name or ";" in name:
        raise InvalidValue(["A tag name cannot contain a comma or a semicolon."])
    return name


def tag_names_clean(values: Iterable[str]) -> list[str]:
    """A record's tag list: each name cleaned, duplicates in any case counted once (the first
    spelling kept), at most MAX_TAGS_PER_ENTRY. InvalidValue with every message otherwise."""
    names: dict[str, str] = {}
    problems: list[str] = []
    for value in values:
        try:
            name = tag_name_clean(value)
        except InvalidValue as exc:
            # Named by its text (a person reads these, in the dashboard too), not its position.
            text = str(value)
            shown = text if len(text) <= 40 else f"{text[:40]}…"
            problems.extend(f'The tag "{shown}": {message}' for message in exc.messages)
            continue
        names.setdefault(fold_name(name), name)
    if len(names) > MAX_TAGS_PER_ENTRY:
        problems.append(f"A record has at most {MAX_TAGS_PER_ENTRY} tags.")
    if problems:
        raise InvalidValue(problems)
    return list(names.values())


def external_id_clean(value: str | None) -> str | None:
    """An external id as stored: None for none or an empty string, else 1 to 100 printable
    characters kept exactly as sent. InvalidValue otherwise."""
    if value is None or value == "":
        return None
    if len(value) > EXTERNAL_ID_MAX_LENGTH:
        raise InvalidValue([f"An external id has at most {EXTERNAL_ID_MAX_LENGTH} characters."])
    if not value.isprintable():
        raise InvalidValue(["An external id holds printable characters only."])
    return value


def tags_for_names(*, user: User, names: Iterable[str]) -> dict[str, Tag]:
    """The user's tags of these cleaned names by folded key, those missing created (a name
    seen twice in different case: the first spelling). Three queries at most, for any
    number of names."""
    wanted: dict[str, str] = {}
    for name in names:
        wanted.setdefault(fold_name(name), name)
    if not wanted:
        return {}
    user_writes_lock(user.pk)
    owned = Tag.objects.for_user(user)
    found = {tag.name_key: tag for tag in owned.filter(name_key__in=wanted)}
    missing = [Tag(user=user, name=wanted[key], name_key=key) for key in wanted if key not in found]
    if missing:
        # A concurrent request may create one of them first: keep its row, then read all.
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        found = {tag.name_key: tag for tag in owned.filter(name_key__in=wanted)}
    return found


def _duplicate_external_id() -> Invalid:
    return Invalid({"external_id": ["A record of this kind with this external id already exists."]})


def _save_entry(entry: Entry) -> None:
    """Save, turning a clash on the external id (a concurrent twin) into a 400."""
    if entry.external_id is not None:
        twins = Entry.objects.for_user(entry.user_id).filter(
            kind=entry.kind, external_id=entry.external_id
        )
        if twins.exclude(pk=entry.pk).exists():
            raise _duplicate_external_id()
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        if entry.external_id is None:
            raise
        raise _duplicate_external_id() from exc


def _tag_entry(entry: Entry, names: Sequence[str], *, replace: bool) -> None:
    if replace:
        EntryTag.objects.filter(entry=entry).delete()
    tags = tags_for_names(user=entry.user, names=names)
    EntryTag.objects.bulk_create(EntryTag(entry=entry, tag=tag) for tag in tags.values())


def category_for_name(*, user: User, kind: str, name: str) -> Category:
    """The user's category of this kind with this name in any case, created on first use.

    Matched by the folded key the unique constraint holds, so a look-alike spelling (the
    Kelvin sign for K) finds the existing category instead of colliding with it.
    """
    key = fold_name(name)
    user_writes_lock(user.pk)
    category, _ = Category.objects.get_or_create(
        user=user, kind=kind, name_key=key, defaults={"name": name}
    )
    return category


@transaction.atomic
def entry_create(
    *,
    user: User,
    kind: str,
    amount: Decimal,
    date: date,
    category: str = DEFAULT_CATEGORY,
    description: str = "",
    tags: Sequence[str] = (),
    external_id: str | None = None,
) -> Entry:
    """Create a record; `tags` are cleaned names (tag_names_clean), created on first use."""
    entry = Entry(
        user=user,
        kind=kind,
        amount=amount,
        date=date,
        category=category_for_name(user=user, kind=kind, name=category),
        description=description,
        external_id=external_id,
    )
    _save_entry(entry)
    if tags:
        _tag_entry(entry, tags, replace=False)
    return entry


@dataclass(frozen=True)
class EntryDraft:
    """One record of a bulk create, its fields validated (tags cleaned: tag_names_clean)."""

    amount: Decimal
    date: date
    category: str = DEFAULT_CATEGORY
    description: str = ""
    tags: Sequence[str] = field(default_factory=tuple)
    external_id: str | None = None


def categories_for_names(*, user: User, kind: str, names: Iterable[str]) -> dict[str, Category]:
    """The user's categories of this kind for each of these names, matched by folded key as
    category_for_name matches, those missing created with the first spelling asked. Three
    queries at most, for any number of names."""
    wanted = list(dict.fromkeys(names))
    if not wanted:
        return {}
    user_writes_lock(user.pk)
    spelling_of_key: dict[str, str] = {}
    for name in wanted:
        spelling_of_key.setdefault(fold_name(name), name)
    of_kind = Category.objects.for_user(user).filter(kind=kind)
    found = {c.name_key: c for c in of_kind.filter(name_key__in=spelling_of_key)}
    missing = [
        Category(user=user, kind=kind, name=name)
        for key, name in spelling_of_key.items()
        if key not in found
    ]
    if missing:
        # ignore_conflicts: a concurrent request may create one first; its row is then used.
        Category.objects.bulk_create(missing, ignore_conflicts=True)
        found = {c.name_key: c for c in of_kind.filter(name_key__in=spelling_of_key)}
    return {name: found[fold_name(name)] for name in wanted}


@transaction.atomic
def entry_bulk_create(
    *, user: User, kind: str, drafts: Sequence[EntryDraft]
) -> list[tuple[Entry, list[str]]]:
    """Create every record or none, each returned with its stored tag names (sorted as records
    list them), in a number of queries that does not grow with them
    (the inserts batched by bulk_create; categories and tags resolved in bulk). A clash of
    external ids, within the request or with a stored record: InvalidItems by position.

    The per-day totals follow through the ledger's triggers (per row on SQLite, per statement
    on PostgreSQL): a multi-row INSERT is counted like single ones."""
    clashes: dict[int, dict[str, list[str]]] = {}
    positions: dict[str, int] = {}
    for position, draft in enumerate(drafts):
        if draft.external_id is None:
            continue
        if draft.external_id in positions:
            clashes[position] = {
                "external_id": ["An earlier record of this request has this external id."]
            }
        else:
            positions[draft.external_id] = position
    if positions:
        taken = Entry.objects.for_user(user).filter(kind=kind, external_id__in=list(positions))
        for external_id in taken.values_list("external_id", flat=True):
            if external_id is not None:
                clashes[positions[external_id]] = _duplicate_external_id().errors
    if clashes:
        raise InvalidItems("records", clashes)

    categories = categories_for_names(
        user=user, kind=kind, names=(draft.category for draft in drafts)
    )
    tags = tags_for_names(user=user, names=(name for draft in drafts for name in draft.tags))
    entries = [
        Entry(
            user=user,
            kind=kind,
            amount=draft.amount,
            date=draft.date,
            category=categories[draft.category],
            description=draft.description,
            external_id=draft.external_id,
        )
        for draft in drafts
    ]
    try:
        with transaction.atomic():
            Entry.objects.bulk_create(entries)
    except IntegrityError as exc:  # a concurrent request took one of the external ids
        raise Invalid(
            {
                "external_id": [
                    "A record of this kind with one of these external ids "
                    "was created meanwhile; retry."
                ]
            }
        ) from exc
    EntryTag.objects.bulk_create(
        EntryTag(entry=entry, tag=tags[fold_name(name)])
        for entry, draft in zip(entries, drafts, strict=True)
        for name in draft.tags
    )
    created = []
    for entry, draft in zip(entries, drafts, strict=True):
        stored = sorted((tags[fold_name(name)] for name in draft.tags), key=_tag_order)
        created.append((entry, [tag.name for tag in stored]))
    return created


def _tag_order(tag: Tag) -> tuple[str, str]:
    """How a record lists its tags: case-insensitively (by folded key), then exactly."""
    return (tag.name_key, tag.name)


@transaction.atomic
def entry_update(
    *,
    entry: Entry,
    amount: Decimal | None = None,
    date: date | None = None,
    category: str | None = None,
    description: str | None = None,
    tags: Sequence[str] | None = None,
    external_id: str | None | Keep = KEEP,
) -> Entry:
    """Change the given fields; those left None (KEEP for the external id, which None clears)
    keep their value. `tags` replaces the whole list."""
    if amount is not None:
        entry.amount = amount
    if date is not None:
        entry.date = date
    if category is not None:
        entry.category = category_for_name(user=entry.user, kind=entry.kind, name=category)
    if description is not None:
        entry.description = description
    if not isinstance(external_id, Keep):
        entry.external_id = external_id
    _save_entry(entry)
    if tags is not None:
        _tag_entry(entry, tags, replace=True)
    return entry


@transaction.atomic
def entry_delete(*, entry: Entry) -> None:
    """Delete a record; the per-day totals follow by trigger."""
    entry.delete()


_DUPLICATE_NAME = "A category of this kind with this name already exists."


@transaction.atomic
def category_create(*, user: User, kind: str, name: str) -> Category:
    return save_unique(
        lambda: Category.objects.create(user=user, kind=kind, name=name),
        field="name",
        message=_DUPLICATE_NAME,
        clash=Category.objects.for_user(user).filter(kind=kind, name_key=fold_name(name)),
    )


def _lock_and_check_still_there(named: Category | Tag) -> None:
    """Take the user's write lock (fintrack.sync.services.user_writes_lock), then make sure the
    category or tag was not deleted by a request that held it first: DoesNotExist, a 404."""
    user_writes_lock(named.user_id)
    if not type(named).objects.filter(pk=named.pk).exists():
        raise type(named).DoesNotExist


@transaction.atomic
def category_rename(*, category: Category, name: str) -> Category:
    """Rename; every entry shows the new name at once, since entries point at the category."""
    _lock_and_check_still_there(category)
    siblings = Category.objects.for_user(category.user_id).filter(kind=category.kind)
    category.name = name
    save_unique(
        lambda: category.save(update_fields=["name", "name_key"]),
        field="name",
        message=_DUPLICATE_NAME,
        clash=siblings.filter(name_key=fold_name(name)).exclude(pk=category.pk),
    )
    return category


@transaction.atomic
def category_delete(*, category: Category) -> None:
    _lock_and_check_still_there(category)
    try:
        category.delete()
    except RestrictedError as exc:
        raise Conflict(
            "The category is used by records, budgets or recurring rules; "
            "move or delete them first."
        ) from exc


_DUPLICATE_TAG = "A tag with this name already exists."


@transaction.atomic
def tag_create(*, user: User, name: str) -> Tag:
    """Create a tag of a cleaned name (tag_name_clean); 400 when one has it in any case."""
    key = fold_name(name)
    return save_unique(
        lambda: Tag.objects.create(user=user, name=name, name_key=key),
        field="name",
        message=_DUPLICATE_TAG,
        clash=Tag.objects.for_user(user).filter(name_key=key),
    )


@transaction.atomic
def tag_rename(*, tag: Tag, name: str) -> Tag:
    """Rename; every record carrying the tag shows the new name at once."""
    _lock_and_check_still_there(tag)
    key = fold_name(name)
    tag.name, tag.name_key = name, key
    save_unique(
        lambda: tag.save(update_fields=["name", "name_key"]),
        field="name",
        message=_DUPLICATE_TAG,
        clash=Tag.objects.for_user(tag.user_id).exclude(pk=tag.pk).filter(name_key=key),
    )
    return tag


@transaction.atomic
def tag_delete(*, tag: Tag) -> None:
    """Delete the tag; it leaves every record carrying it, the records stay."""
    _lock_and_check_still_there(tag)
    tag.delete()


@transaction.atomic
def entry_bulk_insert(
    *, entries: Sequence[Entry], tags: Sequence[Sequence[Tag]] | None = None
) -> list[Entry]:
    """Insert ready-made records (their category and tags already resolved, as the recurring
    catch-up has them) set-based: one INSERT for the records and one for their tags on
    PostgreSQL, however many (Django splits them on SQLite, at its bound-parameter limit).
    `tags[i]` are the tags of `entries[i]`. The per-day totals follow through the triggers."""
    if not entries:
        return []
    created = Entry.objects.bulk_create(entries)
    if tags is not None:
        EntryTag.objects.bulk_create(
            EntryTag(entry=entry, tag=tag)
            for entry, entry_tags in zip(created, tags, strict=True)
            for tag in entry_tags
        )
    return created
