"""Query parameters of the income and expense lists (and of the category list)."""

from functools import reduce
from operator import or_
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import F, Q, QuerySet
from drf_spectacular.utils import extend_schema_field

from fintrack.core.periods import MONTH_PATTERN, MonthField

from .models import CATEGORY_NAME_MAX_LENGTH, Category, Entry, Kind


class _NamesField(forms.Field):
    """A repeatable string parameter (`category=a&category=b`), each value checked alone; an
    empty value is no filter, as for every other parameter."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        names = []
        for raw in value or []:
            name = forms.CharField(max_length=CATEGORY_NAME_MAX_LENGTH, required=False).clean(raw)
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


class AmountFilter(filters.NumberFilter):
    """An amount bound: at most two decimals (an amount is never finer than a cent)."""

    field_class = forms.DecimalField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class StableOrderingFilter(filters.OrderingFilter):
    """Comma-separated `ordering`, with the id as the last key so pages never overlap."""

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


class EntryFilterForm(forms.Form):
    """Cross-parameter rules: a month or a range, not both; a range that runs forward."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if data.get("month") and (date_from or date_to):
            self.add_error("month", "Give either month or date_from/date_to, not both.")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_from", "date_from is after date_to.")
        return data


class EntryFilter(FormCachingFilterSet):
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")
    month = MonthFilter(label="A whole calendar month, YYYY-MM.")
    category = NamesFilter(method="filter_category")
    min_amount = AmountFilter(field_name="amount", lookup_expr="gte")
    max_amount = AmountFilter(field_name="amount", lookup_expr="lte")
    search = filters.CharFilter(method="filter_search", max_length=255)
    ordering = StableOrderingFilter(
        fields=(
            ("date", "date"),
            ("amount", "amount"),
            ("category__name", "category"),
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
        names = reduce(or_, (Q(category__name__iexact=n) for n in value))
        # The category's owner is the entry's: redundant, but it lets PostgreSQL keep to this
        # user's categories instead of every user's of that name (half the time at 1,000,000
        # records; docs/benchmarks.md).
        return queryset.filter(names, category__user=F("user"))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(Q(description__icontains=value) | Q(category__name__icontains=value))


class CategoryFilter(FormCachingFilterSet):
    kind = filters.ChoiceFilter(choices=Kind.choices)

    class Meta:
        model = Category
        fields = ["kind"]
