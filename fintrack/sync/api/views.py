"""The changes feed: what a syncing client asks for."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fintrack.core.api.request import AuthenticatedRequest
from fintrack.core.api.schema import examples

from .. import selectors
from .cursors import MalformedCursor, cursor_decode, cursor_encode
from .serializers import ChangesQuerySerializer, ChangesSerializer, changes_representation


class CursorExpired(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = (
        "This cursor is older than the deletions kept (90 days): sync again without a cursor."
    )
    default_code = "cursor_expired"


class ChangesView(APIView):
    """Every create, update and delete of your records, categories, tags, goals,
    contributions, budgets and recurring rules, in the order they were committed, each object
    at most once per answer (its latest state). Without `cursor`: every object you have now,
    as upserts. With the `cursor` of your last answer: what changed since, deletions included
    (kept 90 days; an older cursor answers 410 and you sync again from scratch). Follow
    `has_more` until it is false; then keep the last `cursor` for next time."""

    request: AuthenticatedRequest
    problem_statuses = {"get": ["400", "410"]}

    @extend_schema(
        operation_id="changes_list",
        tags=["sync"],
        summary="Sync: what changed since your cursor",
        examples=examples(
            response={
                "changes": [
                    {
                        "type": "expense",
                        "id": 7,
                        "op": "upsert",
                        "data": {
                            "id": 7,
                            "amount": "12.50",
                            "date": "2026-11-28",
                            "category": "Food",
                            "description": "Lunch",
                            "tags": ["work"],
                            "external_id": None,
                            "recurring_id": None,
                            "import_id": None,
                            "created_at": "2026-11-28T12:30:00.000000Z",
                            "updated_at": "2026-11-28T12:30:00.000000Z",
                        },
                    },
                    {"type": "goal", "id": 3, "op": "delete", "data": None},
                ],
                "cursor": "WzEsMTIsMzRd:1tFq2x:3bU9...",
                "has_more": False,
            }
        ),
        parameters=[ChangesQuerySerializer],
        responses=ChangesSerializer,
    )
    def get(self, request: Request) -> Response:
        query = ChangesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = self.request.user
        after = None
        if "cursor" in query.validated_data:
            try:
                after = cursor_decode(query.validated_data["cursor"], user_id=user.pk)
            except MalformedCursor:
                raise exceptions.ValidationError(
                    {"cursor": ["This cursor is not one this server gave you."]}
                ) from None
        try:
            page = selectors.changes_after(
                user=user, after=after, limit=query.validated_data["limit"]
            )
        except selectors.CursorExpired:
            raise CursorExpired from None
        return Response(
            {
                "changes": changes_representation(user, page.changes),
                "cursor": cursor_encode(user_id=user.pk, position=page.position),
                "has_more": page.has_more,
            }
        )
