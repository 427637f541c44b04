"""Helpers for the report tests: a course of every shape, and records written to the database."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from sqlalchemy import select

from induction.database import utcnow
from induction.extensions import db
from induction.progress.models import CourseCompletion, CourseRenewal, LessonCompletion
from induction.quizzes.models import QuizAttempt

TODAY = dt.date(2026, 6, 1)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def write_varied_course(root: Path, renew: int | None = None) -> Path:
    """Write the course `varied` under `root` and return `root`.

    Modules: `intro` (lessons a, b v3 with a statement, c for officers; a quiz),
    `councillors` (councillors only: lesson d v2), `quiz-only` (a quiz, no lesson),
    `mixed` (lesson e for officers; a quiz everyone takes). Due 30 days after the start;
    with `renew`, completions are due for renewal after that many days.
    """
    course = root / "01-varied"
    renewal = f"renew: {renew}\n" if renew is not None else ""
    _write(
        course / "course.md",
        "---\ntitle: Varied\nsummary: A course with every shape of module.\n"
        f"pass_mark: 50\ndue_days: 30\n{renewal}---\n\nIntro.\n",
    )
    _write(course / "01-intro/module.md", "---\ntitle: Intro\nsummary: Everyone.\n---\n\nIntro.\n")
    _write(course / "01-intro/01-a.md", "---\ntitle: Lesson A\n---\n\nA.\n")
    _write(
        course / "01-intro/02-b.md",
        "---\ntitle: Lesson B\nversion: 3\nacknowledge: I have read B.\n---\n\nB.\n",
    )
    _write(course / "01-intro/03-c.md", "---\ntitle: Lesson C\naudiences: [officer]\n---\n\nC.\n")
    _write(
        course / "01-intro/quiz.md",
        "---\ntitle: Intro quiz\n---\n\n## Pick yes {#pick-yes}\n\n- [x] Yes\n- [ ] No\n\n"
        "## Pick no {#pick-no}\n\n- [ ] Yes\n- [x] No\n",
    )
    _write(
        course / "02-councillors/module.md",
        "---\ntitle: Councillors\nsummary: Councillors only.\naudiences: [councillor]\n---\n\nC.\n",
    )
    _write(course / "02-councillors/01-d.md", "---\ntitle: Lesson D\nversion: 2\n---\n\nD.\n")
    _write(
        course / "03-quiz-only/module.md", "---\ntitle: Quiz only\nsummary: A quiz.\n---\n\nQ.\n"
    )
    _write(
        course / "03-quiz-only/quiz.md",
        "---\ntitle: Only quiz\n---\n\n## Pick yes {#only-yes}\n\n- [x] Yes\n- [ ] No\n",
    )
    _write(
        course / "04-mixed/module.md",
        "---\ntitle: Mixed\nsummary: Officers read, all take the quiz.\n---\n\nM.\n",
    )
    _write(course / "04-mixed/01-e.md", "---\ntitle: Lesson E\naudiences: [officer]\n---\n\nE.\n")
    _write(
        course / "04-mixed/quiz.md",
        "---\ntitle: Mixed quiz\n---\n\n## Pick yes {#mixed-yes}\n\n- [x] Yes\n- [ ] No\n",
    )
    return root


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    """Return a UTC time on `day`."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def add_lesson(
    user_id: int,
    course_id: str,
    lesson_id: str,
    version: int = 1,
    when: dt.datetime | None = None,
    statement: str | None = None,
    renewal: int = 0,
) -> None:
    """Add a lesson completion to the session (the caller commits); `renewal`: the number
    of the renewal it was read again for."""
    db.session.add(
        LessonCompletion(
            user_id=user_id,
            course_id=course_id,
            lesson_id=lesson_id,
            lesson_version=version,
            acknowledged_statement=statement,
            completed_at=when or utcnow(),
            renewal=renewal,
        )
    )


def add_attempt(
    user_id: int,
    course_id: str,
    module_id: str,
    *,
    right: int,
    total: int,
    passed: bool,
    when: dt.datetime | None = None,
    submitted: bool = True,
    questions: list | None = None,
    answers: dict | None = None,
) -> QuizAttempt:
    """Add a quiz attempt (submitted unless told otherwise) to the session and return it.

    Each open attempt is on a version of its own: a person has at most one open attempt
    per version of a quiz.
    """
    attempt = QuizAttempt(
        user_id=user_id,
        course_id=course_id,
        module_id=module_id,
        quiz_id=module_id,
        quiz_hash="0" * 64 if submitted else secrets.token_hex(32),
        submit_key=secrets.token_urlsafe(16),
        started_at=when or utcnow(),
        pass_mark=50,
        questions=questions or [],
        submitted_at=(when or utcnow()) if submitted else None,
        answers=(answers or {}) if submitted else None,
        right=right if submitted else None,
        total=total if submitted else None,
        is_passed=passed if submitted else None,
    )
    db.session.add(attempt)
    return attempt


def add_course_completion(user_id: int, course_id: str, when: dt.datetime | None = None) -> None:
    """Record that the person completed the course once (the caller commits)."""
    db.session.add(
        CourseCompletion(user_id=user_id, course_id=course_id, completed_at=when or utcnow())
    )


def add_renewal(user_id: int, course_id: str, number: int, when: dt.datetime) -> None:
    """Record that the person completed the course again for renewal `number` (the caller
    commits)."""
    db.session.add(
        CourseRenewal(user_id=user_id, course_id=course_id, number=number, completed_at=when)
    )


def age(user_id: int, days: int) -> None:
    """Move every completion and quiz attempt of the person `days` days into the past, as
    if done that long ago (the caller commits)."""
    shift = dt.timedelta(days=days)
    for model, name in (
        (LessonCompletion, "completed_at"),
        (CourseCompletion, "completed_at"),
        (CourseRenewal, "completed_at"),
        (QuizAttempt, "submitted_at"),
    ):
        for row in db.session.scalars(select(model).where(model.user_id == user_id)):
            if getattr(row, name) is not None:
                setattr(row, name, getattr(row, name) - shift)


def renewing(tree, renew: str = "365"):
    """Make the basics course ask for renewal (`renew:` in its course.md)."""
    course = tree / "01-basics" / "course.md"
    course.write_text(
        course.read_text().replace("due_days: 14\n", f"due_days: 14\nrenew: {renew}\n")
    )
