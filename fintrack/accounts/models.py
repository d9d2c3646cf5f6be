"""The user: a Django user with a required email and the currency of all their amounts."""

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower

DEFAULT_CURRENCY = "USD"


class CaseInsensitiveUserManager(UserManager["User"]):
    """Signs users in by username whatever its case (the database keeps it unique that way)."""

    def get_by_natural_key(self, username: Any) -> "User":
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    email = models.EmailField("email address")
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)

    objects = CaseInsensitiveUserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username
