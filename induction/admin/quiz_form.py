"""The quiz builder's form: settings, then a list of questions, each with a list of options.

The form only carries state (see `induction.admin.quiz_mapping` for its meaning and
checks). Its buttons are plain submit buttons named `action` ("add-question",
"add-option-0", "up-2", "save"...), so it works without JavaScript: each press sends
the whole form and the page comes back with the change made.

Which options are right is sent one of two ways, as the page showed the question:
a tick box on each option (`options-N-is_correct`) for several right answers, or one
choice of the question (`right`, radio buttons whose values are option numbers as
the page listed them) for a type with one right answer. `state_from_form` turns both
into ticks on the options before any button acts, so a right answer stays with its
option when options are added or removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, replace

from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.widgets import CheckboxInput, ListWidget

from induction.accounts.forms import choices
from induction.admin.quiz_sections import Section
from induction.admin.quiz_state import (
    MAX_OPTIONS,
    MAX_QUESTIONS,
    OptionState,
    QuestionState,
    QuizState,
    marked_right,
)
from induction.admin.quiz_summary import AUDIENCE_WORDS, TYPE_WORDS, short_prompt
from induction.content.model import AUDIENCES
from induction.content.question_types import QUESTION_TYPES
from induction.web.forms import Form


def type_choices() -> list[tuple[str, str]]:
    """Return every registered question type with the words authors see for it."""
    return [
        (name, TYPE_WORDS.get(name, kind.label[:1].upper() + kind.label[1:]))
        for name, kind in QUESTION_TYPES.items()
    ]


def _type_choices() -> list[object]:
    return choices(type_choices())


class OptionForm(PlainForm):
    """One option: its text, whether it is right, and its feedback."""

    text = TextAreaField("Option text")  # one line in the file: line breaks become spaces
    is_correct = BooleanField("Right answer")
    feedback = TextAreaField("Feedback (optional)")


class QuestionForm(PlainForm):
    """One question; `id` is empty until it is first saved."""

    id = HiddenField()
    prompt = TextAreaField("The question")  # one line in the file: line breaks become spaces
    type = SelectField("Type of question", choices=_type_choices, validate_choice=False)
    stem = TextAreaField("More detail (optional)")
    options = FieldList(FormField(OptionForm), max_entries=MAX_OPTIONS)
    # The right answer of a type with one (its choices: `answer_choices`).
    right = RadioField("The right answer", choices=[], validate_choice=False)
    answers = TextAreaField("Accepted answers, one on each line")
    explanation = TextAreaField("Explanation (optional)")
    section = SelectField("Lesson section that teaches it (optional)", validate_choice=False)
    audiences = SelectMultipleField(
        "Who is asked this question",
        choices=choices((a, AUDIENCE_WORDS[a]) for a in AUDIENCES),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )


class QuizBuilderForm(Form):
    """The whole quiz: settings, questions, and the hashes that guard a save."""

    title = StringField("Title of the quiz (optional)")
    pass_mark = StringField("Pass mark, in percent (optional)")
    max_attempts = StringField("Attempts allowed (optional)")
    shuffle = BooleanField("Shuffle the options of each question")
    questions = FieldList(FormField(QuestionForm), max_entries=MAX_QUESTIONS)
    base_hash = HiddenField()
    confirm_token = HiddenField()


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


_OPTION_NUMBER = re.compile(r"[0-9]{1,3}")
CHOICE_WORDS_CHARS = 100  # a longer option is cut at a word in the list of right answers


def _chosen(value: object, count: int) -> int | None:
    """Return the option (0-based) a question's "right answer" choice names, else None."""
    if not isinstance(value, str) or not _OPTION_NUMBER.fullmatch(value):
        return None
    number = int(value)
    return number if number < count else None


def answer_choices(question: QuestionState) -> list[tuple[str, str]]:
    """Return the choices of a question's "right answer" radio buttons: each option's number
    (0-based, as the form lists them) and its words ("Option 2: Late", "True")."""
    word = "Choice" if question.type == "scenario" else "Option"
    found = []
    for number, option in enumerate(question.options):
        text = short_prompt(option.text, CHOICE_WORDS_CHARS)
        if question.type == "truefalse":
            label = text
        else:
            label = f"{word} {number + 1}: {text}" if text else f"{word} {number + 1}"
        found.append((str(number), label))
    return found


def state_from_form(form: QuizBuilderForm) -> QuizState:
    """Return the state the submitted form holds (nothing checked yet)."""
    questions = []
    for entry in form.questions.entries:
        sub = entry.form
        options = [
            OptionState(
                _text(option.form.text.data),
                bool(option.form.is_correct.data),
                _text(option.form.feedback.data),
            )
            for option in sub.options.entries
        ]
        # A choice of one right answer, when made, decides: the option ticks sent beside it
        # are those kept from before a change of type (see the template).
        right = _chosen(sub.right.data, len(options))
        if right is not None:
            options = [
                replace(option, is_correct=number == right) for number, option in enumerate(options)
            ]
        questions.append(
            QuestionState(
                id=_text(sub.id.data),
                type=_text(sub.type.data) or "single",
                prompt=_text(sub.prompt.data),
                stem=_text(sub.stem.data),
                options=options,
                answers=_text(sub.answers.data),
                explanation=_text(sub.explanation.data),
                section=_text(sub.section.data),
                audiences=[a for a in (sub.audiences.data or []) if isinstance(a, str)],
            )
        )
    return QuizState(
        title=_text(form.title.data),
        pass_mark=_text(form.pass_mark.data),
        max_attempts=_text(form.max_attempts.data),
        shuffle=bool(form.shuffle.data),
        questions=questions,
    )


def form_for(
    state: QuizState, sections: Sequence[Section], base_hash: str = "", confirm: str = ""
) -> QuizBuilderForm:
    """Return a form showing `state`, its section lists filled from `sections`."""
    data = asdict(state)
    data["base_hash"] = base_hash
    data["confirm_token"] = confirm
    form = QuizBuilderForm(formdata=None, data=data)
    pairs = [("", "None")] + [(s.target, s.label) for s in sections]
    known = {value for value, _ in pairs}
    for entry, question in zip(form.questions.entries, state.questions, strict=True):
        field = entry.form.section
        extra = [(field.data, field.data)] if field.data and field.data not in known else []
        field.choices = choices(pairs + extra)
        right = entry.form.right
        right.choices = choices(answer_choices(question))
        # Several marked right (after a change of type) leaves the choice to the author.
        marked = marked_right(question)
        right.data = str(marked[0]) if len(marked) == 1 else None
    return form
