"""The user: a Django user with a required email and the currency of all their amounts."""

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower

from fintrack.core.name_keys import KEY_LENGTH_FACTOR, NameKeyField
from fintrack.core.names import fold_name

DEFAULT_CURRENCY = "USD"
USERNAME_MAX_LENGTH = 150


class CaseInsensitiveUserManager(UserManager["User"]):
    """Signs users in by username whatever its case: by its folded key, the one the database
    keeps unique and the failed sign-in counters use."""

    def get_by_natural_key(self, username: Any) -> "User":
        return self.get(username_key=fold_name(str(username)))


class User(AbstractUser):
    email = models.EmailField("email address")
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)
    # Carried in every JWT this user is issued and bumped by a password change or reset: a
    # token that carries an older number is refused, so every earlier access token dies at once.
    token_generation = models.PositiveIntegerField(default=0)
    username_key = NameKeyField(
        source="username", max_length=USERNAME_MAX_LENGTH * KEY_LENGTH_FACTOR, unique=True
    )
    # The earliest next_date of the user's active recurring rules, kept by the recurring
    # services. Authentication loads the user row anyway, so "is anything due?" costs every
    # request no query at all (fintrack.recurring.api.permissions).
    recurring_due_on = models.DateField(null=True, blank=True, editable=False)
    # The user's change counter (fintrack.sync): bumped by database triggers, in the same
    # transaction, by every write to the user's data, never by Django. It numbers the changes
    # feed and versions every ETag.
    change_seq = models.BigIntegerField(default=0, editable=False)
    # The highest change number whose tombstone the purge removed: an older cursor is a 410.
    changes_purged_seq = models.BigIntegerField(default=0, editable=False)

    objects: ClassVar[CaseInsensitiveUserManager] = CaseInsensitiveUserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A full save would write back the counters as this object loaded them, undoing the
        # triggers' bumps made since: only the database moves them.
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in _TRIGGER_KEPT
            ]
        super().save(*args, **kwargs)


_TRIGGER_KEPT = frozenset({"change_seq", "changes_purged_seq"})
