"""The form of an organisation's identity provider (OpenID Connect)."""

from __future__ import annotations

from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from induction.accounts.forms import AUDIENCE_CHOICES, choices
from induction.inputs import id_number
from induction.web.forms import Form

NEW_PEOPLE_CHOICES = choices(
    [
        ("create", "Create their account at their first sign-in"),
        ("invite", "Invitation only: only people who already have an account may sign in"),
    ]
)


class ProviderForm(Form):
    """Add or change a provider; the organisation is chosen only when adding."""

    organisation = SelectField("Organisation", coerce=id_number, validate_choice=True)
    issuer = StringField(
        "Issuer",
        validators=[
            InputRequired("Enter the provider's issuer address"),
            Length(max=500, message="The issuer must be 500 characters or fewer"),
        ],
    )
    client_id = StringField(
        "Client ID",
        validators=[
            InputRequired("Enter the client ID the provider gave you"),
            Length(max=255, message="The client ID must be 255 characters or fewer"),
        ],
    )
    client_secret = PasswordField(
        "Client secret",
        validators=[
            Optional(),
            Length(max=2000, message="The client secret must be 2000 characters or fewer"),
        ],
    )
    domains = StringField(
        "Email domains it vouches for",
        validators=[
            InputRequired("Enter at least one email domain, like brent.gov.uk"),
            Length(max=1000, message="That is too many domains (1000 characters at most)"),
        ],
    )
    audience = RadioField(
        "Audience of people whose account is created at first sign-in",
        choices=AUDIENCE_CHOICES,
        default="officer",
        validators=[InputRequired("Choose the audience")],
    )
    new_people = RadioField(
        "People who have no account yet",
        choices=NEW_PEOPLE_CHOICES,
        default="invite",
        validators=[InputRequired("Choose what happens to people who have no account")],
    )
    trust_mfa = BooleanField(
        "Admins: trust the provider's multi-factor claim instead of asking for their code here"
    )
