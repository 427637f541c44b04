"""The forms of reminders sent by officers: the message and the button that sends."""

from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import Length

from induction.progress.chasing import MAX_MESSAGE
from induction.web.forms import Form


class ReminderForm(Form):
    """An optional personal message; "Update the preview" or "Send the reminders" submits it."""

    message = TextAreaField(
        "Your own message (optional)",
        validators=[
            Length(
                max=MAX_MESSAGE,
                message=f"Keep your message to {MAX_MESSAGE} characters or fewer",
            )
        ],
    )
