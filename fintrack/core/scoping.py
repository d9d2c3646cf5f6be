"""Ownership by construction: every API queryset starts from the signed-in user's rows."""

from typing import Any, ClassVar

from django.db import models


class OwnedQuerySet(models.QuerySet):
    """A queryset that knows the path from its model to the owning user."""

    def for_user(self, user: Any) -> "OwnedQuerySet":
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
    Subclasses narrow it further in `refine_queryset`."""

    model: ClassVar[type[OwnedModel]]

    def get_queryset(self) -> models.QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return self.model.objects.none()
        owned = self.model.objects.for_user(self.request.user)  # type: ignore[attr-defined]
        return self.refine_queryset(owned)

    def refine_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset
