"""What comes after a lesson: one rule for its Continue button and for marking it complete.

Marking a lesson complete in module 2 used to send the learner back to the first thing
not done in the whole course (module 1's quiz). It now goes on from the lesson, to the
first thing after it still to do (the same place its Continue button goes once it is
done), and says with a link what is still to do earlier. Messages never put a full stop
after a title that ends with its own punctuation.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap

import pytest

from induction.content.outline import course_steps
from induction.progress.status import Record, course_progress, step_after, steps_to_do_before
from induction.progress.wording import (
    completion_messages,
    end_sentence,
    ends_a_sentence,
    lesson_message,
    still_to_do,
)
from tests.progress.test_learning import pass_quiz
from tests.quizzes.pages import page, text_of

BASICS = "/courses/basics"


@pytest.fixture
def app(app_factory, tree):
    """Basics with a second lesson in module 2 and a module 3 whose titles end in "?"."""
    going_further = tree / "01-basics" / "02-going-further"
    (going_further / "02-more.md").write_text(
        "---\ntitle: More to read\n---\n\n## More {#more}\n\nMore text.\n", encoding="utf-8"
    )
    last = tree / "01-basics" / "03-last"
    last.mkdir()
    (last / "module.md").write_text(
        "---\ntitle: What now?\nsummary: The last module.\n---\n\nThe last module.\n",
        encoding="utf-8",
    )
    (last / "01-end.md").write_text(
        textwrap.dedent(
            """\
            ---
            title: Is this the end?
            ---

            ## The end {#the-end}

            It is.
            """
        ),
        encoding="utf-8",
    )
    return app_factory(COURSES_DIR=str(tree))


def complete(client, lesson_id: str, acknowledge: bool = False):
    data = {"acknowledge": "y"} if acknowledge else {}
    return client.post(f"{BASICS}/lessons/{lesson_id}/complete", data=data)


def location(response) -> str:
    assert response.status_code == 302, response.status_code
    return response.headers["Location"]


def flashes(client, response) -> str:
    return text_of(page(client.get(location(response))))


def test_completing_a_lesson_in_module_2_stays_in_module_2(app, login_as, make_user):
    """The reported case: module 1 unfinished, a lesson of module 2 marked complete."""
    client = login_as(make_user(audience="councillor"))
    response = complete(client, "next")
    assert location(response).endswith(f"{BASICS}/lessons/more")  # not module 1's welcome
    followed = client.get(location(response))
    html = page(followed)
    assert "Lesson complete: What comes next." in text_of(html)
    assert re.search(
        r"You still have 3 items to do in module 1 \(First steps\), starting with "
        rf'<a href="{BASICS}/lessons/welcome">Welcome</a>\.',
        html,
    )
    # Then module 2's last lesson goes on to module 3, not back to module 1.
    assert location(complete(client, "more")).endswith(f"{BASICS}/lessons/end")


def test_completing_goes_where_the_lessons_own_continue_button_goes(app, login_as, make_user):
    learner = make_user(audience="councillor")
    client = login_as(learner)
    complete(client, "welcome")
    pass_quiz(app, learner.id)
    complete(client, "next")
    # "rules" is the one thing left in module 1; after it, the quiz is passed and "next"
    # is done, so what comes next is "more", the first thing after it still to do.
    went = location(complete(client, "rules", acknowledge=True))
    assert went.endswith(f"{BASICS}/lessons/more")
    lesson = page(client.get(f"{BASICS}/lessons/rules"))
    assert re.search(rf'<a class="button" href="{went}">Continue: More to read</a>', lesson)
    # The pager still offers the very next step, done or not.
    assert re.search(r'href="[^"]*/modules/first-steps/quiz" rel="next"', lesson)


def test_a_quiz_still_to_do_is_named_and_linked(app, login_as, make_user):
    learner = make_user(audience="councillor")
    client = login_as(learner)
    complete(client, "welcome")
    response = complete(client, "next")
    html = page(client.get(location(response)))
    assert re.search(
        r"You still have 2 items to do in module 1 \(First steps\), starting with "
        rf'<a href="{BASICS}/lessons/rules">The rules</a>\.',
        html,
    )
    complete(client, "rules", acknowledge=True)
    response = complete(client, "more")
    html = page(client.get(location(response)))
    assert re.search(
        r"You still have 1 item to do in module 1 \(First steps\): "
        rf'<a href="{BASICS}/modules/first-steps/quiz">Quiz: First steps</a>\.',
        html,
    )


def test_several_modules_still_to_do_are_named_by_number(app, login_as, make_user):
    client = login_as(make_user(audience="councillor"))
    response = complete(client, "end")  # the last step of the course
    assert location(response).endswith(f"{BASICS}/")  # after the last step: the course page
    html = page(client.get(location(response)))
    assert re.search(
        r"You still have 5 items to do in modules 1 and 2, starting with "
        rf'<a href="{BASICS}/lessons/welcome">Welcome</a>\.',
        html,
    )


def test_nothing_earlier_to_do_says_nothing_about_it(app, login_as, make_user):
    client = login_as(make_user(audience="councillor"))
    response = complete(client, "welcome")
    assert location(response).endswith(f"{BASICS}/lessons/rules")
    assert "You still have" not in flashes(client, response)


def test_titles_ending_in_a_question_mark_get_no_full_stop(app, login_as, make_user):
    learner = make_user(audience="councillor")
    client = login_as(learner)
    for lesson_id in ("welcome", "next", "more"):
        flashes(client, complete(client, lesson_id))  # read, as the learner would
    flashes(client, complete(client, "rules", acknowledge=True))
    pass_quiz(app, learner.id)
    response = complete(client, "end")
    text = flashes(client, response)
    assert "You have completed Basics" in text  # the certificate box says it
    assert "?." not in text


def test_the_last_lesson_of_a_module_says_only_module_complete(app, login_as, make_user):
    learner = make_user(audience="councillor")
    client = login_as(learner)
    response = complete(client, "end")  # module 3 is complete; modules 1 and 2 are not
    text = flashes(client, response)
    assert "Module complete: What now? " in text
    assert "Lesson complete" not in text
    assert "Course complete" not in text


def test_the_certificate_box_alone_says_the_course_is_complete(app, login_as, make_user):
    learner = make_user(audience="councillor")
    client = login_as(learner)
    for lesson_id in ("welcome", "next", "more"):
        flashes(client, complete(client, lesson_id))
    flashes(client, complete(client, "rules", acknowledge=True))
    pass_quiz(app, learner.id)
    response = complete(client, "end")
    assert location(response).endswith(f"{BASICS}/")
    text = flashes(client, response)
    assert "You have completed Basics" in text  # the box, with the certificate
    assert "Course complete" not in text
    assert "Module complete" not in text
    assert "Lesson complete" not in text


def test_a_course_finished_away_from_its_page_says_only_course_complete(app, login_as, make_user):
    learner = make_user(audience="councillor")
    client = login_as(learner)
    for lesson_id in ("end", "next", "more"):
        flashes(client, complete(client, lesson_id))
    pass_quiz(app, learner.id)
    flashes(client, complete(client, "rules", acknowledge=True))
    response = complete(client, "welcome")  # the course's last step to do, its first lesson
    assert location(response).endswith(f"{BASICS}/lessons/rules")
    text = flashes(client, response)
    assert "Course complete: Basics." in text
    assert "Module complete" not in text
    assert "Lesson complete" not in text


def test_a_course_without_a_certificate_says_course_complete_once(app, tree, login_as, make_user):
    course_md = tree / "01-basics" / "course.md"
    text = course_md.read_text(encoding="utf-8")
    course_md.write_text(text.replace("due_days: 14", "due_days: 14\ncertificate: false"))
    learner = make_user(audience="councillor")
    client = login_as(learner)
    for lesson_id in ("welcome", "next", "more"):
        flashes(client, complete(client, lesson_id))
    flashes(client, complete(client, "rules", acknowledge=True))
    pass_quiz(app, learner.id)
    text = flashes(client, complete(client, "end"))
    assert text.count("Course complete: Basics.") == 1
    assert "Module complete" not in text
    assert "Lesson complete" not in text


# The pure rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What is a co-operative council?", "What is a co-operative council?"),
        ("Lesson complete: Basics", "Lesson complete: Basics."),
        ("Stop!", "Stop!"),
        ("Etc.", "Etc."),
        ("And so on…", "And so on…"),
        ("She asked “Why?”", "She asked “Why?”"),
        ("(A note.)", "(A note.)"),
        ("Ends with a space? ", "Ends with a space?"),
        ("A quote “here”", "A quote “here”."),
    ],
)
def test_end_sentence(text: str, expected: str) -> None:
    assert end_sentence(text) == expected
    assert ends_a_sentence(expected)


def test_the_messages_use_the_one_rule(app) -> None:
    with app.app_context():
        from induction.catalogue import get_catalogue

        course = get_catalogue().course("basics")
    assert course is not None
    assert completion_messages(course, ["module:last", "course", "renewal"]) == [
        "Module complete: What now?",
        "Course complete: Basics.",
    ]
    assert lesson_message("Why?", True) == "Lesson complete: Why?"
    assert lesson_message("Why?", True, "Your reflection is saved.") == (
        "Lesson complete: Why? Your reflection is saved."
    )
    assert lesson_message("Why?", False) == (
        "You had already completed this lesson; nothing has changed."
    )
    link = still_to_do([(2, "What now?", 1)], "Is it?", "/x?a=1&b=<2>")
    assert str(link) == (
        "You still have 1 item to do in module 2 (What now?): "
        '<a href="/x?a=1&amp;b=&lt;2&gt;">Is it?</a>'
    )


def test_step_after_skips_what_is_done_and_never_goes_back(app) -> None:
    with app.app_context():
        from induction.catalogue import get_catalogue

        course = get_catalogue().course("basics")
    assert course is not None
    steps = course_steps(course, "councillor")
    assert [s.key for s in steps] == [
        "welcome",
        "rules",
        "quiz:first-steps",
        "next",
        "more",
        "end",
    ]
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def progress(*read: str):
        record = Record(
            lesson_versions={lesson: 9 for lesson in read},
            lesson_completed_at={lesson: now for lesson in read},
        )
        return course_progress(course, "councillor", record, None, now.date())

    nothing = progress()
    assert step_after(nothing, steps, "next").key == "more"
    assert [s.key for s in steps_to_do_before(nothing, steps, "next")] == [
        "welcome",
        "rules",
        "quiz:first-steps",
    ]
    # Done steps after it are skipped...
    assert step_after(progress("next", "more"), steps, "rules").key == "quiz:first-steps"
    assert step_after(progress("rules", "next"), steps, "welcome").key == "quiz:first-steps"
    # ...unless everything after it is done: then the step straight after it.
    assert step_after(progress("next", "more", "end"), steps, "welcome").key == "rules"
    assert step_after(nothing, steps, "end") is None
    assert step_after(nothing, steps, "not-a-lesson") is None
    assert steps_to_do_before(nothing, steps, "welcome") == ()


@pytest.mark.parametrize(("title", "after"), [("Why join?", "Why join?"), ("Values", "Values.")])
def test_templates_end_a_sentence_after_a_title_by_the_same_rule(app, title, after) -> None:
    template = app.jinja_env.from_string("{{ t }}{% if t is not punctuated %}.{% endif %}")
    assert template.render(t=title) == after


def test_the_next_link_says_the_lesson_stays_to_do_until_it_is_marked(app, login_as):
    """Reading on with Next does not mark a lesson complete: the link says so, in words,
    until the lesson is marked complete."""
    client = login_as()
    stays = "Without marking this lesson complete: it stays “To do”."

    def next_link(html: str) -> str:
        found = re.search(r'<a href="[^"]*" rel="next">(.*?)</a>', html, re.S)
        assert found, "no Next link"
        return text_of(found.group(1))

    lesson = page(client.get(f"{BASICS}/lessons/welcome"))
    assert next_link(lesson) == f"Next The rules {stays}"
    assert client.post(f"{BASICS}/lessons/welcome/complete").status_code == 302
    lesson = page(client.get(f"{BASICS}/lessons/welcome"))
    assert next_link(lesson) == "Next The rules"


def test_my_learning_names_the_quiz_by_its_module_not_its_common_title(app, login_as, make_user):
    """Quizzes are often all "Check your understanding": the button says whose quiz."""
    client = login_as(make_user(audience="councillor"))
    complete(client, "welcome")
    response = complete(client, "rules", acknowledge=True)  # its quiz comes next
    assert location(response).endswith(f"{BASICS}/modules/first-steps/quiz")
    lesson_page = page(client.get(f"{BASICS}/lessons/rules"))
    assert f'href="{BASICS}/modules/first-steps/quiz">Continue: Quiz: First steps</a>' in (
        lesson_page
    )
    learning = text_of(page(client.get("/")))
    assert "Continue Basics : Quiz: First steps" in learning
    assert "Check your understanding" not in learning
