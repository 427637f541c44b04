"""The draft page warns before a publish adds something to do to a module or course people
have completed (a new lesson, a new quiz, a new module), with the numbers, worked out by
the platform's own status rule."""

from __future__ import annotations

import html
import itertools
import re

import pytest

from induction.database import utcnow
from induction.extensions import db
from induction.progress.models import CourseCompletion, LessonCompletion
from induction.quizzes.models import QuizAttempt
from tests.authoring.conftest import BASICS, WELCOME, edit_url, open_editor, publish_all, text_of

BASE = f"/admin/courses/{BASICS}"
_keys = itertools.count()


def record(app, user, lessons=(), quiz=False, course=False) -> None:
    """Give `user` completions of `lessons` ((id, version)), a passed quiz of the first
    module and the course's completion, as the platform records them."""
    with app.app_context():
        for lesson_id, version in lessons:
            db.session.add(
                LessonCompletion(
                    user_id=user.id,
                    course_id="basics",
                    lesson_id=lesson_id,
                    lesson_version=version,
                    completed_at=utcnow(),
                )
            )
        if quiz:
            db.session.add(
                QuizAttempt(
                    user_id=user.id,
                    course_id="basics",
                    module_id="first-steps",
                    quiz_id="first-steps",
                    quiz_hash="any",
                    submit_key=f"additions-{next(_keys)}",
                    pass_mark=50,
                    questions=[],
                    right=1,
                    total=1,
                    is_passed=True,
                    submitted_at=utcnow(),
                )
            )
        if course:
            db.session.add(CourseCompletion(user_id=user.id, course_id="basics"))
        db.session.commit()


EVERYTHING = (("welcome", 1), ("rules", 2), ("next", 1))


@pytest.fixture
def people(app, make_user):
    """Two councillors who completed the course, one who completed only the second
    module, and one who has only started the first."""
    for _ in range(2):
        record(app, make_user(audience="councillor"), EVERYTHING, quiz=True, course=True)
    record(app, make_user(audience="councillor"), [("next", 1)])
    record(app, make_user(audience="councillor"), [("welcome", 1)])


def new_lesson(admin, module="02-going-further", title="Meeting other councils", extra=""):
    response = admin.post(
        f"{BASE}/modules/{module}/new-lesson",
        data={
            "title": title,
            "body": "## Councils {#councils}\n\nWho we meet.\n",
            **extra_fields(extra),
        },
    )
    assert response.status_code == 302, text_of(response)


def extra_fields(extra: str) -> dict:
    fields = {"save": "Create the lesson", "audiences": ["councillor", "officer", "affiliate"]}
    if extra == "officers":
        fields["audiences"] = ["officer"]
    return fields


def warning(page: str) -> str:
    """Return the words of the draft page's warning about what a publish adds ("" if none)."""
    match = re.search(r'<div class="notice notice--warning" id="adds-work">(.*?)</div>', page, re.S)
    if not match:
        return ""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip())


def test_a_new_lesson_says_who_completed_its_module_and_the_course(app, admin, people):
    new_lesson(admin)
    said = warning(text_of(admin.get(f"{BASE}/draft")))
    assert said == (
        "Publishing adds the lesson “Meeting other councils” to “Going further”. "
        "The 3 people who completed that module will need to read it: until they do, their "
        "module shows as not complete, and the 2 who completed the course show as "
        "“Update to read”."
    )
    # The numbers are what the reports show once it is published.
    publish_all(admin, note="A new lesson")
    network = text_of(admin.get("/reports/network.csv"))
    assert network  # the report still draws; the statuses are the rule's own
    from induction.catalogue import get_catalogue
    from induction.progress.status_query import (
        COMPLETE,
        UPDATE_TO_READ,
        CourseReport,
        people_select,
    )

    with app.test_request_context():
        course = get_catalogue().published().course("basics")
        ps = CourseReport(course, people_select(), utcnow().date()).person_status
        statuses = [row.status for row in db.session.execute(db.select(ps.c.status))]
    assert statuses.count(UPDATE_TO_READ) == 2 and COMPLETE not in statuses


def test_a_lesson_for_some_audiences_counts_only_them(app, admin, people, make_user):
    record(app, make_user(audience="officer"), [("next", 1)])
    new_lesson(admin, title="Officers meet councils", extra="officers")
    said = warning(text_of(admin.get(f"{BASE}/draft")))
    assert said.startswith(
        "Publishing adds the lesson “Officers meet councils” (for officers) to “Going further”. "
        "The one person who completed that module will need to read it: until they do, their "
        "module shows as not complete."
    )


def test_a_new_quiz_says_pass_it(app, admin, people):
    quiz = "## Where next? {#where-next}\n\n- [x] On\n- [ ] Back\n"
    response = admin.post(
        f"{BASE}/modules/02-going-further/new-quiz",
        data={"text": f"---\ntitle: Check\n---\n\n{quiz}", "save": "Create the quiz"},
    )
    assert response.status_code == 302, text_of(response)
    said = warning(text_of(admin.get(f"{BASE}/draft")))
    assert "Publishing adds a quiz to “Going further”." in said
    assert "will need to pass the quiz" in said


def test_nobody_completed_the_module_says_nothing_changes(admin):
    new_lesson(admin)
    said = warning(text_of(admin.get(f"{BASE}/draft")))
    assert said == (
        "Publishing adds the lesson “Meeting other councils” to “Going further”. "
        "Nobody's progress changes: none of the people it is for has completed that module yet."
    )


def test_a_typo_fix_adds_nothing_to_do(admin, people):
    text, base = open_editor(admin, WELCOME)
    response = admin.post(
        edit_url(WELCOME),
        data={
            "text": text.replace("Read this first.", "Read this frist."),
            "base_hash": base,
            "save": "Save",
        },
    )
    assert response.status_code == 302
    page = text_of(admin.get(f"{BASE}/draft"))
    assert "Read this frist." in page and 'id="adds-work"' not in page


def test_a_course_learners_cannot_see_warns_of_nothing(app, admin, people):
    response = admin.post(
        "/admin/courses/02-drafty/modules/01-only/new-lesson",
        data={"title": "Another", "body": "## More {#more}\n\nText.\n"} | extra_fields(""),
    )
    assert response.status_code == 302, text_of(response)
    page = text_of(admin.get("/admin/courses/02-drafty/draft"))
    assert "Another" in page and 'id="adds-work"' not in page


def test_the_warning_costs_the_same_queries_whatever_the_number_of_people(
    app, admin, make_user, count_queries
):
    new_lesson(admin)

    def queries() -> int:
        with count_queries() as counter:
            assert admin.get(f"{BASE}/draft").status_code == 200
        return counter.count

    record(app, make_user(audience="councillor"), EVERYTHING, quiz=True, course=True)
    queries()  # once for what is read only on the first request
    few = queries()
    for _ in range(8):
        record(app, make_user(audience="officer"), EVERYTHING, quiz=True, course=True)
    assert queries() == few


OFFICERS_ONLY = "01-first-steps/03-officers-only.md"
GOING_FURTHER = "02-going-further/module.md"


def save_text(admin, path: str, old: str, new: str) -> None:
    """Change `old` to `new` in the draft of the file `path`, in the text editor."""
    text, base = open_editor(admin, path)
    assert old in text
    response = admin.post(
        edit_url(path),
        data={"text": text.replace(old, new), "base_hash": base, "save": "Save"},
    )
    assert response.status_code == 302, text_of(response)


def test_a_lesson_opened_to_more_people_warns_like_a_new_one(admin, people):
    save_text(admin, OFFICERS_ONLY, "audiences: [officer]", "audiences: [officer, councillor]")
    said = warning(text_of(admin.get(f"{BASE}/draft")))
    assert said == (
        "Publishing makes the lesson “For officers” in “First steps” open to councillors too. "
        "The 2 people who completed that module will need to read it: until they do, their "
        "module shows as not complete, and the 2 who completed the course show as "
        "“Update to read”."
    )


def test_a_lesson_opened_to_an_audience_nobody_of_has_completed_changes_nothing(
    app, admin, make_user
):
    record(app, make_user(audience="officer"), EVERYTHING, quiz=True, course=True)
    save_text(admin, OFFICERS_ONLY, "audiences: [officer]", "audiences: [officer, affiliate]")
    said = warning(text_of(admin.get(f"{BASE}/draft")))
    assert said.startswith(
        "Publishing makes the lesson “For officers” in “First steps” open to affiliates too. "
        "Nobody's progress changes"
    )


def test_a_lesson_narrowed_warns_of_nothing(admin, people):
    save_text(admin, OFFICERS_ONLY, "audiences: [officer]", "audiences: [officer]\nminutes: 3")
    assert warning(text_of(admin.get(f"{BASE}/draft"))) == ""


def test_a_module_opened_to_more_people_warns_those_who_completed_the_course(
    app, admin, people, make_user
):
    save_text(
        admin,
        GOING_FURTHER,
        "summary: What comes next.",
        "summary: What comes next.\naudiences: [officer]",
    )
    publish_all(admin, note="Only for officers")
    # A councillor who completed the course without "What comes next", not for them then;
    # the councillors of `people` read it, so opening the module to them asks nothing new.
    record(app, make_user(audience="councillor"), EVERYTHING[:2], quiz=True, course=True)
    save_text(admin, GOING_FURTHER, "audiences: [officer]\n", "")
    said = warning(text_of(admin.get(f"{BASE}/draft")))
    assert said == (
        "Publishing makes the module “Going further” open to councillors and affiliates too. "
        "The one person who completed the course will need to complete the module: until they "
        "do, their course shows as “Update to read”."
    )
