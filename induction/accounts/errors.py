"""The one error type account services raise for input they refuse."""

from __future__ import annotations


class AccountError(ValueError):
    """A request the account services refuse, with a message for the person.

    `field` names the form field the message belongs beside, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
