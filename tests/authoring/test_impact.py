"""Impact before saving: raising a lesson's version or changing a quiz says whom it affects."""

from __future__ import annotations

import itertools

from induction.admin.course_files.impact import completed_between, quiz_takers
from induction.database import utcnow
from induction.extensions import db
from induction.progress.models import LessonCompletion
from induction.quizzes.models import QuizAttempt
from tests.authoring.conftest import (
    BASICS,
    QUIZ,
    RULES,
    audit_events,
    edit_url,
    hidden,
    open_editor,
    publish_all,
    text_of,
)

_keys = itertools.count()


def completions(app, make_user, lesson_id: str, versions: list[int]) -> None:
    with app.app_context():
        for version in versions:
            user = make_user()
            db.session.add(
                LessonCompletion(
                    user_id=user.id,
                    course_id="basics",
                    lesson_id=lesson_id,
                    lesson_version=version,
                    completed_at=utcnow(),
                )
            )
        db.session.commit()


def attempts(app, make_user, count: int, submitted: bool = True) -> None:
    with app.app_context():
        for _ in range(count):
            user = make_user()
            # Two attempts each (people are counted once); open ones on two old versions,
            # as a person has at most one open attempt per version.
            for version in ("old", "older"):
                db.session.add(
                    QuizAttempt(
                        user_id=user.id,
                        course_id="basics",
                        module_id="first-steps",
                        quiz_id="first-steps",
                        quiz_hash=version,
                        submit_key=f"impact-{next(_keys)}",
                        pass_mark=50,
                        questions=[],
                        submitted_at=utcnow() if submitted else None,
                    )
                )
        db.session.commit()


def post(client, path, text, base, token="", button="save"):
    return client.post(
        edit_url(path),
        data={"text": text, "base_hash": base, "confirm_token": token, button: "Save"},
    )


def test_raising_a_version_asks_for_confirmation_with_the_count(app, admin, make_user, tree):
    # Three people read version 2 (one of them also version 1); one only read version 1.
    completions(app, make_user, "rules", [2, 2, 1])
    with app.app_context():
        first = db.session.scalars(db.select(LessonCompletion.user_id)).first()
        db.session.add(
            LessonCompletion(user_id=first, course_id="basics", lesson_id="rules", lesson_version=1)
        )
        db.session.commit()
    path = tree / BASICS / RULES
    before = path.read_bytes()
    text, base = open_editor(admin, RULES)
    bumped = text.replace("version: 2", "version: 3").replace("Be kind.", "Be very kind.")
    response = post(admin, RULES, bumped, base)
    page = text_of(response)
    assert response.status_code == 200
    assert "2 people completed version 2 of this lesson and will be asked to read it again." in page
    assert "Save and confirm" in page
    assert path.read_bytes() == before  # nothing written yet
    token = hidden(page, "confirm_token")
    assert token
    confirmed = post(admin, RULES, bumped, base, token)
    assert confirmed.status_code == 302
    publish_all(admin, learner_note="Be very kind now")
    assert "version: 3" in path.read_text()
    [event] = audit_events(app, "course_file.saved")
    assert event.details["impacts"] == [
        "2 people completed version 2 of this lesson and will be asked to read it again."
    ]


def test_a_confirmation_holds_for_that_text_only(app, admin, make_user, tree):
    completions(app, make_user, "rules", [2])
    text, base = open_editor(admin, RULES)
    bumped = text.replace("version: 2", "version: 3")
    token = hidden(text_of(post(admin, RULES, bumped, base)), "confirm_token")
    changed_again = bumped.replace("Be kind.", "Be kinder.")
    response = post(admin, RULES, changed_again, base, token)
    assert response.status_code == 200
    assert "1 person completed version 2" in text_of(response)
    assert "version: 2" in (tree / BASICS / RULES).read_text()


def test_a_typo_fix_without_a_new_version_asks_nothing(app, admin, make_user, tree):
    completions(app, make_user, "rules", [2, 2])
    text, base = open_editor(admin, RULES)
    response = post(admin, RULES, text.replace("Be on time.", "Be on time!"), base)
    assert response.status_code == 302


def test_a_new_version_nobody_has_read_saves_at_once(admin, tree):
    text, base = open_editor(admin, RULES)
    response = post(admin, RULES, text.replace("version: 2", "version: 3"), base)
    assert response.status_code == 302


def test_changing_a_quiz_says_how_many_have_taken_it(app, admin, make_user, tree):
    attempts(app, make_user, 3)
    attempts(app, make_user, 2, submitted=False)  # started, never submitted: not counted
    text, base = open_editor(admin, QUIZ)
    changed = text.replace("- [ ] Late", "- [ ] Always late")
    response = post(admin, QUIZ, changed, base)
    page = text_of(response)
    assert response.status_code == 200
    assert (
        "3 people have taken this quiz; their results stand, new attempts use the new version."
        in page
    )
    assert "Always late" not in (tree / BASICS / QUIZ).read_text()
    confirmed = post(admin, QUIZ, changed, base, hidden(page, "confirm_token"))
    assert confirmed.status_code == 302
    publish_all(admin)
    assert "Always late" in (tree / BASICS / QUIZ).read_text()


def test_each_count_is_one_aggregate_query(app, make_user, count_queries):
    completions(app, make_user, "rules", [1, 2, 2, 2, 3])
    attempts(app, make_user, 4)
    with app.app_context(), count_queries() as counted:
        assert completed_between("basics", "rules", 2, 3) == 3
        assert quiz_takers("basics", "first-steps") == 4
    selects = [s for s in counted.statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2, counted.statements
    assert all("count(" in s.lower() for s in selects)


def test_the_delete_page_says_whose_records_stay(app, admin, make_user):
    completions(app, make_user, "officers-only", [1, 1])
    page = text_of(admin.get(f"/admin/courses/{BASICS}/delete/01-first-steps/03-officers-only.md"))
    assert "2 people completed the lesson “For officers”" in page  # by its title
    assert "Their records are kept" in page


def test_deleting_a_lesson_that_cannot_be_read_still_counts_its_readers(app, tree, make_user):
    from induction.admin.course_files.impact import delete_impacts
    from induction.admin.course_files.paths import CourseFolder

    completions(app, make_user, "officers-only", [1])
    lesson = tree / BASICS / "01-first-steps" / "03-officers-only.md"
    lesson.write_bytes(b"\xff\xfe not UTF-8 \xff")
    with app.app_context():
        impacts = delete_impacts(CourseFolder(tree, BASICS), "01-first-steps/03-officers-only.md")
    assert [impact.count for impact in impacts] == [1]
