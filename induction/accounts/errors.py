"""The one error type account services raise for input they refuse."""

from __future__ import annotations

from induction.errors import Refusal


class AccountError(Refusal):
    """A request the account services refuse, with a message for the person.

    `field` names the form field the message belongs beside, when there is one.
    """
