"""The base of every form: no control characters in any text field."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, TextAreaField
from wtforms.validators import ValidationError

from induction.inputs import control_character_problem


def refuse_control_characters(form: Any, field: Field) -> None:
    """Raise ValidationError when a text field holds a control character (NUL, escape...).

    Tabs and line breaks are allowed in multi-line fields only.
    """
    if isinstance(field.data, str):
        problem = control_character_problem(field.data, multiline=isinstance(field, TextAreaField))
        if problem:
            raise ValidationError(problem)


class Form(FlaskForm):
    """A FlaskForm whose every field also refuses control characters (a message says which)."""

    def validate(self, extra_validators: Any = None) -> bool:
        extra = {name: list((extra_validators or {}).get(name, ())) for name in self._fields}
        for validators in extra.values():
            validators.append(refuse_control_characters)
        return super().validate(extra)
