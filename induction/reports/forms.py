"""The report forms: dashboard filters (GET, no CSRF token) and the bulk invitation upload."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length, Optional, Regexp

from induction.accounts.forms import choices
from induction.accounts.invitations import MAX_NOTE
from induction.accounts.organisations import CATEGORY_LABELS
from induction.inputs import id_number
from induction.progress.status import STATUS_LABELS, Status
from induction.reports.services import INVITED, NOT_FINISHED
from induction.web.forms import Form

AUDIENCE_FILTER_CHOICES = choices(
    [
        ("", "Everyone"),
        ("councillor", "Councillors"),
        ("officer", "Officers"),
        ("affiliate", "Affiliates"),
    ]
)
STATUS_FILTER_CHOICES = choices(
    [("", "Any status"), (NOT_FINISHED, "Not finished")]
    + [(s.value, STATUS_LABELS[s]) for s in Status]
    + [(INVITED, "Invited, not joined yet")]
)
OVERDUE_FILTER_CHOICES = choices(
    [("", "Overdue or not"), ("yes", "Overdue only"), ("no", "Not overdue")]
)
DASHBOARD_SORT_CHOICES = choices(
    [
        ("name", "Name, A to Z"),
        ("-name", "Name, Z to A"),
        ("email", "Email address, A to Z"),
        ("-email", "Email address, Z to A"),
        ("progress", "Progress, least first"),
        ("-progress", "Progress, most first"),
        ("due", "Due date, soonest first"),
        ("-due", "Due date, latest first"),
        ("activity", "Last activity, longest ago first"),
        ("-activity", "Last activity, most recent first"),
    ]
)


class CourseForm(Form):
    """Choose the course a report is about (GET, no CSRF token)."""

    class Meta:
        csrf = False

    course = SelectField("Course", validate_choice=False)


class DashboardFilterForm(CourseForm):
    """Filters, search and sort of an organisation's dashboard (GET, no CSRF token)."""

    audience = SelectField("Who", choices=AUDIENCE_FILTER_CHOICES, validate_choice=True, default="")
    status = SelectField("Status", choices=STATUS_FILTER_CHOICES, validate_choice=True, default="")
    overdue = SelectField(
        "Overdue", choices=OVERDUE_FILTER_CHOICES, validate_choice=True, default=""
    )
    # The organisation's intakes, set by the view, which also checks the value.
    intake = SelectField("Intake", validate_choice=False, default="")
    q = StringField(
        "Name or email address contains",
        validators=[Optional(), Length(max=254, message="Search must be 254 characters or fewer")],
    )
    # The column headings sort too; this list is what a phone shows, where they are hidden.
    sort = SelectField(
        "Order", choices=DASHBOARD_SORT_CHOICES, validate_choice=True, default="name"
    )


NETWORK_SORT_CHOICES = choices(
    [
        ("name", "Name, A to Z"),
        ("rate", "Completion rate, highest first"),
        ("-rate", "Completion rate, lowest first"),
        ("overdue", "Overdue, most first"),
    ]
)
CATEGORY_FILTER_CHOICES = choices(
    [("", "Every category")] + [(c.value, label) for c, label in CATEGORY_LABELS.items()]
)


class NetworkForm(CourseForm):
    """The network overview's course, category filter and order (GET, no CSRF token)."""

    category = SelectField(
        "Category", choices=CATEGORY_FILTER_CHOICES, validate_choice=True, default=""
    )
    sort = SelectField("Order", choices=NETWORK_SORT_CHOICES, validate_choice=True, default="name")


# Who is in a file to import: each line says, or everyone is the same (a council's list of
# the councillors elected has no audience column).
FILE_AUDIENCE_LABELS = {
    "": "The file says, in a column such as audience or Type",
    "councillor": "Everyone is a councillor",
    "officer": "Everyone is a council officer or staff",
    "affiliate": "Everyone is from an affiliate or supporter organisation",
}
FILE_AUDIENCE_CHOICES = choices(list(FILE_AUDIENCE_LABELS.items()))
FILE_AUDIENCES = list(FILE_AUDIENCE_LABELS)


class ImportForm(Form):
    """Upload a CSV file of people to invite, and say who is in it."""

    file = FileField(
        "CSV file",
        validators=[FileRequired("Choose a CSV file with the columns email, name, audience")],
    )
    organisation = SelectField("Organisation", coerce=id_number, validate_choice=True)
    audience = RadioField(
        "Who is in the file?",
        choices=FILE_AUDIENCE_CHOICES,
        default="",
        validate_choice=True,
    )


class ConfirmImportForm(Form):
    """Confirm the import of a file already previewed (it is kept on the server meanwhile)."""

    upload = HiddenField(
        validators=[InputRequired(), Regexp(r"\A[A-Za-z0-9_-]{16,64}\Z")],
    )
    digest = HiddenField(validators=[InputRequired(), Regexp(r"\A[0-9a-f]{64}\Z")])
    # Who is in the file, as chosen on the upload page ("": each line says).
    audience = HiddenField(validators=[AnyOf(FILE_AUDIENCES)], default="")
    # For the lines whose start date is so long ago that they would be overdue at once.
    from_joining = BooleanField(
        "For them, count due dates from the day each one joins, not from the start date"
    )
    note = TextAreaField(
        "A short note from you (optional)",
        validators=[
            Length(max=MAX_NOTE, message=f"Keep your note to {MAX_NOTE} characters or fewer")
        ],
    )
