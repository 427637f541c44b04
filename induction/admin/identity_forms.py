"""The identity page's form: names, logo, brand colour, sender, support contact, footer links
and the course the reports open on."""

from __future__ import annotations

from flask import current_app
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from induction.accounts.addresses import MAX_LENGTH as EMAIL_MAX_LENGTH
from induction.accounts.addresses import email_problem
from induction.accounts.forms import EmailAddress
from induction.config import is_real_sender
from induction.identity.contrast import brand_colour_problem
from induction.identity.footer import FooterLinksError, parse_footer_links
from induction.web.forms import Form


def _text(label: str, missing: str, most: int) -> StringField:
    return StringField(
        label,
        validators=[
            InputRequired(missing),
            Length(max=most, message=f"{label} must be {most} characters or fewer"),
        ],
    )


class IdentityForm(Form):
    name = _text("The network's full name", "Enter the network's full name", 200)
    short_name = _text("Short name", "Enter the short name, for example CCIN", 40)
    site_name = _text("The website's name", "Enter the website's name", 200)
    brand_colour = StringField(
        "Brand colour", validators=[InputRequired("Enter the brand colour, for example #1d4f91")]
    )
    logo = FileField("Logo (SVG or PNG, optional)")
    logo_alt = StringField(
        "Describe the logo in words",
        validators=[
            Optional(),
            Length(max=200, message="The logo's description must be 200 characters or fewer"),
        ],
    )
    remove_logo = BooleanField("Remove the logo")
    sender_name = _text("Sender's name", "Enter the name email is sent in", 200)
    sender_address = StringField(
        "Sender's email address",
        validators=[
            InputRequired("Enter the address email is sent from"),
            Length(
                max=EMAIL_MAX_LENGTH,
                message=f"Email address must be {EMAIL_MAX_LENGTH} characters or fewer",
            ),
        ],
    )
    support_email = StringField(
        "Support email address (optional)",
        validators=[
            Optional(),
            Length(
                max=EMAIL_MAX_LENGTH,
                message=f"Email address must be {EMAIL_MAX_LENGTH} characters or fewer",
            ),
            EmailAddress(),
        ],
    )
    footer_links = TextAreaField("Footer links (optional)", validators=[Optional()])
    # The view fills in the catalogue's published courses.
    report_course_id = SelectField("The course reports open on", choices=[], validate_choice=False)

    def validate_brand_colour(self, field: StringField) -> None:
        problem = brand_colour_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_sender_address(self, field: StringField) -> None:
        address = (field.data or "").strip()
        if is_real_sender(address):
            problem = email_problem(address)
            if problem:
                raise ValidationError(problem)
        elif current_app.config["ENV"] != "production" and "@" in address.strip("@"):
            return  # trying the site out on one computer: induction@localhost will do
        else:
            raise ValidationError(
                "Use an address at your own domain, for example induction@learn.example.org: "
                "email from @localhost looks like phishing"
            )

    def validate_report_course_id(self, field: SelectField) -> None:
        listed = {value for value, _label in field.choices}  # type: ignore[misc]
        if (field.data or "") not in listed:
            raise ValidationError("Choose one of the courses listed")

    def validate_footer_links(self, field: TextAreaField) -> None:
        try:
            parse_footer_links(field.data or "")
        except FooterLinksError as error:
            raise ValidationError(str(error)) from None
