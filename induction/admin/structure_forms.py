"""Forms of the course structure pages: order, titles and a module's audiences."""

from __future__ import annotations

from wtforms import HiddenField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from induction.accounts.forms import choices
from induction.web.forms import Form

SEPARATOR = "/"  # never part of a file or folder name
AUDIENCE_LABELS = {
    "councillor": "Councillors",
    "officer": "Council officers",
    "affiliate": "Affiliate members",
}


def names_of(value: str | None) -> list[str]:
    """Return the names held in an order field ([] when empty)."""
    return [name for name in (value or "").split(SEPARATOR) if name]


def order_value(names: list[str]) -> str:
    """Return the value of an order field holding `names`."""
    return SEPARATOR.join(names)


class ReorderForm(Form):
    """A new order: one entry moved up or down, or the whole order (from drag and drop).

    `shown` is the order the page showed, so a change made meanwhile is noticed.
    """

    parent = HiddenField(validators=[Optional()])
    shown = HiddenField(validators=[InputRequired("The page did not say what it showed")])
    item = HiddenField(validators=[Optional()])
    direction = HiddenField(validators=[Optional()])
    order = HiddenField(validators=[Optional()])


class TitleForm(Form):
    """The title of a lesson or module, as learners see it."""

    title = StringField(
        "Title",
        validators=[
            InputRequired("Enter the title"),
            Length(max=200, message="The title must be 200 characters or fewer"),
        ],
    )


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AudiencesForm(Form):
    """Who a module is for: some or all of its course's audiences."""

    audiences = _Checkboxes("Who this module is for", choices=[], validate_choice=False)

    def offer(self, allowed: tuple[str, ...]) -> None:
        """Offer the course's audiences as the choices."""
        self.audiences.choices = choices([(a, AUDIENCE_LABELS[a]) for a in allowed])
