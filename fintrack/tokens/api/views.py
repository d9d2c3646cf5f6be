"""Views of the tokens API: list, create and revoke the caller's personal access tokens."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from fintrack.core.api.request import AuthenticatedRequest
from fintrack.core.api.schema import examples
from fintrack.core.scoping import OwnerScopedViewMixin

from .. import selectors, services
from ..authentication import EVERY_METHOD
from ..models import PersonalAccessToken
from .serializers import (
    PersonalAccessTokenCreatedSerializer,
    PersonalAccessTokenCreateSerializer,
    PersonalAccessTokenSerializer,
)

_TOKEN = {
    "id": 3,
    "name": "Budget spreadsheet",
    "scope": "read",
    "prefix": "ftp_pFD2_Jv1",
    "created_at": "2026-11-14T09:30:00.000000Z",
    "expires_at": "2027-02-12T09:30:00.000000Z",
    "last_used_at": "2026-11-20T07:02:41.000000Z",
}
_SECRET = "ftp_pFD2_Jv14Z8d40vAYZj3AVCDEg0VoevvtrD4OKCL1EM"


class PersonalAccessTokenViewSet(
    OwnerScopedViewMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's personal access tokens. No personal access token may use these endpoints
    (a leaked one must not mint or list others): sign in with a password."""

    request: AuthenticatedRequest
    model = PersonalAccessToken
    refuses_personal_access_tokens = EVERY_METHOD
    serializer_class = PersonalAccessTokenSerializer
    schema_nouns = ("personal access token", "personal access tokens")
    problem_statuses = {"post": ["400"]}  # the 20-token limit
    schema_summaries = {"destroy": "Revoke a personal access token"}
    schema_descriptions = {
        "list": "Your personal access tokens, newest first: their name, scope, first "
        "characters, expiry and last use (written at most once a minute); never the token "
        "itself. Expired tokens stay listed until you delete them.",
        "create": "Create a token for a script or a tool, sent as `Authorization: Bearer "
        "ftp_...` wherever an access token works (except these endpoints and the account "
        "settings: 403). The token is in this answer only: only its hash is stored. "
        "`read` tokens may only use GET, HEAD and OPTIONS (else 403). `expires_in_days` is "
        "1 to 365 (default 90), null for a token that never expires. At most 20 tokens, "
        "expired ones included until deleted (400 beyond). An `Idempotency-Key` header is "
        "ignored here: a replay would have to store the token; a retry creates another.",
        "destroy": 'Revoke a token: it stops working at once (401, "revoked"), leaves the '
        "list and no longer counts toward the 20.",
    }
    schema_examples = examples(response=_TOKEN)

    def refine_queryset(self, queryset: Any) -> Any:
        return selectors.personal_access_tokens_of(user=self.request.user)

    def etag_state(self, request: Request) -> str:
        # Tokens are not the user's data: creating, revoking or using one bumps no change
        # counter (fintrack.core.api.conditional), so the list's ETag also hashes their state.
        return selectors.personal_access_tokens_state(user=self.request.user)

    @extend_schema(
        request=PersonalAccessTokenCreateSerializer,
        responses={201: PersonalAccessTokenCreatedSerializer},
        examples=examples(
            request={"name": "Budget spreadsheet", "scope": "read", "expires_in_days": 90},
            response={**_TOKEN, "last_used_at": None, "token": _SECRET},
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Not @idempotent, on purpose (the contract): a replayed answer would have to keep the
        # secret, which is stored nowhere.
        serializer = PersonalAccessTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.personal_access_token_create(
            user=self.request.user, **serializer.validated_data
        )
        body = {**PersonalAccessTokenSerializer(created.token).data, "token": created.secret}
        response = Response(body, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "private, no-store"  # it carries a secret (RFC 6749, 5.1)
        return response

    def perform_destroy(self, instance: PersonalAccessToken) -> None:
        services.personal_access_token_revoke(token=instance)
