"""The management forms: inviting, editing people and organisations, filtering the audit log."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    Field,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import TextInput

from induction.accounts.forms import AUDIENCE_CHOICES, choices, email_field
from induction.accounts.invitations import MAX_NOTE
from induction.accounts.models import Category, Role, Subtype
from induction.accounts.organisations import CATEGORY_LABELS, SUBTYPE_LABELS
from induction.accounts.role_names import ROLE_NAMES
from induction.inputs import TYPED_DATE_EXAMPLES, date_problem, id_number, typed_date
from induction.web.forms import Form
from induction.web.templating import uk_date


class DateInput(DateField):
    """A date field whose message says what to type."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter a real date, for example 2027-05-06") from None
        problem = self.data and date_problem(self.data)
        if problem:
            raise ValueError(problem)


ROLE_LABELS = {
    Role.LEARNER: ROLE_NAMES[Role.LEARNER],
    Role.MANAGER: f"{ROLE_NAMES[Role.MANAGER]} (sees the progress of their organisation)",
    Role.ADMIN: f"{ROLE_NAMES[Role.ADMIN]} (manages the whole site)",
}


class TypedDate(Field):
    """A date typed in a text box, as people write it (see inputs.typed_date): unlike a
    browser's date box, it reads the same in every browser and is one stop for Tab."""

    widget = TextInput()

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return uk_date(self.data) if self.data else ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip() if valuelist else ""
        self.data = None
        if not text:
            return
        try:
            self.data = typed_date(text)
        except ValueError:
            raise ValueError(f"Enter a real date, for example {TYPED_DATE_EXAMPLES}") from None
        problem = date_problem(self.data)
        if problem:
            raise ValueError(problem)


class InviteForm(Form):
    email = email_field("Email address", "Enter the person's email address")
    name = StringField(
        "Name (optional)",
        validators=[Optional(), Length(max=200, message="Name must be 200 characters or fewer")],
    )
    role = RadioField("Role", validators=[InputRequired("Choose a role")])
    audience = RadioField(
        "Which describes them best?",
        choices=AUDIENCE_CHOICES,
        validators=[InputRequired("Choose which describes them best")],
    )
    organisation = SelectField("Organisation", coerce=id_number, validate_choice=True)
    start_date = TypedDate("Start date (optional)", validators=[Optional()])
    note = TextAreaField(
        "A short note from you (optional)",
        validators=[
            Length(max=MAX_NOTE, message=f"Keep your note to {MAX_NOTE} characters or fewer")
        ],
    )
    # The start date already warned about ("overdue as soon as they join"): sending again
    # with the same date sends it anyway.
    overdue_seen = HiddenField()


class PersonForm(Form):
    name = StringField(
        "Full name",
        validators=[
            InputRequired("Enter the person's name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    audience = RadioField(
        "Audience", choices=AUDIENCE_CHOICES, validators=[InputRequired("Choose an audience")]
    )
    start_date = DateInput(
        "Start date",
        validators=[InputRequired("Enter a start date, for example 5 May 2027")],
        format="%Y-%m-%d",
    )
    role = RadioField("Role", validators=[Optional()])
    organisation = SelectField("Organisation", coerce=id_number, validate_choice=True)


class OrganisationForm(Form):
    name = StringField(
        "Name",
        validators=[
            InputRequired("Enter the organisation's name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    category = RadioField(
        "Category",
        choices=choices((c.value, CATEGORY_LABELS[c]) for c in Category),
        validators=[InputRequired("Choose a category")],
    )
    subtype = SelectField(
        "Type of associate member",
        choices=choices([("", "Not applicable")] + [(s.value, SUBTYPE_LABELS[s]) for s in Subtype]),
        validators=[Optional()],
    )


class JoinCodeForm(Form):
    join_code = StringField(
        "Your own join code (optional)",
        validators=[Optional(), Length(max=64, message="Join code must be 64 characters or fewer")],
    )


class AuditFilterForm(Form):
    """Filters for the audit log, sent with GET (nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    # The choices are the actions known when the page is shown; `validate_action` checks them.
    action = SelectField(
        "What happened", choices=choices([("", "Anything")]), validate_choice=False
    )
    person = StringField(
        "Done by or to (email address)",
        validators=[
            Optional(),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    date_from = DateInput("From (date)", validators=[Optional()], format="%Y-%m-%d")
    date_to = DateInput("To (date)", validators=[Optional()], format="%Y-%m-%d")

    def validate_action(self, field: SelectField) -> None:
        if field.data and not any(choice.value == field.data for choice in field.choices or ()):
            raise ValidationError("Choose what happened from the list")

    def validate_date_to(self, field: DateField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The 'To' date must be on or after the 'From' date")


class PeopleFilterForm(Form):
    """Search and filter the list of people (GET, no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField("Name or email address", validators=[Optional(), Length(max=254)])
    organisation = SelectField("Organisation", coerce=id_number, validate_choice=False, default=0)
    # The organisation's intakes (see intakes.intake_filter_choices); checked by the view.
    intake = SelectField("Intake", validate_choice=False, default="")


class MemberListForm(Form):
    """Upload the network's member list (a CSV file of organisations)."""

    file = FileField(
        "CSV file",
        validators=[FileRequired("Choose a CSV file with the columns name, category")],
    )


class LeadOfficerForm(Form):
    """Choose a member of the organisation to make one of its lead officers."""

    person = SelectField("Make a member a lead officer", coerce=id_number, validate_choice=True)
