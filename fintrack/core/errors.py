"""The domain's errors: what services raise when a rule is broken, free of any HTTP type.

Services are called from views, management commands, importers and the recurring catch-up; none
of those but the views speak HTTP. The API's exception handler maps this family to problem
details (`Invalid` to 400 with field errors, `Conflict` to 409).
"""

from collections.abc import Mapping, Sequence


class ApplicationError(Exception):
    """A broken business rule; `message` is written for the person who made the request."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Invalid(ApplicationError):
    """The input breaks a rule: `errors` maps each field (or "non_field_errors") to messages."""

    def __init__(self, errors: Mapping[str, Sequence[str] | str]) -> None:
        self.errors: dict[str, list[str]] = {
            field: [messages] if isinstance(messages, str) else list(messages)
            for field, messages in errors.items()
        }
        super().__init__("The request has invalid fields.")


class InvalidItems(ApplicationError):
    """Some items of a list in the input break a rule: `errors` maps each item's 0-based
    position to its own field errors, under the list's field name (a bulk create's
    `{"records": {"3": {"amount": ["..."]}}}`)."""

    def __init__(self, field: str, errors: Mapping[int, Mapping[str, Sequence[str]]]) -> None:
        self.field = field
        self.errors: dict[str, dict[str, list[str]]] = {
            str(position): {name: list(messages) for name, messages in item.items()}
            for position, item in sorted(errors.items())
        }
        super().__init__("Some items of the request are invalid.")


class Conflict(ApplicationError):
    """The input is valid but clashes with the current state (a category in use...)."""


class QuotaExceeded(ApplicationError):
    """The user has done this as often as a quota allows for now: `limit` times in its window.
    The quota is named `name` (its rate setting); the next use frees up in `wait` seconds."""

    def __init__(self, *, name: str, limit: int, wait: int) -> None:
        self.name = name
        self.limit = limit
        self.wait = wait
        super().__init__(f"The limit of {limit} is reached; retry in {wait} seconds.")
