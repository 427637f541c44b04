"""What is typed in a lesson's reflection boxes is kept whichever button the learner presses.

"Mark as complete and continue" used to send only its own form, so a reflection typed
and never saved with its grey button was thrown away. Every box now belongs to the
lesson's one form: marking complete saves the boxes the learner changed (with the same
checks as saving one), and a box they left as the page showed it is never written, so
an empty box never wipes what they saved meanwhile. Each test presses the buttons of
the page as served, as a browser would (tests/courses/lesson_form.py).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from induction.extensions import db
from induction.progress.models import LessonCompletion, Reflection
from induction.progress.reflections import MAX_REFLECTION
from tests.courses.lesson_form import press, read_page
from tests.quizzes.pages import page, text_of

COMPLETE = "Mark as complete and continue"
SAVE = "Save your reflection"
LESSON = "/courses/reflecting/lessons/two-questions"
DONE_LESSON_AFTER = "/courses/reflecting/lessons/after"
FIRST = "reflection-first-thought-text"
SECOND = "reflection-second-thought-text"
STATEMENT = "acknowledge"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


@pytest.fixture
def app(app_factory, tmp_path):
    """A course whose first lesson has two reflection boxes and a statement to confirm."""
    root = tmp_path / "reflect-courses"
    course = root / "01-reflecting"
    write(
        course / "course.md",
        """
        ---
        title: Reflecting
        summary: Two questions to think about.
        ---

        A course for the tests of reflections.
        """,
    )
    write(
        course / "01-first" / "module.md",
        """
        ---
        title: What is our Co-operative Difference?
        summary: The first module.
        ---

        The first module.
        """,
    )
    write(
        course / "01-first" / "01-two-questions.md",
        """
        ---
        title: What is a co-operative council?
        acknowledge: I have read and understood this lesson.
        ---

        ## Start {#start}

        Some text.

        ::: reflection {#first-thought}
        What does your council do already?
        :::

        ::: reflection {#second-thought}
        What would you change?
        :::
        """,
    )
    write(
        course / "01-first" / "02-after.md",
        """
        ---
        title: After the questions
        ---

        ## After {#after}

        The end.
        """,
    )
    return app_factory(COURSES_DIR=str(root))


def saved(app, user_id: int) -> dict[str, str]:
    with app.app_context():
        rows = db.session.execute(
            select(Reflection.prompt_id, Reflection.text).where(Reflection.user_id == user_id)
        ).all()
        return {prompt_id: text for prompt_id, text in rows}


def completed(app, user_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(LessonCompletion.lesson_id).where(LessonCompletion.user_id == user_id)
            )
        )


def test_every_box_and_button_belongs_to_the_lessons_one_form(login_as):
    html = page(login_as().get(LESSON))
    found = read_page(html)
    assert found.actions["lesson-form"] == f"{LESSON}/complete"
    owned = found.fields_of("lesson-form")
    assert {FIRST, SECOND, STATEMENT} <= set(owned)
    assert found.button(COMPLETE).owner == "lesson-form"
    saves = [b for b in found.buttons if b.text == SAVE]
    assert [b.owner for b in saves] == ["lesson-form", "lesson-form"]
    assert [b.formaction for b in saves] == [
        f"{LESSON}/reflections/first-thought",
        f"{LESSON}/reflections/second-thought",
    ]
    # The hint under each box says that both buttons keep it.
    assert "It is saved when you press “Save your reflection” or “Mark as complete" in html


def test_marking_complete_saves_what_was_typed_in_each_box(app, login_as):
    client = login_as()
    html = page(client.get(LESSON))
    response = press(
        client,
        html,
        COMPLETE,
        typed={FIRST: "We co-produce\r\nour budget.", SECOND: "More listening."},
        tick=(STATEMENT,),
    )
    assert response.status_code == 302
    assert saved(app, client.user.id) == {
        "first-thought": "We co-produce\nour budget.",
        "second-thought": "More listening.",
    }
    assert completed(app, client.user.id) == ["two-questions"]
    text = text_of(page(client.get(response.headers["Location"])))
    assert (
        "Lesson complete: What is a co-operative council? "
        "Your reflections are saved. Only you can see them." in text
    )
    # Back on the lesson, the boxes show what was kept.
    again = page(client.get(LESSON))
    assert "We co-produce\nour budget.</textarea>" in again


def test_one_box_typed_and_one_left_empty(app, login_as):
    client = login_as()
    response = press(
        client, page(client.get(LESSON)), COMPLETE, typed={SECOND: "Only this."}, tick=(STATEMENT,)
    )
    assert response.status_code == 302
    assert saved(app, client.user.id) == {"second-thought": "Only this."}
    text = text_of(page(client.get(response.headers["Location"])))
    assert "Your reflection is saved. Only you can see it." in text


def test_an_empty_box_left_alone_does_not_wipe_a_reflection_saved_in_another_tab(app, login_as):
    client = login_as()
    old_tab = page(client.get(LESSON))  # both boxes empty
    new_tab = page(client.get(LESSON))
    press(client, new_tab, SAVE, typed={FIRST: "Saved in the other tab."}, nth=0)
    assert saved(app, client.user.id) == {"first-thought": "Saved in the other tab."}
    response = press(client, old_tab, COMPLETE, tick=(STATEMENT,))
    assert response.status_code == 302
    assert completed(app, client.user.id) == ["two-questions"]
    assert saved(app, client.user.id) == {"first-thought": "Saved in the other tab."}


def test_text_left_as_it_was_does_not_overwrite_a_newer_save(app, login_as):
    client = login_as()
    press(client, page(client.get(LESSON)), SAVE, typed={FIRST: "First version."}, nth=0)
    old_tab = page(client.get(LESSON))  # shows "First version."
    press(client, page(client.get(LESSON)), SAVE, typed={FIRST: "Second version."}, nth=0)
    press(client, old_tab, COMPLETE, tick=(STATEMENT,))
    assert saved(app, client.user.id) == {"first-thought": "Second version."}


def test_emptying_a_box_then_completing_clears_it(app, login_as):
    client = login_as()
    press(client, page(client.get(LESSON)), SAVE, typed={FIRST: "Changed my mind."}, nth=0)
    response = press(
        client, page(client.get(LESSON)), COMPLETE, typed={FIRST: "  "}, tick=(STATEMENT,)
    )
    assert response.status_code == 302
    assert saved(app, client.user.id) == {}
    text = text_of(page(client.get(response.headers["Location"])))
    assert "Lesson complete: What is a co-operative council? Your reflection is cleared." in text


def test_a_page_without_the_boxes_fields_changes_no_reflection(app, login_as):
    """A completion sent without any box (a page served before this change) keeps them all."""
    client = login_as()
    press(client, page(client.get(LESSON)), SAVE, typed={FIRST: "Kept."}, nth=0)
    response = client.post(f"{LESSON}/complete", data={STATEMENT: "y"})
    assert response.status_code == 302
    assert saved(app, client.user.id) == {"first-thought": "Kept."}


def test_too_long_a_reflection_stops_the_completion_and_stays_in_its_box(app, login_as):
    client = login_as()
    long_text = "x" * (MAX_REFLECTION + 1)
    response = press(
        client,
        page(client.get(LESSON)),
        COMPLETE,
        typed={FIRST: long_text, SECOND: "Fine."},
        tick=(STATEMENT,),
    )
    assert response.status_code == 400
    html = page(response)
    assert "There is a problem" in html
    assert f"the most it can hold is {MAX_REFLECTION:,}" in html
    assert f'href="#{FIRST}"' in html
    assert f"{long_text}</textarea>" in html
    assert "Fine.</textarea>" in html
    assert completed(app, client.user.id) == []
    assert saved(app, client.user.id) == {}
    # Shortened, the same page completes the lesson and keeps both boxes.
    response = press(client, html, COMPLETE, typed={FIRST: "Shorter."})
    assert response.status_code == 302
    assert completed(app, client.user.id) == ["two-questions"]
    assert saved(app, client.user.id) == {"first-thought": "Shorter.", "second-thought": "Fine."}


def test_a_control_character_stops_the_completion(app, login_as):
    client = login_as()
    response = press(
        client, page(client.get(LESSON)), COMPLETE, typed={FIRST: "bad\x00text"}, tick=(STATEMENT,)
    )
    assert response.status_code == 400
    assert completed(app, client.user.id) == []
    assert saved(app, client.user.id) == {}


def test_an_unticked_statement_keeps_the_typed_text_in_the_box(app, login_as):
    client = login_as()
    response = press(client, page(client.get(LESSON)), COMPLETE, typed={FIRST: "Not lost."})
    assert response.status_code == 400
    html = page(response)
    assert "Tick the statement to confirm it before you continue" in html
    assert "Not lost.</textarea>" in html
    assert saved(app, client.user.id) == {}
    # Ticked on the page sent back, the text typed before is kept with the completion.
    response = press(client, html, COMPLETE, tick=(STATEMENT,))
    assert response.status_code == 302
    assert saved(app, client.user.id) == {"first-thought": "Not lost."}


def test_saving_one_box_keeps_what_was_typed_in_the_other(app, login_as):
    client = login_as()
    response = press(
        client,
        page(client.get(LESSON)),
        SAVE,
        typed={FIRST: "Typed here.", SECOND: "And typed here."},
        nth=1,
    )
    assert response.status_code == 302
    assert saved(app, client.user.id) == {
        "first-thought": "Typed here.",
        "second-thought": "And typed here.",
    }
    assert completed(app, client.user.id) == []  # Save never marks the lesson complete


def test_the_continue_button_of_a_done_lesson_keeps_a_reflection_too(app, login_as):
    client = login_as()
    press(client, page(client.get(LESSON)), COMPLETE, tick=(STATEMENT,))
    done = page(client.get(LESSON))
    assert COMPLETE not in done
    response = press(client, done, "Continue: After the questions", typed={SECOND: "Later."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(DONE_LESSON_AFTER)
    assert saved(app, client.user.id) == {"second-thought": "Later."}
    text = text_of(page(client.get(response.headers["Location"])))
    assert "Your reflection is saved. Only you can see it." in text
    assert "already completed" not in text
    with app.app_context():
        assert db.session.query(LessonCompletion).count() == 1
    # Pressed with nothing changed, it just goes on, saying nothing.
    response = press(client, page(client.get(LESSON)), "Continue: After the questions")
    assert response.headers["Location"].endswith(DONE_LESSON_AFTER)
    assert "already completed" not in text_of(page(client.get(DONE_LESSON_AFTER)))


def test_a_lesson_without_reflections_keeps_a_plain_continue_link(login_as):
    client = login_as()
    client.post(f"{DONE_LESSON_AFTER}/complete")
    html = page(client.get(DONE_LESSON_AFTER))
    assert "lesson-form" not in html
    assert 'id="lesson-form"' not in html


def test_with_csrf_checks_on_the_pages_own_tokens_are_enough(app_factory, app, make_user):
    """The real token checks: pressing either button of the page as served works."""
    from tests.factories import sign_in

    checked = app_factory(COURSES_DIR=app.config["COURSES_DIR"], WTF_CSRF_ENABLED=True)
    user = make_user()
    client = checked.test_client()
    sign_in(client, user)
    html = page(client.get(LESSON))
    assert re.search(r'name="csrf_token"', html)
    response = press(client, html, SAVE, typed={FIRST: "With the page's tokens."}, nth=0)
    assert response.status_code == 302
    response = press(
        client, page(client.get(LESSON)), COMPLETE, typed={SECOND: "Both."}, tick=(STATEMENT,)
    )
    assert response.status_code == 302
    assert saved(checked, user.id) == {
        "first-thought": "With the page's tokens.",
        "second-thought": "Both.",
    }
    # Without a token nothing is recorded.
    refused = client.post(f"{DONE_LESSON_AFTER}/complete", data={})
    assert refused.status_code == 400


SAVED_NOTE = re.compile(
    r"Last saved \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} (GMT|BST)\. Only you can see it\."
)


def reflection_section(html: str, prompt_id: str) -> str:
    """Return the HTML of one reflection block of a lesson page."""
    match = re.search(
        rf'<section class="reflection" id="reflection-{prompt_id}".*?</section>', html, re.S
    )
    assert match, prompt_id
    return match.group(0)


def test_a_saved_reflection_says_so_beside_its_box(app, login_as):
    """Saving comes back to the box, far below the message at the top of the page: the box
    itself says when it was last saved, under its Save button."""
    client = login_as()
    html = page(client.get(LESSON))
    assert "Last saved" not in html
    response = press(client, html, SAVE, typed={SECOND: "Said beside it."}, nth=1)
    assert response.headers["Location"].endswith("#reflection-second-thought")
    html = page(client.get(response.headers["Location"]))
    second = reflection_section(html, "second-thought")
    assert SAVED_NOTE.search(text_of(second))
    assert second.index("Save your reflection") < second.index("Last saved")
    # A screen reader hears it with the box.
    assert re.search(r'aria-describedby="[^"]*reflection-second-thought-saved"', second)
    assert 'id="reflection-second-thought-saved"' in second
    # The box with nothing saved says nothing of the kind.
    assert "Last saved" not in reflection_section(html, "first-thought")


def test_a_cleared_reflection_no_longer_says_it_is_saved(app, login_as):
    client = login_as()
    press(client, page(client.get(LESSON)), SAVE, typed={FIRST: "For now."}, nth=0)
    assert SAVED_NOTE.search(text_of(reflection_section(page(client.get(LESSON)), "first-thought")))
    press(client, page(client.get(LESSON)), SAVE, typed={FIRST: ""}, nth=0)
    assert saved(app, client.user.id) == {}
    assert "Last saved" not in page(client.get(LESSON))
