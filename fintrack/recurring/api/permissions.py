"""The one place where due recurring occurrences are created before a request is answered.

Why a permission: DRF runs the default permission classes in every API view's `initial()`,
after authentication (whatever authenticated the user: a JWT today, another token type
tomorrow) and before the handler, its querysets, totals and ETags. So one settings line covers
every endpoint that shows the user's data, rules included, without a base class that each app
must remember; the public views (AllowAny) skip it. A middleware would run before DRF has
authenticated anyone; an authentication wrapper would have to wrap each authentication class.
"""

from typing import Any

from django.utils import timezone
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from fintrack.accounts.models import User

from .. import services


class RecurringCaughtUp(BasePermission):
    """Never refuses: it makes sure every occurrence due today (UTC) or earlier exists.

    Free when nothing is due: `recurring_due_on` sits on the user row that authentication
    has already loaded, so the check is a comparison of two dates, no query."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        due = getattr(user, "recurring_due_on", None)
        if due is not None and due <= timezone.now().date() and isinstance(user, User):
            services.recurring_materialize(user=user)
            # The occurrences just created bumped the change counter: the ETag must see it.
            user.refresh_from_db(fields=["change_seq"])
        return True
