"""A learner walks through a course: progress, Continue, the rule, acknowledgements, versions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from sqlalchemy import func, select

from induction.database import utcnow
from induction.extensions import db
from induction.progress.models import CourseCompletion, LessonCompletion, ModuleCompletion
from induction.quizzes.models import QuizAttempt

COURSE = "/courses/basics/"


@pytest.fixture
def app(app_factory, tree):
    """The app on the editable copy of the courses (the factories build on this app)."""
    return app_factory(COURSES_DIR=str(tree))


def page(response) -> str:
    return response.get_data(as_text=True)


def completions(app, user_id: int) -> list[tuple[str, int, str | None]]:
    with app.app_context():
        rows = db.session.execute(
            select(
                LessonCompletion.lesson_id,
                LessonCompletion.lesson_version,
                LessonCompletion.acknowledged_statement,
            )
            .where(LessonCompletion.user_id == user_id)
            .order_by(LessonCompletion.id)
        )
        return [tuple(r) for r in rows]


def complete(client, lesson_id: str, acknowledge: bool = False):
    data = {"acknowledge": "y"} if acknowledge else {}
    return client.post(f"/courses/basics/lessons/{lesson_id}/complete", data=data)


def pass_quiz(app, user_id: int, module_id: str = "first-steps") -> None:
    """Store a passed attempt directly (the quiz pages are tested with the quizzes feature)."""
    with app.app_context():
        db.session.add(
            QuizAttempt(
                user_id=user_id,
                course_id="basics",
                module_id=module_id,
                quiz_id=module_id,
                quiz_hash="x",
                submit_key=f"k{user_id}{module_id}",
                pass_mark=50,
                questions=[],
                submitted_at=utcnow(),
                answers={},
                right=4,
                total=4,
                is_passed=True,
            )
        )
        db.session.commit()


def test_first_visit_then_progress(app, make_user, login_as):
    learner = make_user(audience="officer")
    client = login_as(learner)
    home = page(client.get("/"))
    assert "Basics" in home and "Not started" in home
    assert "0 of 5 done" in home  # officer: 3 lessons + quiz, 1 lesson in module 2
    assert re.search(r'href="/courses/basics/lessons/welcome"[^>]*>\s*Start', home)

    response = complete(client, "welcome")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/courses/basics/lessons/rules")
    home = page(client.get("/"))
    assert "In progress" in home and "1 of 5 done" in home
    assert re.search(r'href="/courses/basics/lessons/rules"[^>]*>\s*Continue', home)
    assert completions(app, learner.id) == [("welcome", 1, None)]


def test_double_submit_records_once(app, make_user, login_as):
    learner = make_user()
    client = login_as(learner)
    assert complete(client, "welcome").status_code == 302
    second = complete(client, "welcome")
    assert second.status_code == 302
    assert completions(app, learner.id) == [("welcome", 1, None)]
    followed = client.get(second.headers["Location"])
    assert "already completed this lesson" in page(followed)


def test_acknowledgement_must_be_ticked_and_is_kept(app, make_user, login_as):
    learner = make_user()
    client = login_as(learner)
    lesson = page(client.get("/courses/basics/lessons/rules"))
    assert "I have read and understood the rules." in lesson
    assert 'type="checkbox"' in lesson

    refused = complete(client, "rules")
    assert refused.status_code == 400
    text = page(refused)
    assert "There is a problem" in text and "Tick the statement" in text
    assert text.count("<title>Error: ") == 1
    assert completions(app, learner.id) == []

    assert complete(client, "rules", acknowledge=True).status_code == 302
    assert completions(app, learner.id) == [("rules", 2, "I have read and understood the rules.")]
    record = page(client.get("/my/record"))
    assert "I have read and understood the rules." in record


def test_one_line_rule_per_audience(app, make_user, login_as):
    officer = login_as(make_user(audience="officer"))
    councillor = login_as(make_user(audience="councillor"))
    quiz = "and pass the quiz with 50% or more (you need at least 2 of the 4 right)."
    officer_rule = f"To complete this module, read all 3 lessons {quiz}"
    councillor_rule = f"To complete this module, read both lessons {quiz}"
    assert officer_rule in page(officer.get(COURSE))
    assert officer_rule in page(officer.get("/courses/basics/modules/first-steps"))
    assert councillor_rule in page(councillor.get(COURSE))
    assert councillor_rule in page(councillor.get("/courses/basics/modules/first-steps"))
    assert "To complete this module, read the lesson." in page(officer.get(COURSE))


def test_audience_only_lesson_hidden_from_others(app, make_user, login_as):
    councillor = login_as(make_user(audience="councillor"))
    assert "For officers" not in page(councillor.get(COURSE))
    assert councillor.get("/courses/basics/lessons/officers-only").status_code == 404
    officer = login_as(make_user(audience="officer"))
    assert officer.get("/courses/basics/lessons/officers-only").status_code == 200


def test_completing_everything_records_module_and_course_once(app, make_user, login_as):
    learner = make_user(audience="councillor")
    client = login_as(learner)
    client.get(complete(client, "welcome").headers["Location"])  # read its message
    client.get(complete(client, "rules", acknowledge=True).headers["Location"])
    pass_quiz(app, learner.id)
    response = complete(client, "next")
    assert response.headers["Location"].endswith("/courses/basics/")
    course_page = page(client.get(COURSE))
    # Only the biggest completion is said: the course's, by its certificate box.
    assert "You have completed Basics" in course_page
    assert "Module complete" not in course_page
    assert "Lesson complete" not in course_page
    assert "Completed " in course_page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CourseCompletion)) == 1
        modules = db.session.scalars(select(ModuleCompletion.module_id)).all()
        assert sorted(modules) == ["first-steps", "going-further"]


def test_an_officer_reads_that_the_lesson_was_updated_since_they_read_it(
    tree, app, make_org, make_user, login_as
):
    council = make_org()
    learner = make_user(audience="councillor", organisation=council)
    complete(login_as(learner), "rules", acknowledge=True)
    rules = tree / "01-basics" / "01-first-steps" / "02-rules.md"
    rules.write_text(rules.read_text().replace("version: 2", "version: 3"))
    officer = login_as(make_user(role="manager", organisation=council))
    record = page(officer.get(f"/reports/people/{learner.id}"))
    assert "Updated since they read it" in record and "since you read it" not in record


def test_version_bump_reopens_lesson_but_keeps_first_completion(tree, app, make_user, login_as):
    learner = make_user(audience="councillor")
    client = login_as(learner)
    complete(client, "welcome")
    complete(client, "rules", acknowledge=True)
    pass_quiz(app, learner.id)
    complete(client, "next")

    rules = tree / "01-basics" / "01-first-steps" / "02-rules.md"
    rules.write_text(rules.read_text().replace("version: 2", "version: 3"))
    lesson = page(client.get("/courses/basics/lessons/rules"))
    assert "Updated since you read it" in lesson
    assert "You completed version 2 of this lesson" in lesson
    home = page(client.get("/"))
    assert "Update to read" in home  # not "In progress": they finished the course before
    assert "In progress" not in home
    assert re.search(r'href="/courses/basics/lessons/rules"[^>]*>\s*Continue', home)
    assert "Completed " in home  # the first completion date stays on record
    # The old record is untouched; reading again adds version 3.
    complete(client, "rules", acknowledge=True)
    assert [c[:2] for c in completions(app, learner.id) if c[0] == "rules"] == [
        ("rules", 2),
        ("rules", 3),
    ]
    home = page(client.get("/"))
    assert "Update to read" not in home
    assert "Complete" in home


def test_edit_without_version_bump_leaves_lesson_done(tree, app, make_user, login_as):
    learner = make_user()
    client = login_as(learner)
    complete(client, "welcome")
    welcome = tree / "01-basics" / "01-first-steps" / "01-welcome.md"
    welcome.write_text(welcome.read_text().replace("Read this first.", "Please read this first."))
    lesson = page(client.get("/courses/basics/lessons/welcome"))
    assert "Please read this first." in lesson
    assert "You completed this lesson on" in lesson


def test_new_lesson_is_to_do_and_rename_changes_nothing(tree, app, make_user, login_as):
    learner = make_user(audience="councillor")
    client = login_as(learner)
    complete(client, "welcome")
    module = tree / "01-basics" / "01-first-steps"
    # Reorder by renaming: the id stays "welcome" because the prefix is not part of it.
    (module / "01-welcome.md").rename(module / "05-welcome.md")
    for linking in (module / "quiz.md", tree / "01-basics" / "02-going-further" / "01-next.md"):
        linking.write_text(linking.read_text().replace("01-welcome.md", "05-welcome.md"))
    (tree / "01-basics" / "02-going-further" / "02-extra.md").write_text(
        "---\ntitle: Extra reading\n---\n\nSomething new.\n"
    )
    course_page = page(client.get(COURSE))
    assert "Extra reading" in course_page
    assert "1 of 5 done" in course_page  # welcome still done; the new lesson is to do
    lesson = page(client.get("/courses/basics/lessons/welcome"))
    assert "You completed this lesson on" in lesson


def test_overdue_when_past_due_and_not_complete(app, make_user, login_as):
    learner = make_user(start_date=dt.date.today() - dt.timedelta(days=30))
    home = page(login_as(learner).get("/"))
    assert "Overdue" in home and "Was due" in home
    fresh = make_user(start_date=dt.date.today())
    home = page(login_as(fresh).get("/"))
    due = dt.date.today() + dt.timedelta(days=14)
    assert f"Due {due.day} {due:%B %Y}" in home


def test_draft_course_hidden_from_learners(app, make_user, login_as):
    client = login_as(make_user())
    assert "Drafty" not in page(client.get("/"))
    assert client.get("/courses/drafty/").status_code == 404


def test_my_record_downloads(app, make_user, login_as):
    learner = make_user()
    client = login_as(learner)
    complete(client, "welcome")
    complete(client, "rules", acknowledge=True)
    response = client.get("/my/record.csv")
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "Kind"
    kinds = sorted(r[0] for r in rows[1:])
    assert kinds == ["acknowledgement", "lesson"]
    data = json.loads(client.get("/my/record.json").get_data())
    assert data["person"]["email"] == learner.email
    assert {e["item_id"] for e in data["record"]} == {"welcome", "rules"}


def test_completion_needs_sign_in(app):
    response = app.test_client().post("/courses/basics/lessons/welcome/complete")
    assert response.status_code in (302, 401)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LessonCompletion)) == 0
