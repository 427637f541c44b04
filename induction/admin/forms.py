"""The management forms: inviting, editing people and organisations, filtering the audit log."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from induction.accounts.forms import AUDIENCE_CHOICES, choices, email_field
from induction.accounts.models import Category, Role, Subtype
from induction.accounts.organisations import CATEGORY_LABELS, SUBTYPE_LABELS


class DateInput(DateField):
    """A date field whose message says what to type."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter a real date, for example 2027-05-06") from None


ROLE_LABELS = {
    Role.LEARNER: "Learner",
    Role.MANAGER: "Manager (sees the progress of their organisation)",
    Role.ADMIN: "Admin (manages the whole site)",
}


class InviteForm(FlaskForm):
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
    organisation = SelectField("Organisation", coerce=int, validate_choice=True)


class PersonForm(FlaskForm):
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
    organisation = SelectField("Organisation", coerce=int, validate_choice=True)


class OrganisationForm(FlaskForm):
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


class JoinCodeForm(FlaskForm):
    join_code = StringField(
        "Your own join code (optional)",
        validators=[Optional(), Length(max=64, message="Join code must be 64 characters or fewer")],
    )


class AuditFilterForm(FlaskForm):
    """Filters for the audit log, sent with GET (nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    action = StringField(
        "Action",
        validators=[Optional(), Length(max=64, message="Action must be 64 characters or fewer")],
    )
    actor = StringField(
        "Done by (email address)",
        validators=[
            Optional(),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    date_from = DateInput("From (date)", validators=[Optional()], format="%Y-%m-%d")
    date_to = DateInput("To (date)", validators=[Optional()], format="%Y-%m-%d")
    page = IntegerField("Page", validators=[Optional(), NumberRange(min=1, max=100000)], default=1)


class PeopleFilterForm(FlaskForm):
    """Search and filter the list of people (GET, no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField("Name or email address", validators=[Optional(), Length(max=254)])
    organisation = SelectField("Organisation", coerce=int, validate_choice=False, default=0)
    page = IntegerField("Page", validators=[Optional(), NumberRange(min=1, max=100000)], default=1)
