"""The quiz builder's form state and what its buttons do to it. Pure: no Flask.

`QuizState` is what the builder's form holds: the quiz's settings and its questions,
each with its options, as typed (nothing checked). The buttons (add, remove, move,
change the type) change it with `apply_action`; `fit_to_type` gives a question the
option rows its type needs.

Which answers are right is kept on the options (`OptionState.is_correct`) whatever
control shows it: tick boxes for a question with several right answers, one choice
(radio buttons) for a type with one right answer (`has_one_right_answer`). So a
right answer stays with its option when options are added or removed, or the type
changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from induction.content.question_types import get_type

MAX_QUESTIONS = 100
MAX_OPTIONS = 12
TRUE_FALSE = ("True", "False")


@dataclass
class OptionState:
    """One option as the form holds it."""

    text: str = ""
    is_correct: bool = False
    feedback: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.text.strip() or self.is_correct or self.feedback.strip())


@dataclass
class QuestionState:
    """One question as the form holds it; `id` is "" until the question is first saved."""

    id: str = ""
    type: str = "single"
    prompt: str = ""
    stem: str = ""
    options: list[OptionState] = field(default_factory=list)
    answers: str = ""  # accepted answers of a typed-answer question, one a line
    explanation: str = ""
    section: str = ""  # link target of the lesson section that teaches it ("" none)
    audiences: list[str] = field(default_factory=list)  # none: everyone


@dataclass
class QuizState:
    """The whole form: the quiz's settings and its questions."""

    title: str = ""
    pass_mark: str = ""
    max_attempts: str = ""
    shuffle: bool = False
    questions: list[QuestionState] = field(default_factory=list)


def question_field(index: int, name: str, option: int | None = None) -> str:
    """Return the id of a question's field in the form (0-based indexes)."""
    if option is None:
        return f"questions-{index}-{name}"
    return f"questions-{index}-options-{option}-{name}"


def right_answer_field(index: int) -> str:
    """Return the id of the first radio button of a question's "which is right" choice
    (0-based index): where an error about its right answer points."""
    return f"questions-{index}-right-0"


def has_one_right_answer(type_name: str) -> bool:
    """Return True when a question of this type has exactly one right answer, which the
    builder asks for as a choice of one (radio buttons), as learners answer it.

    False for several right answers, typed answers and unknown types. The question
    type's own widget decides, so the builder and the quiz page agree.
    """
    try:
        return get_type(type_name).widget == "radio"
    except KeyError:
        return False


def marked_right(question: QuestionState) -> list[int]:
    """Return the options (0-based) of `question` marked right, in order."""
    return [number for number, option in enumerate(question.options) if option.is_correct]


def new_question() -> QuestionState:
    """Return a blank question: one right answer, two empty options."""
    return QuestionState(options=[OptionState(), OptionState()])


def new_quiz() -> QuizState:
    """Return the state of a quiz not written yet: one blank question."""
    return QuizState(questions=[new_question()])


def fit_to_type(question: QuestionState) -> QuestionState:
    """Return the question with the option rows its type needs (kept when it takes none).

    True/false gets exactly the options True and False (their ticks and feedback
    kept); a scenario at least three rows; other types with options at least two.
    """
    try:
        kind = get_type(question.type)
    except KeyError:
        return question
    if not kind.takes_options:
        return question
    if question.type == "truefalse":
        by_text = {option.text.strip(): option for option in question.options}
        order = [t for t in (o.text.strip() for o in question.options) if t in TRUE_FALSE]
        if sorted(order) != sorted(TRUE_FALSE):
            order = list(TRUE_FALSE)
        options = [replace(by_text.get(text, OptionState()), text=text) for text in order]
        return replace(question, options=options)
    least = 3 if question.type == "scenario" else 2
    options = list(question.options)
    while len(options) < least:
        options.append(OptionState())
    return replace(question, options=options)


def apply_action(state: QuizState, action: str) -> str | None:
    """Apply a form button to `state`; return the id of the field to show next, or None.

    Actions: `add-question`, `add-option-Q`, `remove-option-Q-O`, `up-Q`, `down-Q`,
    `remove-Q`, `retype-Q` (Q, O: 0-based indexes). Unknown actions and indexes out
    of range change nothing.
    """
    questions = state.questions
    parts = action.split("-")
    numbers = [int(p) for p in parts if p.isdigit() and len(p) < 5]
    if action == "add-question":
        if len(questions) >= MAX_QUESTIONS:
            return None
        questions.append(new_question())
        return f"question-{len(questions)}"
    if not numbers or numbers[0] >= len(questions):
        return None
    index = numbers[0]
    name = "-".join(p for p in parts if not p.isdigit())
    if name == "add-option" and len(questions[index].options) < MAX_OPTIONS:
        questions[index].options.append(OptionState())
        return question_field(index, "text", len(questions[index].options) - 1)
    if name == "remove-option" and len(numbers) == 2 and numbers[1] < len(questions[index].options):
        del questions[index].options[numbers[1]]
        return f"question-{index + 1}-options"
    if name in ("up", "down"):
        other = index - 1 if name == "up" else index + 1
        if 0 <= other < len(questions):
            questions[index], questions[other] = questions[other], questions[index]
            return f"question-{other + 1}"
        return f"question-{index + 1}"
    if name == "remove":
        del questions[index]
        return f"question-{min(index, len(questions) - 1) + 1}" if questions else "questions"
    if name == "retype":
        return f"question-{index + 1}"
    return None


def removes_question(action: str) -> bool:
    """Return True when `action` is a question's Remove button (`remove-Q`), not an option's."""
    name, _, number = action.partition("-")
    return name == "remove" and number.isdigit()


def fit_all(state: QuizState) -> QuizState:
    """Return `state` with every question fitted to its type (see `fit_to_type`)."""
    return replace(state, questions=[fit_to_type(q) for q in state.questions])
