"""Query parameters of the income and expense lists (and of the category list)."""

import re
from decimal import Decimal
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django_filters import fields as django_filters_fields
from drf_spectacular.utils import extend_schema_field

from fintrack.core.fields import DATE_TEXT
from fintrack.core.names import fold_name
from fintrack.core.periods import MONTH_PATTERN, MonthField

from .models import (
    CATEGORY_NAME_MAX_LENGTH,
    EXTERNAL_ID_MAX_LENGTH,
    TAG_NAME_MAX_LENGTH,
    Category,
    Entry,
    EntryTag,
    Kind,
    Tag,
)


class _NamesField(forms.Field):
    """A repeatable string parameter (`category=a&category=b`), each value checked alone; an
    empty value is no filter, as for every other parameter."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *args: Any, max_length: int = CATEGORY_NAME_MAX_LENGTH, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.max_length = max_length

    def to_python(self, value: Any) -> list[str]:
        names = []
        for raw in value or []:
            name = forms.CharField(max_length=self.max_length, required=False).clean(raw)
            if name:
                names.append(name)
        return names


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class NamesFilter(filters.Filter):
    field_class = _NamesField


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2026-11"})
class MonthFilter(filters.Filter):
    field_class = MonthField

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(date__range=(value.start, value.end))


# An amount bound as the schema states it and the filter reads it: 0 or more, up to ten whole
# digits and two decimals ("42.10", "42.1", "42"). Nothing else: no sign, exponent or spaces.
AMOUNT_BOUND_PATTERN = r"^\d{1,10}(?:\.\d{1,2})?$"
_AMOUNT_BOUND = re.compile(AMOUNT_BOUND_PATTERN, re.ASCII)


class _AmountBoundField(forms.CharField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["strip"] = False
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        if not _AMOUNT_BOUND.match(text):
            whole = text.split(".", 1)[0]
            if whole.isascii() and whole.isdigit() and len(whole) > 10:
                raise forms.ValidationError(
                    "An amount has at most 10 digits before the decimal point.", code="invalid"
                )
            raise forms.ValidationError(
                "Enter an amount such as 42.10: digits, and at most two decimal places.",
                code="invalid",
            )
        return Decimal(text)


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": AMOUNT_BOUND_PATTERN, "example": "42.10"}
)
class AmountFilter(filters.Filter):
    """An amount bound, typed as the schema says: a decimal string, never finer than a cent."""

    field_class = _AmountBoundField


class _OrderingKeysField(django_filters_fields.BaseCSVField):
    """The comma-separated keys of `ordering`, none of them empty (`amount,` is a mistake, not
    an order by nothing); an empty parameter as a whole is still no ordering."""

    def clean(self, value: Any) -> Any:
        if value and any(not key for key in value):
            raise forms.ValidationError("Give each ordering key between commas; one is empty.")
        return super().clean(value)


class _IsoDateFormField(forms.DateField):
    """YYYY-MM-DD only, as bodies take a date (fintrack.core.fields.DateField): Django's own
    reads "2026-1-1" too."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip() and not DATE_TEXT.fullmatch(value.strip()):
            raise forms.ValidationError("Enter a date as YYYY-MM-DD.", code="invalid")
        return super().to_python(value)


class IsoDateFilter(filters.DateFilter):
    field_class = _IsoDateFormField


class StableOrderingFilter(filters.OrderingFilter):
    """Comma-separated `ordering`, with the id as the last key so pages never overlap."""

    base_field_class = _OrderingKeysField

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if not value:
            return qs
        return qs.order_by(*self.get_ordering_value_list(value), "-id")

    def get_ordering_value_list(self, value: list[str]) -> list[str]:
        return [self.get_ordering_value(param) for param in value]


class FormCachingFilterSet(filters.FilterSet):
    """A FilterSet that builds its form class once per class, not on every request.

    django-filter makes a new form class, with a new form field for every filter, each time
    a FilterSet is instantiated: a tenth of a list request (docs/benchmarks.md). The fields
    depend on the filters' declarations only, and each form instance deep-copies them anyway.
    """

    def get_form_class(self) -> type[forms.Form]:
        cls = type(self)
        form_class = cls.__dict__.get("_cached_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            cls._cached_form_class = form_class
        return form_class


# The most records the tag filter probes one by one; past it, a semi-join does better (a month
# of 19,000 records: 32 ms probed, 16 ms joined, in make bench's database).
TAG_PROBE_LIMIT = 1_000


class EntryFilterForm(forms.Form):
    """Cross-parameter rules: a month or a range, not both; a range that runs forward."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if data.get("month") and (date_from or date_to):
            self.add_error("month", "Give either month or date_from/date_to, not both.")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_from", "date_from is after date_to.")
        return data


class EntryFilter(FormCachingFilterSet):
    date_from = IsoDateFilter(field_name="date", lookup_expr="gte")
    date_to = IsoDateFilter(field_name="date", lookup_expr="lte")
    month = MonthFilter(label="A whole calendar month, YYYY-MM.")
    category = NamesFilter(method="filter_category")
    min_amount = AmountFilter(field_name="amount", lookup_expr="gte")
    max_amount = AmountFilter(field_name="amount", lookup_expr="lte")
    search = filters.CharFilter(method="filter_search", max_length=255)
    external_id = filters.CharFilter(
        method="filter_external_id", max_length=EXTERNAL_ID_MAX_LENGTH, strip=False
    )
    # Last of the filters: filter_tag looks at the records every other filter left.
    tag = NamesFilter(method="filter_tag", max_length=TAG_NAME_MAX_LENGTH)
    ordering = StableOrderingFilter(
        fields=(
            ("date", "date"),
            ("amount", "amount"),
            # By the folded name: any case, the same order on SQLite and PostgreSQL (whatever
            # its collation), as categories, budgets and tags are listed.
            ("category__name_key", "category"),
            ("created_at", "created_at"),
        )
    )

    class Meta:
        model = Entry
        fields: list[str] = []
        form = EntryFilterForm

    def filter_category(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        keys = {fold_name(name) for name in value}
        # The category's owner is the entry's: redundant, but it lets PostgreSQL keep to this
        # user's categories instead of every user's of that name (half the time at 1,000,000
        # records; docs/benchmarks.md).
        return queryset.filter(category__name_key__in=keys, category__user=F("user"))

    def filter_tag(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        """Records carrying any of these tags of their owner's (a name no tag has: nothing)."""
        if not value:
            return queryset
        keys = {fold_name(n) for n in value}
        # PostgreSQL cannot see that a month of a long history may hold a few hundred records
        # (make bench: 300 in a month it estimates at 12,000), so it hashes all of a tag's
        # links, 75,000, to keep the month's tagged ones: 10 to 17 ms. When the other filters
        # leave at most TAG_PROBE_LIMIT records, ask each of them for its tags instead (one
        # index probe apiece, 0.4 ms for that month) and filter on the tagged ids.
        # A scalar subquery with LIMIT 1, not EXISTS: PostgreSQL may answer an EXISTS by
        # hashing every link of the tag, which is what this path is here to avoid.
        first_link = EntryTag.objects.filter(
            entry=OuterRef("pk"),
            tag__in=Tag.objects.for_user(self.request.user).filter(name_key__in=keys),
        ).values("tag_id")[:1]
        candidates = list(
            queryset.order_by()
            .annotate(first_tag=Subquery(first_link))
            .values_list("pk", "first_tag")[: TAG_PROBE_LIMIT + 1]
        )
        if len(candidates) <= TAG_PROBE_LIMIT:
            return queryset.filter(pk__in=[pk for pk, tag in candidates if tag is not None])
        # More records than that (a dense month, a whole history): the tags' ids first (a user
        # has a few dozen tags), then EXISTS per row on those ids. With the tag joined in the
        # subquery instead, PostgreSQL could not tell that this tag is on 80,000 records,
        # turned the EXISTS into a semi-join over all of them, and the month's tagged list took
        # 5.6 s at 1,000,000 records against 0.1 s at 10,000 (make bench).
        tag_ids = list(
            Tag.objects.for_user(self.request.user)
            .filter(name_key__in=keys)
            .values_list("pk", flat=True)
        )
        if not tag_ids:
            return queryset.none()
        tagged = EntryTag.objects.filter(entry=OuterRef("pk"), tag_id__in=tag_ids)
        return queryset.filter(Exists(tagged))

    def filter_external_id(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(external_id=value)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        # Not icontains, which ignores the case of A-Z only on SQLite: icontains_unicode is the
        # same SQL on PostgreSQL (its trigram indexes serve it) and ignores the case of every
        # letter on SQLite as PostgreSQL does (fintrack/core/search.py).
        # The matching categories first (a user has a few dozen), as a list of ids rather than
        # a join or subquery: each side of the OR can then use its own index (the trigram
        # index on descriptions, the entries' category index) in one bitmap OR.
        categories = Category.objects.for_user(self.request.user).filter(
            name__icontains_unicode=value
        )
        ids = list(categories.values_list("pk", flat=True))
        return queryset.filter(Q(description__icontains_unicode=value) | Q(category__in=ids))


class CategoryFilter(FormCachingFilterSet):
    kind = filters.ChoiceFilter(choices=Kind.choices)

    class Meta:
        model = Category
        fields = ["kind"]
