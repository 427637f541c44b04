"""Turning a parsed quiz.md into a `Quiz`: every part rendered, every link checked."""

from __future__ import annotations

from dataclasses import replace

from induction.content.document import Document
from induction.content.linkcheck import LinkContext, check_markdown
from induction.content.model import Problem, Question, Quiz
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
) -> tuple[Quiz | None, list[Problem]]:
    """Return the quiz of `doc` (None when it has no usable id) and the problems of its links.

    The file-level problems of `doc` are not repeated here.
    """
    quiz_id, module_id, course_id = ids
    problems: list[Problem] = []
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
