"""The one kind of error a service raises for a request it refuses (shown to the person)."""

from __future__ import annotations


class Refusal(ValueError):
    """A request a service refuses, with a message for the person.

    `field` names the form field the message belongs beside, when there is one. Views
    show it with `induction.web.boundary.service_call`.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
