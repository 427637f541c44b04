"""Forms of the quiz pages; the answer form is built from an attempt's snapshot.

Every field of the answer form is named after its question ("q-<question id>") and
its values are option positions in authored order, whatever order they are shown in,
so the page says nothing about which options are right.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from induction.content.question_types import MAX_TEXT_ANSWER, Answer, get_type
from induction.quizzes.snapshot import AskedQuestion
from induction.web.forms import Form
from induction.web.templating import trusted_html


class StartForm(Form):
    """The "Start the quiz" / "Try again" button (an empty form: only its CSRF token)."""


class AnswerForm(Form):
    """Base of an attempt's answer form: the one-time submit key and the "Save and come back
    later" button (its data is True when it sent the form); question fields are added."""

    submit_key = HiddenField()
    save = SubmitField("Save and come back later")

    def question_field(self, question: AskedQuestion) -> Any:
        """Return the bound field of `question`."""
        return self[field_name(question.id)]


class _CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def field_name(question_id: str) -> str:
    """Return the form field name of a question."""
    return f"q-{question_id}"


def answer_form_class(questions: Sequence[AskedQuestion]) -> type[AnswerForm]:
    """Return a form class with one field per question, options in the order shown.

    Raises KeyError for a question of an unknown type.
    """

    class Form(AnswerForm):
        pass

    for question in questions:
        label = trusted_html(question.prompt_html)
        widget = get_type(question.type).widget
        if widget == "text":
            # Longer text is cut when read (QuestionType.parse_answer), so no validator is needed.
            field: Any = StringField(
                label,
                render_kw={"autocomplete": "off", "maxlength": MAX_TEXT_ANSWER},
            )
        else:
            choices = [SelectChoice(str(o.index), trusted_html(o.html)) for o in question.shown]
            kind = RadioField if widget == "radio" else _CheckboxesField
            field = kind(label, choices=choices, validate_choice=False)
        setattr(Form, field_name(question.id), field)
    return Form


def read_answers(form: AnswerForm, questions: Sequence[AskedQuestion]) -> dict[str, Answer]:
    """Return the answer given to each question in a submitted form (None when unanswered)."""
    answers: dict[str, Answer] = {}
    for question in questions:
        raw = form.question_field(question).raw_data or []
        answers[question.id] = get_type(question.type).parse_answer(question, raw)
    return answers


def form_data(questions: Sequence[AskedQuestion], answers: Mapping[str, Answer]) -> dict[str, Any]:
    """Return field data that fills the answer form in with `answers`."""
    data: dict[str, Any] = {}
    for question in questions:
        answer = answers.get(question.id)
        name = field_name(question.id)
        widget = get_type(question.type).widget
        if widget == "text":
            data[name] = answer if isinstance(answer, str) else ""
        elif isinstance(answer, tuple | list) and answer:
            data[name] = str(answer[0]) if widget == "radio" else [str(i) for i in answer]
    return data
