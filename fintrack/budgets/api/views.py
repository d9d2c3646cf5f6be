"""Views of the budgets API: CRUD, and the status of a month."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from fintrack.core.api.request import AuthenticatedRequest
from fintrack.core.api.schema import examples
from fintrack.core.scoping import OwnerScopedViewMixin
from fintrack.idempotency.decorators import idempotent

from .. import selectors, services
from ..models import Budget
from .serializers import BudgetSerializer, BudgetStatusQuerySerializer, BudgetStatusSerializer


def _fields(validated: dict[str, Any]) -> dict[str, Any]:
    """The serializer's fields as the services take them (the category by name)."""
    fields = dict(validated)
    if "category" in fields:
        fields["category"] = fields["category"]["name"]
    return fields


class BudgetViewSet(OwnerScopedViewMixin, viewsets.ModelViewSet):
    """The caller's budgets: a monthly cap on one expense category."""

    request: AuthenticatedRequest
    model = Budget
    schema_nouns = ("budget", "budgets")
    problem_statuses = {"get": ["400"]}  # a malformed `month` of the status
    schema_descriptions = {
        "list": "Your budgets, by category name, then first month.",
        "create": "Cap an expense category (by name, any case, created on first use) for "
        "every month from `start_month` to `end_month` (null: open-ended). Two budgets of one "
        "category may not overlap. With `rollover`, what is left of a month (or overspent) "
        "carries into the next.",
        "retrieve": "One of your budgets, by id.",
        "update": "Replace a budget; `end_month` and `rollover` left out take their defaults.",
        "partial_update": "Change only the fields you send of a budget.",
        "destroy": "Delete a budget (its category and records stay).",
    }
    schema_examples = examples(
        request={
            "category": "Groceries",
            "amount": "400.00",
            "start_month": "2026-01",
            "end_month": None,
            "rollover": True,
        },
        response={
            "id": 4,
            "category": "Groceries",
            "amount": "400.00",
            "start_month": "2026-01",
            "end_month": None,
            "rollover": True,
            "created_at": "2026-01-03T10:00:00.000000Z",
            "updated_at": "2026-01-03T10:00:00.000000Z",
        },
    )
    serializer_class = BudgetSerializer
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def refine_queryset(self, queryset: QuerySet[Budget]) -> QuerySet[Budget]:
        return selectors.budgets_of(user=self.request.user)

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        budget = services.budget_create(
            user=self.request.user, **_fields(serializer.validated_data)
        )
        return Response(self.get_serializer(budget).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        budget = self.get_object()
        partial = kwargs.get("partial", False)
        serializer = self.get_serializer(budget, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields = _fields(serializer.validated_data)
        if not partial:  # PUT replaces: what it leaves out takes its default
            fields.setdefault("end_month", None)
            fields.setdefault("rollover", False)
        clear_end_month = "end_month" in fields and fields["end_month"] is None
        budget = services.budget_update(budget=budget, clear_end_month=clear_end_month, **fields)
        return Response(self.get_serializer(budget).data)

    def perform_destroy(self, instance: Budget) -> None:
        services.budget_delete(budget=instance)

    @extend_schema(
        operation_id="budgets_status",
        parameters=[BudgetStatusQuerySerializer],
        responses={200: BudgetStatusSerializer},
        summary="Read how your budgets stand in a month",
        examples=examples(
            response={
                "month": "2026-11",
                "currency": "USD",
                "total_budgeted": "400.00",
                "total_available": "425.00",
                "total_spent": "310.20",
                "total_remaining": "114.80",
                "unbudgeted_spent": "120.00",
                "categories": [
                    {
                        "budget_id": 4,
                        "category": "Groceries",
                        "budgeted": "400.00",
                        "carried_over": "25.00",
                        "available": "425.00",
                        "spent": "310.20",
                        "remaining": "114.80",
                        "percent_used": "72.99",
                        "state": "ok",
                    }
                ],
            }
        ),
        description="Each budget active in the month with its carry, spending and state, the "
        "totals, and the month's expenses in categories without a budget.",
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="status",
        filter_backends=[],
        pagination_class=None,
    )
    def month_status(self, request: Request) -> Response:
        query = BudgetStatusQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        result = selectors.budget_status(user=self.request.user, **query.validated_data)
        body = {
            "month": f"{result.month.start.year:04d}-{result.month.start.month:02d}",
            "currency": self.request.user.currency,
            "total_budgeted": result.total_budgeted,
            "total_available": result.total_available,
            "total_spent": result.total_spent,
            "total_remaining": result.total_remaining,
            "unbudgeted_spent": result.unbudgeted_spent,
            "lines": result.lines,
        }
        return Response(BudgetStatusSerializer(body).data)
