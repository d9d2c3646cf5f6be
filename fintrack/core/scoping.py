"""Ownership by construction: every API queryset starts from the signed-in user's rows."""

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.db import models

if TYPE_CHECKING:
    from fintrack.accounts.models import User
    from fintrack.core.api.request import AuthenticatedRequest

_Owned = TypeVar("_Owned", bound="OwnedModel")


class OwnedQuerySet(models.QuerySet[_Owned]):
    """A queryset that knows the path from its model to the owning user."""

    def for_user(self, user: "User | int") -> "OwnedQuerySet[_Owned]":
        """The rows of `user` (a User or a user id)."""
        return self.filter(**{self.model.owner_field: user})


class OwnedModel(models.Model):
    """Abstract base for models a user owns; `owner_field` is the lookup to that user."""

    owner_field: ClassVar[str] = "user"

    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True


class OwnerScopedViewMixin:
    """Views set `model`, never `queryset`: get_queryset() always starts at
    `model.objects.for_user(request.user)`, so a view cannot forget the owner filter.
    Subclasses narrow it further in `refine_queryset`.

    `request` is an AuthenticatedRequest (the views require a signed-in user); a view class
    restates `request: AuthenticatedRequest`, since DRF's APIView declares it as a plain Request.

    Checked when a view class is defined (as PostHog's viewset base does): a subclass that sets
    `queryset` or overrides `get_queryset` raises TypeError at import, before any request."""

    model: ClassVar[type[OwnedModel]]
    request: "AuthenticatedRequest"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if getattr(cls, "queryset", None) is not None:
            raise TypeError(
                f"{cls.__qualname__} sets `queryset`; an owner-scoped view sets `model` and "
                "narrows in `refine_queryset`, so its rows always start at the caller's."
            )
        if cls.get_queryset is not OwnerScopedViewMixin.get_queryset:
            raise TypeError(
                f"{cls.__qualname__} overrides `get_queryset`; narrow in `refine_queryset`."
            )

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return self.model.objects.none()
        owned = self.model.objects.for_user(self.request.user)
        return self.refine_queryset(owned)

    def refine_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset
