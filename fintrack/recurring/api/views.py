"""Views of the recurring API: rules, and the forecast of their upcoming occurrences."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fintrack.core.api.request import AuthenticatedRequest
from fintrack.core.api.schema import examples
from fintrack.core.scoping import OwnerScopedViewMixin
from fintrack.idempotency.decorators import idempotent

from .. import selectors, services
from ..models import RecurringRule
from .serializers import (
    RecurringRuleInputSerializer,
    RecurringRuleSerializer,
    UpcomingQuerySerializer,
    UpcomingSerializer,
)

RECURRING_TAG = ["recurring"]

_RULE = {
    "kind": "expense",
    "amount": "950.00",
    "category": "Rent",
    "description": "Flat",
    "tags": [],
    "frequency": "monthly",
    "interval": 1,
    "start_date": "2026-01-31",
    "end_date": None,
    "active": True,
}


@extend_schema_view(
    list=extend_schema(tags=RECURRING_TAG),
    retrieve=extend_schema(tags=RECURRING_TAG),
    destroy=extend_schema(tags=RECURRING_TAG),
    create=extend_schema(
        tags=RECURRING_TAG,
        request=RecurringRuleInputSerializer,
        responses={201: RecurringRuleSerializer},
    ),
    update=extend_schema(
        tags=RECURRING_TAG, request=RecurringRuleInputSerializer, responses=RecurringRuleSerializer
    ),
    partial_update=extend_schema(
        tags=RECURRING_TAG, request=RecurringRuleInputSerializer, responses=RecurringRuleSerializer
    ),
)
class RecurringRuleViewSet(OwnerScopedViewMixin, viewsets.ModelViewSet):
    """The signed-in user's recurring rules, next to occur first. Deleting a rule keeps the
    records it created (their recurring_id becomes null)."""

    request: AuthenticatedRequest
    model = RecurringRule
    schema_nouns = ("recurring rule", "recurring rules")
    schema_descriptions = {
        "list": "Your recurring rules, the next to occur first (paused and ended ones last).",
        "create": "Create a rule: an income or an expense repeated every `interval` days, "
        "weeks, months or years from `start_date` (at most 366 days ago). Its occurrences up "
        "to today are created at once, and each later one on its day, by themselves: no "
        "scheduler. Monthly dates keep the start's day or fall on a shorter month's last day.",
        "retrieve": "One of your recurring rules, by id, with `next_date`.",
        "update": "Replace a rule. Only occurrences not yet created change; records already "
        "created stay as they are.",
        "partial_update": "Change only the fields you send of a rule; `active: false` pauses "
        "it, and reactivating skips what fell due while it was paused.",
        "destroy": "Delete a rule; the records it created stay, with `recurring_id` null.",
    }
    schema_examples = examples(
        request=_RULE,
        response={
            "id": 12,
            **_RULE,
            "next_date": "2026-12-31",
            "created_at": "2026-01-31T08:00:00.000000Z",
            "updated_at": "2026-01-31T08:00:00.000000Z",
        },
    )
    serializer_class = RecurringRuleSerializer
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def refine_queryset(self, queryset: QuerySet[RecurringRule]) -> QuerySet[RecurringRule]:
        return selectors.rules_ordered(queryset)

    def _answer(self, rule: RecurringRule, status_code: int = status.HTTP_200_OK) -> Response:
        rule = self.get_queryset().get(pk=rule.pk)
        return Response(RecurringRuleSerializer(rule).data, status=status_code)

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = RecurringRuleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rule = services.rule_create(user=self.request.user, **serializer.validated_data)
        return self._answer(rule, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rule = self.get_object()
        serializer = RecurringRuleInputSerializer(
            data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        rule = services.rule_update(rule=rule, **serializer.validated_data)
        return self._answer(rule)

    def perform_destroy(self, instance: RecurringRule) -> None:
        services.rule_delete(rule=instance)


class UpcomingView(APIView):
    """The occurrences of the next `days` days (after today, UTC), by date then rule, with
    their totals: a cash-flow forecast. Lists at most 1,000 (`truncated` says when there were
    more); the totals cover them all."""

    request: AuthenticatedRequest
    problem_statuses = {"get": ["400"]}

    @extend_schema(
        operation_id="recurring_upcoming",
        tags=RECURRING_TAG,
        summary="Forecast your recurring payments",
        examples=examples(
            response={
                "days": 30,
                "currency": "USD",
                "total_income": "2500.00",
                "total_expenses": "950.00",
                "net": "1550.00",
                "occurrences": [
                    {
                        "recurring_id": 12,
                        "date": "2026-12-31",
                        "kind": "expense",
                        "amount": "950.00",
                        "category": "Rent",
                        "description": "Flat",
                    }
                ],
                "truncated": False,
            }
        ),
        parameters=[UpcomingQuerySerializer],
        responses=UpcomingSerializer,
    )
    def get(self, request: Request) -> Response:
        query = UpcomingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        days = query.validated_data["days"]
        upcoming = selectors.upcoming_for(
            user=self.request.user, today=timezone.now().date(), days=days
        )
        body = {
            "days": days,
            "currency": self.request.user.currency,
            "total_income": upcoming.total_income,
            "total_expenses": upcoming.total_expenses,
            "net": upcoming.net,
            "occurrences": upcoming.occurrences,
            "truncated": upcoming.truncated,
        }
        return Response(UpcomingSerializer(body).data)
