"""Views of the analytics API: the summary of a period and the monthly trends."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from fintrack.core.api.request import AuthenticatedRequest
from fintrack.core.api.schema import examples

from .. import selectors
from .serializers import (
    SummaryQuerySerializer,
    SummarySerializer,
    TrendsQuerySerializer,
    TrendsSerializer,
)

ANALYTICS_TAG = ["analytics"]
_SUMMARY = {
    "period": {"start": "2026-11-01", "end": "2026-11-30"},
    "currency": "USD",
    "total_income": "2800.50",
    "total_expenses": "1242.10",
    "net": "1558.40",
    "savings_rate": "55.65",
    "goal_contributions": "450.00",
    "income_by_category": [
        {"category": "Salary", "total": "2500.00", "count": 1, "percent": "89.27"},
        {"category": "Freelance", "total": "300.50", "count": 1, "percent": "10.73"},
    ],
    "expenses_by_category": [
        {"category": "Rent", "total": "1200.00", "count": 1, "percent": "96.61"},
        {"category": "Groceries", "total": "42.10", "count": 1, "percent": "3.39"},
    ],
    "previous_period": {
        "start": "2026-10-01",
        "end": "2026-10-31",
        "total_income": "2500.00",
        "total_expenses": "1630.25",
        "net": "869.75",
    },
}
_TRENDS = {
    "currency": "USD",
    "months": [
        {
            "month": "2026-10",
            "total_income": "2500.00",
            "total_expenses": "1630.25",
            "net": "869.75",
            "savings_rate": "34.79",
        },
        {
            "month": "2026-11",
            "total_income": "2800.50",
            "total_expenses": "1242.10",
            "net": "1558.40",
            "savings_rate": "55.65",
        },
    ],
}


class SummaryView(APIView):
    """Your totals of a period: income, expenses, net, savings rate (net as a percentage of
    income; null without income), goal contributions, and the totals by category, largest
    first, with the previous period of the same length for comparison. Ask for a month
    (`?month=2026-11`) or a range (`?date_from=2026-11-01&date_to=2026-11-15`); neither is
    the current month (UTC). Amounts are in your profile's currency."""

    problem_statuses = {"get": ["400"]}

    @extend_schema(
        operation_id="summary",
        tags=ANALYTICS_TAG,
        summary="Summarize a month or a range of dates",
        examples=examples(response=_SUMMARY),
        parameters=[SummaryQuerySerializer],
        responses=SummarySerializer,
    )
    def get(self, request: AuthenticatedRequest) -> Response:
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
    """Income, expenses, net and savings rate month by month, oldest first: `months` months
    (1 to 60, default 12) ending with `end` (default the current month, UTC). A month
    without records is there, with zeros."""

    problem_statuses = {"get": ["400"]}

    @extend_schema(
        operation_id="summary_trends",
        tags=ANALYTICS_TAG,
        summary="Follow your totals month by month",
        examples=examples(response=_TRENDS),
        parameters=[TrendsQuerySerializer],
        responses=TrendsSerializer,
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        query = TrendsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        months = selectors.monthly_trends(user=request.user, **query.validated_data)
        return Response(
            TrendsSerializer({"currency": request.user.currency, "months": months}).data
        )
