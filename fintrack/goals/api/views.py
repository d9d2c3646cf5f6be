"""Views of the goals API: goals, and the contributions nested under each goal."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from fintrack.core.api.request import AuthenticatedRequest
from fintrack.core.api.schema import examples
from fintrack.core.scoping import OwnerScopedViewMixin
from fintrack.idempotency.decorators import idempotent

from .. import services
from ..models import Contribution, Goal
from ..selectors import goals_with_saved_amount
from .serializers import ContributionSerializer, GoalSerializer


class GoalViewSet(OwnerScopedViewMixin, viewsets.ModelViewSet):
    """The caller's savings goals."""

    request: AuthenticatedRequest
    model = Goal
    schema_nouns = ("goal", "goals")
    schema_descriptions = {
        "list": "Your savings goals, with their progress: `saved_amount` (the sum of the "
        "goal's contributions), `remaining_amount`, `progress_percent`, `is_achieved`, and "
        "`monthly_required` (what to save each month to reach the target by `target_date`; "
        "null without a date or once achieved).",
        "create": "Create a savings goal: a name (unique, any case), a `target_amount`, and "
        "an optional `target_date`. Add money to it with its contributions.",
        "retrieve": "One of your goals, by id, with its progress.",
        "update": "Replace a goal: `name` and `target_amount` are required.",
        "partial_update": "Change only the fields you send of a goal.",
        "destroy": "Delete a goal and all its contributions.",
    }
    schema_examples = examples(
        request={"name": "New laptop", "target_amount": "1500.00", "target_date": "2027-06-30"},
        response={
            "id": 3,
            "name": "New laptop",
            "target_amount": "1500.00",
            "target_date": "2027-06-30",
            "saved_amount": "450.00",
            "remaining_amount": "1050.00",
            "progress_percent": "30.00",
            "is_achieved": False,
            "monthly_required": "150.00",
            "created_at": "2026-11-02T08:15:00.000000Z",
            "updated_at": "2026-11-02T08:15:00.000000Z",
        },
    )
    serializer_class = GoalSerializer

    def refine_queryset(self, queryset: QuerySet[Goal]) -> QuerySet[Goal]:
        return goals_with_saved_amount(queryset)

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: BaseSerializer[Goal]) -> None:
        goal = services.goal_create(user=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=goal.pk)

    def perform_update(self, serializer: BaseSerializer[Goal]) -> None:
        # UpdateModelMixin.update built the serializer on get_object(): there is an instance.
        assert serializer.instance is not None
        goal = services.goal_update(goal=serializer.instance, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=goal.pk)

    def perform_destroy(self, instance: Goal) -> None:
        services.goal_delete(goal=instance)


_GOAL_ID = OpenApiParameter("goal_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(parameters=[_GOAL_ID]),
    create=extend_schema(parameters=[_GOAL_ID]),
    retrieve=extend_schema(parameters=[_GOAL_ID]),
    destroy=extend_schema(parameters=[_GOAL_ID]),
)
class ContributionViewSet(
    OwnerScopedViewMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Deposits and withdrawals of one of the caller's goals."""

    request: AuthenticatedRequest
    model = Contribution
    schema_nouns = ("contribution", "contributions")
    schema_summaries = {
        "list": "List the contributions to a goal",
        "create": "Deposit to a goal or withdraw from it",
    }
    schema_descriptions = {
        "list": "The deposits and withdrawals of one of your goals, newest first.",
        "create": "Add money to a goal (a positive `amount`) or take some out (a negative "
        "one); never zero, and a withdrawal cannot take the saved amount below zero. `date` "
        "defaults to today (UTC).",
        "retrieve": "One contribution of one of your goals.",
        "destroy": "Delete a contribution; one whose removal would take the saved amount "
        "below zero answers 409.",
    }
    schema_examples = examples(
        request={"amount": "150.00", "date": "2026-11-14", "note": "November savings"},
        response={"id": 12, "amount": "150.00", "date": "2026-11-14", "note": "November savings"},
    )
    serializer_class = ContributionSerializer
    problem_statuses = {"delete": ["409"]}
    problem_examples = {"409": "Removing this contribution would take the saved amount below zero."}

    def goal(self) -> Goal:
        """The goal in the URL, if it is the caller's; a 404 otherwise, whatever the method."""
        return get_object_or_404(
            Goal.objects.for_user(self.request.user), pk=self.kwargs["goal_pk"]
        )

    def refine_queryset(self, queryset: QuerySet[Contribution]) -> QuerySet[Contribution]:
        return queryset.filter(goal_id=self.kwargs["goal_pk"])

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.goal()
        return super().list(request, *args, **kwargs)

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.goal()  # 404 first: a stranger's goal must not answer 400 to a bad body
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: BaseSerializer[Contribution]) -> None:
        fields = {"date": timezone.now().date(), **serializer.validated_data}
        serializer.instance = services.goal_contribute(goal=self.goal(), **fields)

    def perform_destroy(self, instance: Contribution) -> None:
        services.contribution_delete(contribution=instance)
