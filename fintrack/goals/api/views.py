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

from fintrack.core.scoping import OwnerScopedViewMixin
from fintrack.idempotency.decorators import idempotent

from .. import services
from ..models import Contribution, Goal
from ..selectors import goals_with_saved_amount
from .serializers import ContributionSerializer, GoalSerializer


class GoalViewSet(OwnerScopedViewMixin, viewsets.ModelViewSet):
    """The signed-in user's savings goals; deleting one deletes its contributions."""

    model = Goal
    serializer_class = GoalSerializer

    def refine_queryset(self, queryset: QuerySet[Goal]) -> QuerySet[Goal]:
        return goals_with_saved_amount(queryset)

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: GoalSerializer) -> None:
        goal = services.goal_create(user=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=goal.pk)

    def perform_update(self, serializer: GoalSerializer) -> None:
        goal = services.goal_update(goal=serializer.instance, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=goal.pk)


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
    """Deposits and withdrawals of one of the signed-in user's goals."""

    model = Contribution
    serializer_class = ContributionSerializer
    problem_statuses = {"delete": ["409"]}

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

    def perform_create(self, serializer: ContributionSerializer) -> None:
        fields = {"date": timezone.now().date(), **serializer.validated_data}
        serializer.instance = services.goal_contribute(goal=self.goal(), **fields)

    def perform_destroy(self, instance: Contribution) -> None:
        services.contribution_delete(contribution=instance)
