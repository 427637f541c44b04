"""Forms of the course pages."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import ValidationError

from induction.progress.reflections import is_changed, reflection_problem, shown_mark
from induction.web.forms import Form


class CompleteLessonForm(Form):
    """The "Mark as complete and continue" button, with the lesson's statement when it has one."""

    acknowledge = BooleanField()

    @classmethod
    def for_statement(cls, statement: str | None, **kwargs) -> CompleteLessonForm:
        """Return the form with the checkbox labelled by `statement` (no checkbox when None)."""
        form = cls(**kwargs)
        if statement:
            form.acknowledge.label.text = statement
        return form


class ReflectionForm(Form):
    """One reflection prompt's box, with a fingerprint of what it showed.

    Every box of a lesson is sent with the lesson's one form, whichever of its buttons
    is pressed (each prompt's "Save your reflection", or "Mark as complete and
    continue"), so nothing typed in any box is lost. Each box's fields are named after
    its prompt, so a page can hold several.
    """

    text = TextAreaField("Your answer (only you can see it)")
    # shown_mark() of the text the box showed when the page was drawn: tells a box the
    # learner changed from one they left alone (see reflections.is_changed).
    shown = HiddenField()

    @classmethod
    def for_prompt(
        cls, prompt_id: str, text: str = "", posted: bool = False, csrf: bool = True
    ) -> ReflectionForm:
        """Return the form of one prompt.

        `posted`: read the submitted form; otherwise show `text` (what was saved).
        `csrf`: check this box's own token (the prompt's Save button); off when another
        form of the same request already checks the page's token.
        """
        prefix = f"reflection-{prompt_id}"
        meta = None if csrf else {"csrf": False}
        if posted:
            return cls(prefix=prefix, meta=meta)
        return cls(
            prefix=prefix, formdata=None, data={"text": text, "shown": shown_mark(text)}, meta=meta
        )

    @property
    def was_sent(self) -> bool:
        """Return True when the submitted form had this box in it."""
        return self.text.raw_data is not None and len(self.text.raw_data) > 0

    @property
    def is_changed(self) -> bool:
        """Return True when the learner changed the box (see reflections.is_changed)."""
        return self.was_sent and is_changed(self.text.data or "", self.shown.data)

    def validate_text(self, field: TextAreaField) -> None:
        problem = reflection_problem(field.data or "")
        if problem is not None:
            raise ValidationError(problem)


class CouncilNotesForm(Form):
    """The text of one organisation's notes for one slot of a lesson."""

    body = TextAreaField("Your council's notes")
