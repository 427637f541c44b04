"""The forms of the intakes pages: an intake, the term length, a person's intake, a move."""

from __future__ import annotations

from wtforms import IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from induction.accounts.intakes import MAX_NAME_LENGTH, MAX_TERM_YEARS
from induction.admin.forms import DateInput
from induction.inputs import id_number
from induction.web.forms import Form


class IntakeDate(DateInput):
    """A date typed as in the UK (8/5/2026) or as 2026-05-08, with a message saying so."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            if "real date" not in str(error):
                raise
            raise ValueError("Enter a real date, for example 8/5/2026") from None


class IntakeForm(Form):
    """Add or change an intake: its name and the date due dates count from."""

    name = StringField(
        "Name",
        validators=[
            InputRequired("Enter a name for the intake, for example May 2026 election"),
            Length(
                max=MAX_NAME_LENGTH, message=f"Name must be {MAX_NAME_LENGTH} characters or fewer"
            ),
        ],
    )
    starts_on = IntakeDate(
        "Date",
        validators=[InputRequired("Enter the intake's date, for example 8/5/2026")],
        format=["%d/%m/%Y", "%Y-%m-%d"],
    )


class WholeYears(IntegerField):
    """A number of years whose message says what to type."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter the term as a whole number of years, for example 4") from None


class TermForm(Form):
    """How many years the organisation's councillors serve (empty: not set)."""

    term_years = WholeYears(
        "Term length in years (optional)",
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_TERM_YEARS,
                message=f"Enter a term of 1 to {MAX_TERM_YEARS} years, or leave it empty",
            ),
        ],
    )


class PersonIntakeForm(Form):
    """The intake a person belongs to (0: none); the choices are set by the view."""

    intake = SelectField("Intake", coerce=id_number, validate_choice=True)


class MoveForm(Form):
    """Move the people ticked from one intake (0: none) to another; the choices are set by
    the view, and the service checks every person again."""

    source = SelectField("Move people from", coerce=id_number, validate_choice=True)
    target = SelectField(
        "To the intake",
        coerce=id_number,
        validate_choice=True,
        validators=[InputRequired("Choose the intake to move them to")],
    )
    person = SelectMultipleField(
        "People",
        coerce=id_number,
        validate_choice=False,
        validators=[InputRequired("Tick at least one person to move")],
    )
