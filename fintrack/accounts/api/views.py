"""Views of the accounts API: thin wrappers over the serializers and services."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt import views as jwt_views

from fintrack.core.throttles import ClientAddressThrottle, FailedLoginThrottle

from .. import services
from .serializers import (
    PasswordChangeSerializer,
    PasswordConfirmSerializer,
    ProfileSerializer,
    ProfileUpdateSerializer,
    RefreshTokenSerializer,
    RegisterSerializer,
    TokenPairSerializer,
)

ACCOUNTS_TAG = ["accounts"]


class RegisterView(APIView):
    """Create an account."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientAddressThrottle]

    @extend_schema(
        operation_id="register",
        tags=ACCOUNTS_TAG,
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
        operation_id="token_obtain", tags=ACCOUNTS_TAG, responses={200: TokenPairSerializer}
    )
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        username = request.data.get("username") if isinstance(request.data, dict) else None
        failures = FailedLoginThrottle(username if isinstance(username, str) else "")
        if failures.blocked():
            raise Throttled(wait=failures.wait(), detail="Too many failed sign-ins for this user.")
        try:
            return super().post(request, *args, **kwargs)
        except AuthenticationFailed:
            failures.record_failure()
            raise


class TokenRefreshView(jwt_views.TokenRefreshView):
    """Trade a refresh token for a new pair; the old refresh token stops working."""

    problem_statuses = {"post": ["401"]}

    @extend_schema(
        operation_id="token_refresh", tags=ACCOUNTS_TAG, responses={200: TokenPairSerializer}
    )
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().post(request, *args, **kwargs)


class LogoutView(APIView):
    """Revoke one of the caller's refresh tokens."""

    @extend_schema(
        operation_id="logout",
        tags=ACCOUNTS_TAG,
        request=RefreshTokenSerializer,
        responses={204: None},
    )
    def post(self, request: Request) -> Response:
        serializer = RefreshTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        serializer.validated_data["refresh"].blacklist()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The caller's profile."""

    @extend_schema(operation_id="me_read", tags=ACCOUNTS_TAG, responses=ProfileSerializer)
    def get(self, request: Request) -> Response:
        return Response(ProfileSerializer(request.user).data)

    @extend_schema(
        operation_id="me_update",
        tags=ACCOUNTS_TAG,
        request=ProfileUpdateSerializer,
        responses=ProfileSerializer,
    )
    def patch(self, request: Request) -> Response:
        serializer = ProfileUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=request.user, **serializer.validated_data)
        return Response(ProfileSerializer(user).data)


class MeDeleteView(APIView):
    """Delete the caller's account and every record of it, after checking the password."""

    @extend_schema(
        operation_id="me_delete",
        tags=ACCOUNTS_TAG,
        request=PasswordConfirmSerializer,
        responses={204: None},
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordConfirmSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.user_delete(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(APIView):
    """Change the caller's password; every earlier refresh token stops working."""

    @extend_schema(
        operation_id="password_change",
        tags=ACCOUNTS_TAG,
        request=PasswordChangeSerializer,
        responses={204: None},
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordChangeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.user_change_password(
            user=request.user, new_password=serializer.validated_data["new_password"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
