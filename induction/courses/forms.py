"""Forms of the course pages."""

from __future__ import annotations

from wtforms import BooleanField

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
