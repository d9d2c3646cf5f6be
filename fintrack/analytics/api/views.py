"""Views of the analytics API: the summary of a period and the monthly trends."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from .serializers import (
    SummaryQuerySerializer,
    SummarySerializer,
    TrendsQuerySerializer,
    TrendsSerializer,
)

ANALYTICS_TAG = ["analytics"]


class SummaryView(APIView):
    """Totals, savings rate, goal contributions and category breakdown of a period, with the
    previous period of the same length for comparison."""

    problem_statuses = {"get": ["400"]}

    @extend_schema(
        operation_id="summary",
        tags=ANALYTICS_TAG,
        parameters=[SummaryQuerySerializer],
        responses=SummarySerializer,
    )
    def get(self, request: Request) -> Response:
        query = SummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        summary = selectors.summary_for_period(user=request.user, **query.validated_data)
        current = summary.current
        body = {
            "current": current,
            "currency": request.user.currency,
            "total_income": current.total_income,
            "total_expenses": current.total_expenses,
            "net": current.net,
            "savings_rate": current.savings_rate,
            "goal_contributions": summary.goal_contributions,
            "income_by_category": summary.income_by_category,
            "expenses_by_category": summary.expenses_by_category,
            "previous": summary.previous,
        }
        return Response(SummarySerializer(body).data)


class TrendsView(APIView):
    """Income, expenses, net and savings rate per month, oldest first, empty months as zeros."""

    problem_statuses = {"get": ["400"]}

    @extend_schema(
        operation_id="summary_trends",
        tags=ANALYTICS_TAG,
        parameters=[TrendsQuerySerializer],
        responses=TrendsSerializer,
    )
    def get(self, request: Request) -> Response:
        query = TrendsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        months = selectors.monthly_trends(user=request.user, **query.validated_data)
        return Response(
            TrendsSerializer({"currency": request.user.currency, "months": months}).data
        )
