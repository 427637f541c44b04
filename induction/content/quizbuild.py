"""Turning a parsed quiz.md into a `Quiz`: every part rendered, every link checked."""

from __future__ import annotations

from dataclasses import replace

from induction.content.document import Document
from induction.content.linkcheck import LinkContext, check_markdown
from induction.content.model import AUDIENCES, Problem, Question, Quiz
from induction.content.quizparse import ParsedQuestion
from induction.content.render import BLOCK, INLINE, Renderer

DEFAULT_QUIZ_TITLE = "Check your understanding"


def build_quiz(
    doc: Document,
    ids: tuple[str | None, str | None, str],  # quiz id, module id, course id
    course_pass_mark: int,
    from_dir: str,
    renderer: Renderer,
    context: LinkContext,
    audiences: frozenset[str] = frozenset(AUDIENCES),
) -> tuple[Quiz | None, list[Problem]]:
    """Return the quiz of `doc` (None when it has no usable id) and the problems of its links.

    `audiences` are the module's: a question's `audiences=` must be among them, and
    each of them must be asked at least one question. The file-level problems of
    `doc` are not repeated here.
    """
    quiz_id, module_id, course_id = ids
    problems = audience_problems(doc, audiences)
    question_ids = tuple(parsed.question.id for parsed in doc.questions)
    questions = tuple(
        _question(parsed, doc.path, from_dir, renderer, context, question_ids, problems)
        for parsed in doc.questions
    )
    if quiz_id is None or module_id is None:
        return None, problems
    quiz = Quiz(
        id=quiz_id,
        course_id=course_id,
        module_id=module_id,
        path=doc.path,
        title=doc.values.get("title", DEFAULT_QUIZ_TITLE),
        pass_mark=doc.values.get("pass_mark", course_pass_mark),
        max_attempts=doc.values.get("max_attempts", 0),
        shuffle=doc.values.get("shuffle", False),
        questions=questions,
        content_hash=doc.source.content_hash,
    )
    return quiz, problems


def _question(
    parsed: ParsedQuestion,
    path: str,
    from_dir: str,
    renderer: Renderer,
    context: LinkContext,
    question_ids: tuple[str, ...],
    problems: list[Problem],
) -> Question:
    """Check the links of every part of a question and return it with its HTML."""
    question = parsed.question
    resolve = context.linker.resolver(from_dir)

    def check(markdown: str | None, line: int | None) -> list[str]:
        if not markdown or line is None:
            return []
        # Same-page links in a quiz point at questions, whose ids are their anchors.
        checked = check_markdown(path, markdown, line, from_dir, context, question_ids, "this quiz")
        problems.extend(checked.problems)
        return checked.lessons_linked

    def block(markdown: str | None) -> str | None:
        return renderer.render(markdown, BLOCK, resolve).html if markdown else None

    def inline(markdown: str) -> str:
        return renderer.render(markdown, INLINE, resolve).html

    check(question.prompt, question.line)
    check(question.stem, parsed.stem_line)
    options = []
    for option, line, feedback_line in zip(
        question.options, parsed.option_lines, parsed.feedback_lines, strict=True
    ):
        check(option.text, line)
        check(option.feedback, feedback_line)
        options.append(
            replace(option, html=inline(option.text), feedback_html=block(option.feedback))
        )
    review = check(question.explanation, parsed.explanation_line)
    return replace(
        question,
        prompt_html=inline(question.prompt),
        stem_html=block(question.stem) or "",
        options=tuple(options),
        explanation_html=block(question.explanation),
        review_links=tuple(dict.fromkeys(review)),
    )


def audience_problems(doc: Document, audiences: frozenset[str]) -> list[Problem]:
    """Return the problems of the questions' `audiences=` against the module's `audiences`.

    A question may only narrow the module's audiences, and every audience of the
    module must be asked at least one question (or its quiz would have none).
    """
    problems: list[Problem] = []
    for parsed in doc.questions:
        question = parsed.question
        extra = sorted((question.audiences or frozenset()) - audiences, key=AUDIENCES.index)
        if extra:
            names = ", ".join(repr(audience) for audience in extra)
            problems.append(
                Problem(
                    doc.path,
                    question.line,
                    f"question '{question.id}' is for {names}, but its module is not: remove "
                    f"it from 'audiences=', or add it to the audiences of module.md",
                )
            )
    for audience in sorted(audiences, key=AUDIENCES.index):
        if doc.questions and not any(p.question.applies_to(audience) for p in doc.questions):
            problems.append(
                Problem(
                    doc.path,
                    doc.questions[0].question.line,
                    f"no question of this quiz is asked to the audience '{audience}': add "
                    f"'{audience}' to the 'audiences=' of a question, or give one question "
                    "no 'audiences=' so that everyone is asked it",
                )
            )
    return problems
