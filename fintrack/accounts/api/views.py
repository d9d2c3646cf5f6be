"""Views of the accounts API: thin wrappers over the serializers and services."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt import views as jwt_views

from fintrack.core.api.authentication import OPTIONAL_AUTH, OptionalAuthentication
from fintrack.core.api.request import AuthenticatedRequest
from fintrack.core.api.schema import examples
from fintrack.core.api.throttles import ClientAddressThrottle, SignedInUserThrottle, SignInAttempts
from fintrack.tokens.authentication import EVERY_METHOD

from .. import services
from .serializers import (
    PasswordChangeSerializer,
    PasswordConfirmSerializer,
    PasswordResetAcceptedSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetRequestSerializer,
    ProfileSerializer,
    ProfileUpdateSerializer,
    RefreshTokenSerializer,
    RegisterSerializer,
    TokenPairSerializer,
    profile_representation,
)
from .throttles import (
    PasswordResetAddressThrottle,
    PasswordResetConfirmAddressThrottle,
    email_change_limit,
    password_reset_email_limit,
)

ACCOUNTS_TAG = ["accounts"]
_PROFILE = {
    "id": 42,
    "username": "alice",
    "email": "alice@example.com",
    "currency": "USD",
    "date_joined": "2026-11-14T09:30:00Z",
}
_ACCESS = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIn0.c2lnbmF0dXJl"
_REFRESH = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.c2lnbmF0dXJl"
_TOKENS = {"access": _ACCESS, "refresh": _REFRESH}


class RegisterView(APIView):
    """Create an account."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientAddressThrottle]

    @extend_schema(
        operation_id="register",
        tags=ACCOUNTS_TAG,
        summary="Create an account",
        description="Open an account with a username, an email and a password (at least 8 "
        "characters, not too common, not all digits). Usernames and emails are unique, "
        "whatever their case. Sign in next with `POST /api/token/`.",
        examples=examples(
            request={
                "username": "alice",
                "email": "alice@example.com",
                "password": "correct-horse-99",
            },
            response=_PROFILE,
        ),
        request=RegisterSerializer,
        responses={201: ProfileSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_register(**serializer.validated_data)
        return Response(ProfileSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenObtainView(jwt_views.TokenObtainPairView):
    """Sign in: trade a username (any case) and password for an access and a refresh token."""

    throttle_classes = [ClientAddressThrottle]
    problem_statuses = {"post": ["401"]}

    @extend_schema(
        operation_id="token_obtain",
        tags=ACCOUNTS_TAG,
        summary="Sign in",
        description="Trade a username (any case) and password for an access token (send it "
        "as `Authorization: Bearer <access>`; it lives 15 minutes) and a refresh token (7 "
        "days). A wrong password answers 401; repeated failures for one username answer 429.",
        responses={200: TokenPairSerializer},
        examples=examples(
            request={"username": "alice", "password": "correct-horse-99"}, response=_TOKENS
        ),
    )
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        username = request.data.get("username") if isinstance(request.data, dict) else None
        if username is not None and not isinstance(username, str):
            # A number would be turned into a string by the serializer: refused before any
            # counter or lookup sees it.
            raise ValidationError({"username": ["Not a valid string."]})
        attempts = SignInAttempts(username=username or "", address=self.get_ident(request))
        wait = attempts.begin()
        if wait is not None:
            raise Throttled(wait=wait, detail="Too many failed sign-ins for this user.")
        try:
            response = super().post(request, *args, **kwargs)
        except AuthenticationFailed:
            raise  # a wrong password (or user): it stays counted
        except BaseException:
            attempts.release()
            raise
        attempts.release()
        return no_store(response)

    def get_ident(self, request: Request) -> str:
        return ClientAddressThrottle().get_ident(request)


class TokenRefreshView(jwt_views.TokenRefreshView):
    """Trade a refresh token for a new pair; the old refresh token stops working."""

    problem_statuses = {"post": ["401"]}

    @extend_schema(
        operation_id="token_refresh",
        tags=ACCOUNTS_TAG,
        summary="Get a new pair of tokens",
        description="Trade a refresh token for a new access token and a new refresh token. "
        "The refresh token sent stops working: keep the new one.",
        responses={200: TokenPairSerializer},
        examples=examples(request={"refresh": _REFRESH}, response=_TOKENS),
    )
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        return no_store(super().post(request, *args, **kwargs))


def no_store(response: Response) -> Response:
    """Answers carrying tokens must not be cached (RFC 6749, section 5.1)."""
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


class LogoutView(APIView):
    """Revoke one of the caller's refresh tokens."""

    # No personal access token on the account's own endpoints (the contract): a leaked one
    # must not be able to take the account over.
    refuses_personal_access_tokens = EVERY_METHOD

    @extend_schema(
        operation_id="logout",
        tags=ACCOUNTS_TAG,
        summary="Sign out",
        description="Revoke one of your refresh tokens, so that it can no longer be traded "
        "for new tokens. Access tokens already given out work until they expire.",
        examples=examples(request={"refresh": _REFRESH}),
        request=RefreshTokenSerializer,
        responses={204: None},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        serializer = RefreshTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.refresh_token_revoke(token=serializer.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The caller's profile."""

    # A personal access token may read the profile, not change it (the email is how a
    # password is reset).
    refuses_personal_access_tokens = frozenset({"PATCH"})

    @extend_schema(
        operation_id="me_read",
        tags=ACCOUNTS_TAG,
        summary="Read your profile",
        description="Your username, email, currency (ISO 4217, used by summaries) and the "
        "time you signed up.",
        responses=ProfileSerializer,
        examples=examples(response=_PROFILE),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(profile_representation(request.user))

    @extend_schema(
        operation_id="me_update",
        tags=ACCOUNTS_TAG,
        summary="Change your email or currency",
        description="Change your email (unique, any case) or your currency (an ISO 4217 "
        "code, any case). Fields left out keep their value. Amounts are not converted.",
        examples=examples(request={"currency": "EUR"}, response={**_PROFILE, "currency": "EUR"}),
        request=ProfileUpdateSerializer,
        responses=ProfileSerializer,
    )
    def patch(self, request: AuthenticatedRequest) -> Response:
        sent = request.data.get("email") if isinstance(request.data, dict) else None
        if sent is not None and sent != request.user.email:
            email_change_limit(request.user.pk).check("Too many email changes; retry later.")
        serializer = ProfileUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=request.user, **serializer.validated_data)
        return Response(ProfileSerializer(user).data)


class MeDeleteView(APIView):
    """Delete the caller's account and every record of it, after checking the password."""

    refuses_personal_access_tokens = EVERY_METHOD

    @extend_schema(
        operation_id="me_delete",
        tags=ACCOUNTS_TAG,
        summary="Delete your account",
        description="Delete your account and every record, category, goal and contribution "
        "of it, for good. Your password confirms it.",
        examples=examples(request={"password": "correct-horse-99"}),
        request=PasswordConfirmSerializer,
        responses={204: None},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        serializer = PasswordConfirmSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.user_delete(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(APIView):
    """Change the caller's password; every earlier refresh and access token stops working."""

    refuses_personal_access_tokens = EVERY_METHOD

    @extend_schema(
        operation_id="password_change",
        tags=ACCOUNTS_TAG,
        summary="Change your password",
        description="Change your password, giving the current one. Every refresh token "
        "given out before stops working: sign in again on your other devices.",
        examples=examples(
            request={"old_password": "correct-horse-99", "new_password": "battery-staple-42"}
        ),
        request=PasswordChangeSerializer,
        responses={204: None},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        serializer = PasswordChangeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.user_change_password(
            user=request.user, new_password=serializer.validated_data["new_password"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


PASSWORD_RESET_ACCEPTED = {
    "detail": (
        "If an account has this email address, a message with a reset code is on its way. "
        "The code works once, for one hour."
    )
}


class PasswordResetRequestView(APIView):
    """Ask for a password reset code by email; the answer never tells whether the email has an
    account."""

    # Open to anyone; a signed-in caller is counted as everywhere (and told so: RateLimit-*).
    authentication_classes = [OptionalAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [PasswordResetAddressThrottle, SignedInUserThrottle]

    @extend_schema(
        operation_id="password_reset_request",
        tags=ACCOUNTS_TAG,
        summary="Ask for a password reset code",
        request=PasswordResetRequestSerializer,
        responses={202: PasswordResetAcceptedSerializer},
        auth=OPTIONAL_AUTH,
        description=(
            "202 with the same body whether or not an account has this email; when one does, "
            "a mail with a one-time code (uid and token, valid one hour) is sent to it. "
            "Throttled per client address and per email address."
        ),
        examples=[
            OpenApiExample(
                "A reset request", value={"email": "alice@example.com"}, request_only=True
            ),
            OpenApiExample(
                "Accepted (any email)",
                value=PASSWORD_RESET_ACCEPTED,
                response_only=True,
                status_codes=["202"],
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordResetRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"]
        # DRF's words, as the per-address limit says them: which of the two was hit, the
        # answer does not tell (the contract).
        password_reset_email_limit(email).check()
        services.password_reset_request(email=email)
        return Response(PASSWORD_RESET_ACCEPTED, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(APIView):
    """Set a new password with the code from the reset mail; every device is signed out."""

    authentication_classes = [OptionalAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [PasswordResetConfirmAddressThrottle, SignedInUserThrottle]

    @extend_schema(
        operation_id="password_reset_confirm",
        tags=ACCOUNTS_TAG,
        summary="Reset your password with the mailed code",
        request=PasswordResetConfirmSerializer,
        responses={204: None},
        auth=OPTIONAL_AUTH,
        description=(
            "204: the password changed (the validators apply: 400 naming new_password), and "
            "every refresh token, every access token issued before and every personal access "
            "token stop working. A wrong, used or expired code: 400 naming token."
        ),
        examples=[
            OpenApiExample(
                "A code from the reset mail",
                value={
                    "uid": "MQ",
                    "token": "cz8f1x-5d2e4b6a0c9f8e7d6c5b4a39281706f5",
                    "new_password": "marmalade-orbit-canyon-31",
                },
                request_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_confirm(**serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)
