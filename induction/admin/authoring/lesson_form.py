"""The lesson editor's forms: a lesson's settings as fields and its text."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from induction.accounts.forms import choices
from induction.admin.authoring.lesson_fields import LessonFields
from induction.admin.authoring_forms import MAX_TEXT_CHARS, EditorForm, NewLessonForm
from induction.content.model import AUDIENCES
from induction.web.forms import Form

AUDIENCE_LABELS = {
    "councillor": "Councillors",
    "officer": "Council officers",
    "affiliate": "Affiliate members",
}


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of tick boxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _WholeNumber(IntegerField):
    """A whole number; anything else gets a message that says what to type."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and str(valuelist[0]).strip():
            text = str(valuelist[0]).strip()
            if not text.isdigit():
                self.data = None
                raise ValueError(
                    f"Minutes to read must be a whole number, like 5, not '{text[:20]}'"
                )
            self.data = int(text)
        else:
            self.data = None


def _described(form: Any, field: Any) -> None:
    """Refuse a new picture without the words that say what it shows."""
    if form.picture.data and not (field.data or "").strip():
        raise ValidationError(
            "Describe what the picture shows: people who cannot see it rely on these words"
        )


def picture_fields() -> tuple[FileField, StringField]:
    """Return the fields of "Add a new picture", for the class of a form that edits a
    lesson: the picture's file and what it shows. The picture is added to the course's
    pictures and its line to the end of the text (see lesson_pictures.py and
    `lesson_editor.take_picture`)."""
    return (
        FileField("A new picture from your computer (optional)"),
        StringField(
            "What the picture shows",
            validators=[
                Length(max=300, message="Describe the picture in 300 characters or fewer"),
                _described,
            ],
        ),
    )


class LessonForm(Form):
    """A lesson's settings and its text (the Markdown after the settings)."""

    title = StringField(
        "Title",
        validators=[
            DataRequired("Enter the lesson's title"),
            Length(max=200, message="The title must be 200 characters or fewer"),
        ],
    )
    audiences = CheckboxesField(
        "Who is this lesson for?",
        choices=choices([(name, AUDIENCE_LABELS[name]) for name in AUDIENCES]),
        validate_choice=True,
    )
    minutes = _WholeNumber(
        "Minutes to read (optional)",
        validators=[
            Optional(),
            NumberRange(min=1, max=600, message="Minutes to read must be from 1 to 600"),
        ],
    )
    acknowledge = TextAreaField(
        "Statement learners must tick (optional)",
        validators=[Length(max=500, message="The statement must be 500 characters or fewer")],
    )
    read_again = BooleanField("People must read this again")
    body = TextAreaField(
        "The lesson's text",
        validators=[Length(max=MAX_TEXT_CHARS, message="The text is too long for one lesson")],
    )
    picture, picture_alt = picture_fields()
    base_hash = HiddenField()
    confirm_token = HiddenField()
    check = SubmitField("Preview")
    save = SubmitField("Save")

    def validate_audiences(self, field: Any) -> None:
        if not field.data:
            raise ValidationError("Tick at least one group of people this lesson is for")

    def validate_acknowledge(self, field: Any) -> None:
        if field.data and "\n" in field.data.strip():
            raise ValidationError("Write the statement on one line, without line breaks")

    def fields(self) -> LessonFields:
        """Return what the form holds as `LessonFields`."""
        return LessonFields(
            title=(self.title.data or "").strip(),
            audiences=frozenset(self.audiences.data or ()),
            minutes=self.minutes.data,
            acknowledge=(self.acknowledge.data or "").strip(),
            read_again=bool(self.read_again.data),
            body=(self.body.data or "").replace("\r\n", "\n"),
        )

    def show(self, fields: LessonFields) -> None:
        """Fill the form from `fields` (a page opened, not yet posted)."""
        self.title.data = fields.title
        self.audiences.data = [a for a in AUDIENCES if a in fields.audiences]
        self.minutes.data = fields.minutes
        self.acknowledge.data = fields.acknowledge
        self.read_again.data = fields.read_again
        self.body.data = fields.body


class NewLessonFieldsForm(LessonForm):
    """A new lesson: its settings, its text and, optionally, its file name."""

    file_name = StringField(
        "File name (optional)",
        validators=[
            Optional(),
            Length(max=100, message="The file name must be 100 characters or fewer"),
        ],
    )
    save = SubmitField("Create the lesson")


class LessonTextForm(EditorForm):
    """A lesson's whole file as text, with "Add a new picture" as in the lesson's form."""

    picture, picture_alt = picture_fields()


class NewLessonTextForm(NewLessonForm):
    """A new lesson written as text, with "Add a new picture" as in the lesson's form."""

    picture, picture_alt = picture_fields()
