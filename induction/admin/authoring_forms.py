"""The authoring forms: the file editor, new items, rename, delete, uploads and preview-as."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from induction.accounts.forms import EmptyForm, choices
from induction.admin.drafts.updates import LearnerNotice
from induction.admin.forms import DateInput
from induction.web.forms import Form

MAX_TEXT_CHARS = 400_000
PREVIEW_CHOICES = choices(
    [
        ("councillor", "Councillors"),
        ("officer", "Council officers"),
        ("affiliate", "Affiliate members"),
    ]
)


class EditorForm(Form):
    """A course file's text, with the hash of the text it started from."""

    text = TextAreaField(
        "Text of the file (Markdown)",
        validators=[Length(max=MAX_TEXT_CHARS, message="The text is too long for one file")],
    )
    base_hash = HiddenField()
    confirm_token = HiddenField()
    check = SubmitField("Check and preview")
    save = SubmitField("Save")


class NewLessonForm(EditorForm):
    """A new lesson: its file name and its text."""

    file_name = StringField(
        "File name",
        validators=[
            InputRequired("Enter a file name, like 03-budgets.md"),
            Length(max=100, message="The file name must be 100 characters or fewer"),
        ],
    )
    save = SubmitField("Create the lesson")


class NewQuizForm(EditorForm):
    """A module's new quiz: its text."""

    save = SubmitField("Create the quiz")


class NewModuleForm(Form):
    """A new module: its title and summary, its folder name, its first lesson's title."""

    title = StringField(
        "Module title",
        validators=[
            InputRequired("Enter the module's title"),
            Length(max=200, message="The title must be 200 characters or fewer"),
        ],
    )
    summary = StringField(
        "Summary (one sentence)",
        validators=[
            InputRequired("Enter a one-sentence summary"),
            Length(max=300, message="The summary must be 300 characters or fewer"),
        ],
    )
    folder_name = StringField(
        "Folder name (optional)",
        validators=[Optional(), Length(max=100, message="Use at most 100 characters")],
    )
    lesson_title = StringField(
        "Title of the first lesson",
        validators=[
            InputRequired("Enter the first lesson's title: a module needs a lesson or a quiz"),
            Length(max=200, message="The title must be 200 characters or fewer"),
        ],
    )


class RenameForm(Form):
    """The new name of a lesson file or module folder."""

    new_name = StringField(
        "New name",
        validators=[
            InputRequired("Enter the new name"),
            Length(max=100, message="The name must be 100 characters or fewer"),
        ],
    )


# A button that changes something: only the CSRF token.
ConfirmForm = EmptyForm


class MediaForm(Form):
    """A file for the course's media folder."""

    upload = FileField("File to upload", validators=[FileRequired("Choose a file to upload")])
    replace = BooleanField("Replace a file with the same name")


class GiftForm(Form):
    """A Moodle GIFT file to import as a module's quiz."""

    upload = FileField("GIFT file", validators=[FileRequired("Choose a GIFT file to import")])
    replace = BooleanField("Replace the existing quiz")


class PreviewForm(Form):
    """Whose view of the courses to preview."""

    audience = RadioField(
        "See the courses as",
        choices=PREVIEW_CHOICES,
        validators=[InputRequired("Choose whose view to preview")],
    )


class PreviewSwitchForm(PreviewForm):
    """Whose view to preview, from the authoring page or the preview banner's buttons; the
    banner also sends the page it is on, to go back to (see authoring.preview_landing)."""

    next = HiddenField()
    # "yes" from the Course files page and the banner's "published courses" button: the
    # preview shows the published courses, ending any preview of a draft.
    published = HiddenField()


def note_field(label: str = "What changed, in one line") -> StringField:
    """Return the one-line note a publish is recorded with in the course's history."""
    return StringField(
        label,
        validators=[
            InputRequired("Say in one line what changed, for the history"),
            Length(max=300, message="The note must be 300 characters or fewer"),
        ],
    )


REREAD_DAYS = (1, 365)


class PublishForm(Form):
    """Publishing a course's draft: which files, a one-line note saying what changed and,
    when a lesson's version is raised, a note for its readers and their days to read it."""

    paths = SelectMultipleField("Files to publish", choices=[], validate_choice=False)
    note = note_field()
    learner_note = StringField(
        "Note for people who read an earlier version",
        validators=[
            Optional(),
            Length(max=200, message="The note for learners must be 200 characters or fewer"),
        ],
    )
    reread_days = StringField(
        "Days they have to read it again", default="30", validators=[Optional()]
    )

    def validate_reread_days(self, field: StringField) -> None:
        """Accept a whole number of days within REREAD_DAYS (empty: the default, 30)."""
        text = (field.data or "").strip() or "30"
        low, high = REREAD_DAYS
        if not text.isdigit() or not low <= int(text) <= high:
            raise ValidationError(f"Enter a number of days from {low} to {high}, such as 30")

    @property
    def notice(self) -> LearnerNotice | None:
        """Return the note for learners and their days, or None when no note is written."""
        note = " ".join((self.learner_note.data or "").split())
        if not note:
            return None
        return LearnerNotice(note, int((self.reread_days.data or "").strip() or "30"))

    publish_all = SubmitField("Publish all changes")
    publish_chosen = SubmitField("Publish the ticked files")


class DiscardForm(Form):
    """Throwing away the draft of one file."""

    path = HiddenField(validators=[InputRequired("Choose a file")])


class RestoreForm(Form):
    """Which version of a file from the history to put back in the draft."""

    which = HiddenField(validators=[AnyOf(["before", "after"], message="Choose a version")])
    confirmed = HiddenField()  # "yes": the removal of a file was confirmed on its own page


class ScheduleForm(Form):
    """Publishing the whole draft later: the day, the time (UK time) and the note."""

    day = DateInput("Day", validators=[InputRequired("Enter the day, for example 2027-05-06")])
    time = TimeField(
        "Time (UK time)",
        validators=[InputRequired("Enter the time, for example 09:00")],
        format="%H:%M",
    )
    note = note_field("What the scheduled publish changes, in one line")


class ReviewForm(Form):
    """The course's review setting."""

    needs_review = BooleanField("A second admin must approve a draft before it is published")


class DraftPreviewForm(PreviewForm):
    """Whose view of a course's draft to preview."""

    audience = RadioField(
        "Preview the draft as",
        choices=PREVIEW_CHOICES,
        validators=[InputRequired("Choose whose view to preview")],
    )
