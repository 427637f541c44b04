"""The account forms: sign-in, joining, reset, profile and second factor."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from induction.web.forms import Form

try:  # WTForms 3.3 wants SelectChoice objects; earlier versions take (value, label) pairs.
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None  # type: ignore[assignment,misc]

from induction.accounts.addresses import MAX_LENGTH as EMAIL_MAX_LENGTH
from induction.accounts.addresses import email_problem
from induction.accounts.models import Audience
from induction.accounts.passwords import MAX_LENGTH, password_problem


def choices(pairs: Iterable[tuple[Any, str]]) -> list[Any]:
    """Return (value, label) pairs as choices for a select or radio field."""
    if SelectChoice is None:  # pragma: no cover - older WTForms
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


AUDIENCE_CHOICES = choices(
    [
        (Audience.COUNCILLOR.value, "Councillor"),
        (Audience.OFFICER.value, "Council officer or staff"),
        (Audience.AFFILIATE.value, "Affiliate or supporter organisation"),
    ]
)


class EmailAddress:
    """Validator: the one email address rule (induction.accounts.addresses)."""

    def __call__(self, form: Form, field: StringField) -> None:
        problem = email_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


def email_field(
    label: str = "Email address", missing: str = "Enter your email address"
) -> StringField:
    """Return an email address field with the usual messages."""
    # Length adds the browser's maxlength; EmailAddress holds the whole rule.
    too_long = f"Email address must be {EMAIL_MAX_LENGTH} characters or fewer"
    return StringField(
        label,
        validators=[
            InputRequired(missing),
            Length(max=EMAIL_MAX_LENGTH, message=too_long),
            EmailAddress(),
        ],
    )


class PasswordRules:
    """Validator: the password rules, knowing the form's email and name fields if it has them.

    The services check again with everything they know (the address of an invitation,
    the signed-in person); this check lets a form show every problem at once.
    """

    def __call__(self, form: Form, field: PasswordField) -> None:
        inputs = [form[name].data for name in ("email", "name") if name in form and form[name].data]
        problem = password_problem(field.data or "", inputs)
        if problem:
            raise ValidationError(problem)


def new_password_field(label: str = "Password") -> PasswordField:
    """Return a new-password field that applies the password rules."""
    return PasswordField(
        label,
        validators=[
            InputRequired("Enter a password"),
            Length(max=MAX_LENGTH, message=f"Password must be {MAX_LENGTH} characters or fewer"),
            PasswordRules(),
        ],
    )


def name_field(label: str = "Full name") -> StringField:
    """Return a person's name field."""
    return StringField(
        label,
        validators=[
            InputRequired("Enter your full name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )


class EmptyForm(Form):
    """A form with only its CSRF token: for buttons such as "Sign out"."""


class LoginForm(Form):
    email = email_field()
    password = PasswordField("Password", validators=[InputRequired("Enter your password")])


class EmailStepForm(Form):
    """The first step of signing in where there is more than one way: the address alone."""

    email = email_field()


class SignInLinkForm(Form):
    """Ask for a one-time sign-in link by email."""

    email = email_field()


class TwoFactorForm(Form):
    code = StringField(
        "Code",
        validators=[
            InputRequired("Enter the code from your authenticator app, or a recovery code"),
            Length(max=40, message="Enter the 6-digit code or a recovery code"),
        ],
    )


class SetupForm(Form):
    name = name_field()
    email = email_field()
    password = new_password_field()


class RegisterForm(Form):
    join_code = StringField(
        "Join code",
        validators=[
            InputRequired("Enter your organisation's join code"),
            Length(max=64, message="Join code must be 64 characters or fewer"),
        ],
    )
    email = email_field()


class RegisterFinishForm(Form):
    name = name_field()
    audience = RadioField(
        "Which describes you best?",
        choices=AUDIENCE_CHOICES,
        validators=[InputRequired("Choose which describes you best")],
    )
    password = new_password_field()


class InvitationForm(Form):
    name = name_field()
    password = new_password_field()


class ResetRequestForm(Form):
    email = email_field()


class ResetPasswordForm(Form):
    password = new_password_field("New password")


class ProfileForm(Form):
    name = name_field()


class DigestForm(Form):
    """A lead officer's choice: the weekly digest of their organisation, or none."""

    frequency = RadioField(
        "The digest of your organisation by email",
        choices=choices(
            [
                ("weekly", "Weekly: who is overdue, who finished and who has not joined yet"),
                ("off", "Off: I will look at the dashboard myself"),
            ]
        ),
        validators=[InputRequired("Choose weekly or off")],
    )


class PasswordChangeForm(Form):
    current_password = PasswordField(
        "Current password", validators=[InputRequired("Enter your current password")]
    )
    password = new_password_field("New password")


class EmailChangeForm(Form):
    email = email_field("New email address")
    current_password = PasswordField(
        "Current password", validators=[InputRequired("Enter your current password")]
    )


class TotpConfirmForm(Form):
    code = StringField(
        "Code from the app",
        validators=[
            InputRequired("Enter the 6-digit code from your authenticator app"),
            Length(max=20, message="Enter the 6-digit code from your authenticator app"),
        ],
    )


class PasswordConfirmForm(Form):
    """Asks for the current password before a sensitive change (turning 2FA off, new codes)."""

    current_password = PasswordField(
        "Current password", validators=[InputRequired("Enter your current password")]
    )
