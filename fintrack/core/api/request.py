"""The request a view gets once authentication and IsAuthenticated have passed: its user is a
`User`, never AnonymousUser, so services can demand a `User` without a check at every call."""

from typing import TYPE_CHECKING

from rest_framework.request import Request

if TYPE_CHECKING:
    from fintrack.accounts.models import User

    class AuthenticatedRequest(Request):
        @property
        def user(self) -> User: ...

        @user.setter
        def user(self, value: User) -> None: ...

else:
    # At run time DRF's Request itself: the narrowing is a promise the permission keeps.
    AuthenticatedRequest = Request
