"""The quiz builder's pages: open a quiz as a form, change it with buttons, save it to the draft."""

from __future__ import annotations

import html
import re

import pytest

from induction.content.document import parse_source
from induction.content.source import decode
from tests.authoring.conftest import BASICS, QUIZ, audit_events, publish_all, text_of
from tests.authoring.quiz_forms import as_data, form_pairs, set_field
from tests.factories import csrf_token_from

BUILDER = f"/admin/courses/{BASICS}/modules/01-first-steps/quiz-builder"
NEW = f"/admin/courses/{BASICS}/modules/02-going-further/quiz-builder"
DRAFT = f"/admin/courses/{BASICS}/draft"


def open_builder(client, url: str = BUILDER) -> list[tuple[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, text_of(response)
    return form_pairs(text_of(response))


def press(client, pairs, action: str, url: str = BUILDER):
    return client.post(url, data=as_data(pairs, action=action))


def draft_text(client, path: str) -> str | None:
    """Return a file's text as the draft holds it (what the builder opens)."""
    page = text_of(client.get(f"/admin/courses/{BASICS}/files/{path}"))
    match = re.search(r'<textarea[^>]*name="text"[^>]*>\r?\n(.*?)</textarea>', page, re.DOTALL)
    import html

    return html.unescape(match.group(1)) if match else None


def test_the_page_is_titled_by_the_module_and_shows_every_part(admin):
    page = text_of(admin.get(BUILDER))
    # Named by the course's title, not its folder's name (01-basics).
    assert "<title>Quiz: First steps – Basics –" in page
    assert "01-basics –" not in page.split("</title>", 1)[0]
    assert "<h1>Quiz: First steps</h1>" in page
    assert 'value="be-what"' in page and "Its id is <code>be-what</code>" in page
    # The first question's review link shows as the chosen lesson section, not in the text.
    assert (
        'value="02-rules.md#the-rules" selected' in page
        or 'selected value="02-rules.md#the-rules"' in page
    )
    assert "The rules ask you to be kind and on time.</textarea>" in page
    for words in (
        "One right answer",
        "Several right answers",
        "True or false",
        "Typed answer",
        "Scenario",
    ):
        assert words in page
    assert re.search(r'name="questions-3-answers"[^>]*>\s*Welcome</textarea>', page)


def test_saving_unchanged_changes_nothing(app, admin, tree):
    before = (tree / BASICS / QUIZ).read_bytes()
    response = press(admin, open_builder(admin), "save")
    assert response.status_code == 302
    assert "No changes to save." in text_of(admin.get(response.headers["Location"]))
    assert audit_events(app, "course_file.saved") == []
    assert (tree / BASICS / QUIZ).read_bytes() == before


def test_a_quiz_not_in_canonical_form_keeps_its_bytes_when_saved_unchanged(admin, tree):
    path = tree / BASICS / QUIZ
    odd = (
        "\ufeff---\r\ntitle:   Check your understanding   # the default\r\n---\r\n\r\n\r\n"
        "##   What should you be?   {#be-what   type=single}\r\n- [X] Kind\r\n"
        "    > Yes: the rules ask for kindness.\r\n- [ ] Late\r\n\r\n"
        ">   The rules ask you to be kind. Review [the rules](02-rules.md#the-rules).\r\n\r\n\r\n"
        "## What is the first lesson called? {#first-lesson type=text}\r\nanswer: Welcome\r\n"
    ).encode()
    path.write_bytes(odd)
    assert not parse_source(decode(odd), "quiz", "quiz.md").has_errors
    response = press(admin, open_builder(admin), "save")
    assert response.status_code == 302
    assert path.read_bytes() == odd
    assert "01-first-steps/quiz.md" not in text_of(admin.get(DRAFT))


def test_a_change_is_saved_to_the_draft_in_canonical_form_with_ids_kept(app, admin, tree):
    pairs = open_builder(admin)
    pairs = set_field(pairs, "questions-0-prompt", "What should every member be?")
    pairs = set_field(pairs, "questions-0-options-1-feedback", "Be on time.")
    pairs = set_field(pairs, "pass_mark", "75")
    response = press(admin, pairs, "save")
    assert response.status_code == 302, text_of(response)
    assert "Quiz saved in the draft." in text_of(admin.get(response.headers["Location"]))
    live = (tree / BASICS / QUIZ).read_text()
    assert "every member" not in live  # learners see nothing yet
    text = draft_text(admin, QUIZ)
    assert text is not None
    assert "## What should every member be? {#be-what}" in text
    assert "pass_mark: 75" in text
    assert "- [ ] Late\n  > Be on time.\n" in text
    assert (
        "> The rules ask you to be kind and on time. Review [the rules](02-rules.md#the-rules)."
        in text
    )
    [event] = audit_events(app, "course_file.saved")
    assert event.details["paths"] == [QUIZ]
    publish_all(admin)
    assert "## What should every member be? {#be-what}" in (tree / BASICS / QUIZ).read_text()


def test_a_new_quiz_is_built_with_buttons_and_created(app, admin, tree):
    page = text_of(admin.get(NEW))
    assert "<h1>Quiz: Going further</h1>" in page
    pairs = form_pairs(page)
    pairs = set_field(pairs, "questions-0-prompt", "What comes after the first module?")
    pairs = set_field(pairs, "questions-0-options-0-text", "The second module")
    pairs = set_field(pairs, "questions-0-options-0-is_correct", "y")
    pairs = set_field(pairs, "questions-0-options-1-text", "Nothing")
    added = press(admin, pairs, "add-question", NEW)
    assert added.status_code == 200
    pairs = form_pairs(text_of(added))
    pairs = set_field(pairs, "questions-1-prompt", "Name the next lesson")
    pairs = set_field(pairs, "questions-1-type", "text")
    retyped = press(admin, pairs, "retype-1", NEW)
    assert 'id="questions-1-answers"' in text_of(retyped)
    pairs = set_field(form_pairs(text_of(retyped)), "questions-1-answers", "Next\nThe next lesson")
    pairs = set_field(pairs, "questions-1-audiences", "officer")
    moved = press(admin, pairs, "up-1", NEW)
    pairs = form_pairs(text_of(moved))
    assert ("questions-0-prompt", "Name the next lesson") in pairs
    response = press(admin, pairs, "save", NEW)
    assert response.status_code == 302, text_of(response)
    text = draft_text(admin, "02-going-further/quiz.md")
    assert text == (
        "## Name the next lesson {#name-the-next-lesson type=text audiences=officer}\n\n"
        "Answer: Next\nAnswer: The next lesson\n\n"
        "## What comes after the first module? {#what-comes-after-the-first-module}\n\n"
        "- [x] The second module\n- [ ] Nothing\n"
    )
    [event] = audit_events(app, "course_file.created")
    assert event.details["paths"] == ["02-going-further/quiz.md"]
    # Reopened, the ids stay when the wording changes.
    pairs = set_field(open_builder(admin, NEW), "questions-1-prompt", "What follows module one?")
    assert press(admin, pairs, "save", NEW).status_code == 302
    assert "## What follows module one? {#what-comes-after-the-first-module}" in (
        draft_text(admin, "02-going-further/quiz.md") or ""
    )


def test_errors_point_at_their_fields_and_keep_what_was_typed(app, admin, tree):
    before = (tree / BASICS / QUIZ).read_bytes()
    pairs = open_builder(admin)
    pairs = [
        (n, v)
        for n, v in pairs
        if n != "questions-1-options-0-is_correct" and n != "questions-1-options-1-is_correct"
    ]
    pairs = set_field(pairs, "questions-0-options-1-text", "")
    pairs = set_field(pairs, "pass_mark", "eighty")
    response = press(admin, pairs, "save")
    page = text_of(response)
    assert response.status_code == 400
    assert "<title>Error: Quiz: First steps" in page
    assert (
        '<a href="#questions-1-options-0-is_correct">Question 2: tick at least one right answer</a>'
        in page
    )
    assert "Question 1, option 2: write the option&#39;s text" in page
    assert (
        '<a href="#pass_mark">Pass mark: write a whole number from 0 to 100, or leave it empty</a>'
        in page
    )
    assert 'id="pass_mark-error"' in page and 'value="eighty"' in page
    assert 'aria-invalid="true"' in page
    assert (tree / BASICS / QUIZ).read_bytes() == before
    assert audit_events(app, "course_file.saved") == []


def test_a_broken_link_from_the_course_check_is_put_on_its_question(admin, tree):
    pairs = open_builder(admin)
    pairs = set_field(pairs, "questions-2-explanation", "See [nowhere](09-missing.md).")
    response = press(admin, pairs, "save")
    page = text_of(response)
    assert response.status_code == 400
    assert '<a href="#questions-2-prompt">Question 3: ' in page
    assert "09-missing.md" in page


def test_check_reports_without_saving(admin, tree):
    response = press(admin, open_builder(admin), "check")
    assert response.status_code == 200
    assert "No problems found" in text_of(response)
    assert "01-first-steps/quiz.md" not in text_of(admin.get(DRAFT))


def test_a_quiz_with_errors_in_its_text_opens_in_the_text_editor_instead(admin, tree):
    path = tree / BASICS / QUIZ
    path.write_text(path.read_text().replace("{#be-what}", "{#be-what type=nonsense}"))
    page = text_of(admin.get(BUILDER))
    assert "cannot open this quiz" in page
    assert "unknown question type &#39;nonsense&#39;" in page
    assert f'href="/admin/courses/{BASICS}/files/{QUIZ}"' in page
    response = admin.post(BUILDER, data={"action": "save"})
    assert response.status_code == 409
    assert "type=nonsense" in path.read_text()


def test_someone_elses_save_is_not_overwritten_silently(admin, tree):
    pairs = open_builder(admin)
    path = tree / BASICS / QUIZ
    path.write_text(path.read_text().replace("What should you be?", "Their wording?"))
    response = press(admin, set_field(pairs, "questions-0-prompt", "My wording?"), "save")
    page = text_of(response)
    assert response.status_code == 409
    assert "Someone else saved this quiz" in page
    assert "Their wording?" in path.read_text()
    again = press(admin, form_pairs(page), "save")
    assert again.status_code == 302
    assert "My wording?" in (draft_text(admin, QUIZ) or "")


def test_unknown_modules_are_not_found(admin):
    assert admin.get(f"/admin/courses/{BASICS}/modules/nope/quiz-builder").status_code == 404
    assert admin.get("/admin/courses/nope/modules/01-first-steps/quiz-builder").status_code == 404


@pytest.mark.parametrize("role", ["learner", "manager"])
def test_only_admins_reach_the_builder(login_as, tree, role):
    client = login_as(role=role)
    assert client.get(BUILDER).status_code == 403
    assert client.post(BUILDER, data={"action": "save"}).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(BUILDER)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"] or "sign" in response.headers["Location"]


class TestWithCsrf:
    @pytest.fixture
    def app(self, app_factory, tree):
        return app_factory(COURSES_DIR=str(tree), WTF_CSRF_ENABLED=True)

    def test_every_button_needs_the_pages_token(self, admin, tree):
        page = text_of(admin.get(BUILDER))
        token = csrf_token_from(page)
        assert token
        pairs = set_field(form_pairs(page), "questions-0-prompt", "With a token?")
        refused = press(admin, [(n, v) for n, v in pairs if n != "csrf_token"], "save")
        assert refused.status_code == 400
        assert (
            press(
                admin, [(n, v) for n, v in pairs if n != "csrf_token"], "add-question"
            ).status_code
            == 400
        )
        assert press(admin, pairs, "add-question").status_code == 200
        assert press(admin, pairs, "save").status_code == 302
        assert "With a token?" in (draft_text(admin, QUIZ) or "")


def test_changing_a_quiz_people_have_taken_asks_first(app, admin, make_user, tree):
    from tests.authoring.test_impact import attempts

    attempts(app, make_user, 2)
    pairs = set_field(open_builder(admin), "questions-0-options-1-text", "Always late")
    asked = press(admin, pairs, "save")
    page = text_of(asked)
    assert asked.status_code == 200
    assert "Check who this change affects" in page
    assert "2 people have taken this quiz" in page
    assert "Save and confirm" in page
    # The warning holds the button that confirms: it belongs to the quiz's form.
    warning = page.split("Check who this change affects", 1)[1].split("</div>", 1)[0]
    assert (
        '<button type="submit" form="quiz-builder" name="action" value="save" class="button">'
        "Save and confirm</button>"
    ) in warning
    assert "01-first-steps/quiz.md" not in text_of(admin.get(DRAFT))
    confirmed = press(admin, form_pairs(page), "save")
    assert confirmed.status_code == 302
    assert "- [ ] Always late" in (draft_text(admin, QUIZ) or "")


def test_a_new_question_asked_to_confirm_keeps_the_id_it_was_given(app, admin, make_user, tree):
    from tests.authoring.test_impact import attempts

    attempts(app, make_user, 1)
    added = press(admin, open_builder(admin), "add-question")
    pairs = set_field(form_pairs(text_of(added)), "questions-4-prompt", "Is this new?")
    pairs = set_field(pairs, "questions-4-options-0-text", "Yes")
    pairs = set_field(pairs, "questions-4-options-0-is_correct", "y")
    pairs = set_field(pairs, "questions-4-options-1-text", "No")
    page = text_of(press(admin, pairs, "save"))
    assert 'name="questions-4-id" type="hidden" value="is-this-new"' in page
    assert press(admin, form_pairs(page), "save").status_code == 302
    assert "## Is this new? {#is-this-new}" in (draft_text(admin, QUIZ) or "")


def test_enter_in_a_box_checks_the_quiz_and_never_presses_remove(admin, tree):
    page = text_of(admin.get(BUILDER))
    form = page[page.index('id="quiz-builder"') :]
    # The browser's Enter presses the form's first submit button: a hidden "check".
    first = re.search(r"<button[^>]*>", form)
    assert first and 'value="check"' in first.group(0) and " hidden" in first.group(0)
    response = admin.post(BUILDER, data=as_data(form_pairs(page)))  # no button named
    assert response.status_code == 200
    assert "No problems found" in text_of(response)
    assert len(form_pairs(text_of(response))) == len(form_pairs(page))


# -- each question folded to its summary line -----------------------------------------------------

_FOLD = re.compile(
    r'<details class="qb-fold"(?P<open> open)?>\s*'
    r'<summary class="qb-summary">(?P<summary>.*?)</summary>',
    re.DOTALL,
)


def folds(page: str) -> list[tuple[bool, str]]:
    """Return each question's fold on the page: (shown open, its summary line's words)."""
    return [
        (
            bool(match.group("open")),
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group("summary"))).split()),
        )
        for match in _FOLD.finditer(page)
    ]


def test_each_question_is_folded_to_a_line_that_says_what_it_is(admin):
    page = text_of(admin.get(BUILDER))
    assert page.count("<details") == 4 == page.count('<li class="qb-question')
    assert folds(page) == [
        (False, "Question 1: What should you be? One right answer. 1 of 2 options marked right."),
        (
            False,
            "Question 2: Which of these do the rules ask for? "
            "Several right answers. 2 of 3 options marked right.",
        ),
        (False, "Question 3: The rules say be kind. True or false. True is right."),
        (False, "Question 4: What is the first lesson called? Typed answer. 1 accepted answer."),
    ]
    # Every field is still in the form, folded or not: nothing a browser sends is lost.
    assert 'name="questions-3-answers"' in page


def test_a_new_quiz_shows_its_blank_question_open(admin):
    assert folds(text_of(admin.get(NEW))) == [
        (True, "Question 1: not written yet One right answer. No options written yet.")
    ]


def test_a_question_with_a_problem_is_open_and_says_so(admin):
    pairs = [n_v for n_v in open_builder(admin) if n_v[0] != "questions-1-options-0-is_correct"]
    pairs = [n_v for n_v in pairs if n_v[0] != "questions-1-options-1-is_correct"]
    page = text_of(press(admin, pairs, "save"))
    shown = folds(page)
    assert [is_open for is_open, _ in shown] == [False, True, False, False]
    assert shown[1][1] == (
        "Question 2: Which of these do the rules ask for? Needs fixing "
        "Several right answers. 3 options, none marked right yet."
    )
    assert "Needs fixing" not in shown[0][1]
    assert 'class="qb-question qb-question--error" id="question-2"' in page


def test_a_problem_the_course_check_finds_opens_its_question(admin):
    pairs = set_field(
        open_builder(admin), "questions-2-explanation", "See [nowhere](09-missing.md)."
    )
    page = text_of(press(admin, pairs, "check"))
    assert [is_open for is_open, _ in folds(page)] == [False, False, True, False]


def test_the_question_a_button_acts_on_is_open_and_a_removal_leaves_all_closed(admin):
    added = text_of(press(admin, open_builder(admin), "add-question"))
    assert [is_open for is_open, _ in folds(added)] == [False] * 4 + [True]
    pairs = set_field(form_pairs(added), "questions-4-prompt", "Is this new?")
    with_option = text_of(press(admin, pairs, "add-option-1"))
    assert [is_open for is_open, _ in folds(with_option)] == [False, True, False, False, False]
    moved = text_of(press(admin, form_pairs(with_option), "up-3"))
    assert [is_open for is_open, _ in folds(moved)] == [False, False, True, False, False]
    assert folds(moved)[2][1].startswith("Question 3: What is the first lesson called?")
    removed = text_of(press(admin, form_pairs(moved), "remove-4"))
    assert [is_open for is_open, _ in folds(removed)] == [False] * 4


def test_question_text_options_and_explanations_are_boxes_of_several_lines(admin):
    page = text_of(admin.get(BUILDER))
    for name in (
        "questions-0-prompt",
        "questions-0-options-0-text",
        "questions-0-options-0-feedback",
        "questions-0-stem",
        "questions-0-explanation",
    ):
        assert re.search(rf'<textarea[^>]*name="{name}"', page), name
    assert not re.search(r'<input[^>]*name="questions-\d+-prompt"', page)
    # True or false keeps its two options as they are: not boxes to write in.
    assert (
        '<input type="hidden" id="questions-2-options-0-text" '
        'name="questions-2-options-0-text" value="True">' in page
    )


def test_line_breaks_typed_in_the_question_or_an_option_become_spaces(admin):
    pairs = set_field(open_builder(admin), "questions-0-prompt", "What should\r\n  you be?\r\n")
    pairs = set_field(pairs, "questions-0-options-1-text", "Late for\nevery meeting")
    response = press(admin, pairs, "save")
    assert response.status_code == 302, text_of(response)
    text = draft_text(admin, QUIZ) or ""
    assert "## What should you be? {#be-what}" in text
    assert "- [ ] Late for every meeting\n" in text
