"""Forms of the course pages."""

from __future__ import annotations

from wtforms import BooleanField, TextAreaField

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
    """One reflection prompt's box and its Save button (each prompt has its own form)."""

    text = TextAreaField("Your answer (only you can see it)")

    @classmethod
    def for_prompt(cls, prompt_id: str, text: str = "", posted: bool = False) -> ReflectionForm:
        """Return the form of one prompt, its fields named after it so a page can hold several.

        `posted`: read the submitted form; otherwise show `text` (what was saved).
        """
        prefix = f"reflection-{prompt_id}"
        if posted:
            return cls(prefix=prefix)
        return cls(prefix=prefix, formdata=None, data={"text": text})


class CouncilNotesForm(Form):
    """The text of one organisation's notes for one slot of a lesson."""

    body = TextAreaField("Your council's notes")
