"""factory_boy factories shared by the test modules.

`UserFactory(...)` and `UserFactory.create(...)` do the same; mypy reads only the second as the
model (a User), so annotated helpers and fixtures, whose bodies mypy checks, call `.create()`.
"""

from datetime import date
from decimal import Decimal

import factory

from fintrack.accounts.models import User
from fintrack.goals.models import Contribution, Goal
from fintrack.ledger.models import Category, Entry, Kind

DEFAULT_PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    # Called with the user built, not the factory.
    @factory.post_generation
    def _save(user: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            user.save()


class CategoryFactory(factory.django.DjangoModelFactory[Category]):
    class Meta:
        model = Category

    user = factory.SubFactory(UserFactory)
    kind = Kind.EXPENSE
    name = factory.Sequence(lambda n: f"Category {n}")


class EntryFactory(factory.django.DjangoModelFactory[Entry]):
    """An income or expense; its category belongs to the same user and kind."""

    class Meta:
        model = Entry

    user = factory.SubFactory(UserFactory)
    kind = Kind.EXPENSE
    amount = Decimal("10.00")
    date = date(2026, 11, 1)
    category = factory.SubFactory(
        CategoryFactory,
        user=factory.SelfAttribute("..user"),
        kind=factory.SelfAttribute("..kind"),
    )
    description = ""


class GoalFactory(factory.django.DjangoModelFactory[Goal]):
    class Meta:
        model = Goal

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Goal {n}")
    target_amount = Decimal("1000.00")
    target_date = None


class ContributionFactory(factory.django.DjangoModelFactory[Contribution]):
    """A deposit (or, with a negative amount, a withdrawal); no never-below-zero check."""

    class Meta:
        model = Contribution

    goal = factory.SubFactory(GoalFactory)
    amount = Decimal("50.00")
    date = date(2026, 11, 1)
    note = ""
