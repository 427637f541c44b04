"""GIFT import: each construct converted or reported with its line; the result passes the check."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from induction.content.document import parse_source, structure
from induction.content.gift import convert_gift
from induction.content.source import from_text
from tests.authoring.conftest import BASICS, audit_events, publish_all, text_of
from tests.conftest import TESTS_DIR

GIFT = TESTS_DIR / "fixtures" / "gift"
FIXTURES = sorted(GIFT.glob("*.gift"))


def convert(name: str, taken=()):
    return convert_gift((GIFT / name).read_text(encoding="utf-8"), taken)


def by_id(result):
    return {q.id: q for q in result.questions}


def notes(result):
    return [(n.line, n.question, n.is_skipped, n.message) for n in result.notes]


def test_multiple_choice_with_feedback_and_general_feedback():
    result = convert("multiple_choice.gift")
    questions = by_id(result)
    budget = questions["budget-owner"]
    assert budget.type == "single" and not budget.type_declared
    assert budget.prompt == "Which body oversees the Network's budget?"
    assert [(o.text, o.is_correct) for o in budget.options] == [
        ("The Values and Principles Board", False),
        ("The Executive Oversight Committee", True),
        ("The Local Government Association", False),
    ]
    assert budget.options[0].feedback == "The Board looks after values and principles, not money."
    assert budget.options[1].feedback == "Right: it allocates spend."
    assert budget.explanation == (
        "The Executive Oversight Committee allocates spend and signs off the accounts."
    )
    # No title: the id comes from the text, cut at a word.
    assert "which-city-hosted-the-first-co-operative-council" in questions
    penalty = questions["penalty"]
    assert [o.is_correct for o in penalty.options] == [True, False, False]
    assert (
        12,
        "Penalty",
        False,
        "negative weights dropped: a wrong answer scores 0, it takes nothing away",
    ) in notes(result)


def test_multiple_answer_with_equal_weights_is_flattened_and_others_are_reported():
    result = convert("multiple_answer.gift")
    questions = by_id(result)
    duties = questions["eoc-duties"]
    assert duties.type == "multiple"
    assert [o.is_correct for o in duties.options] == [True, True, False]
    one = questions["one-right-box"]
    assert one.type == "multiple" and one.type_declared  # checkboxes, one right
    found = notes(result)
    assert any(line == 3 and "flattened" in message for line, _, _, message in found)
    assert not any(q == "One right box" for _, q, _, _ in found)  # 100/0: nothing lost
    assert (14, "Unequal weights", True) in [(a, b, c) for a, b, c, _ in found]
    assert (20, "No right answer", True) in [(a, b, c) for a, b, c, _ in found]
    assert set(questions) == {"eoc-duties", "one-right-box"}


def test_true_false_in_every_spelling_with_feedback():
    result = convert("true_false.gift")
    questions = by_id(result)
    assert {q.type for q in result.questions} == {"truefalse"}
    assert [o.is_correct for o in questions["dps-end"].options] == [True, False]
    assert [o.is_correct for o in questions["values"].options] == [True, False]
    assert [o.is_correct for o in questions["affiliates-vote"].options] == [False, True]
    founded = questions["founded"]
    assert [o.is_correct for o in founded.options] == [False, True]
    # GIFT: the first feedback is for a wrong answer, the second for the right one.
    assert founded.options[0].feedback == "No: it was founded in 2012."
    assert founded.options[1].feedback == "Right: it was founded in 2012."
    assert questions["values"].explanation == "The values are set out in the CCIN statement."


def test_short_answer_with_notes_for_what_text_questions_lack():
    result = convert("short_answer.gift")
    questions = by_id(result)
    name = questions["dps-name"]
    assert name.type == "text"
    assert name.answers == ("Dynamic Purchasing System", "DPS")
    assert name.explanation.startswith("It is a fully electronic")
    found = notes(result)
    assert any(
        line == 3 and "feedback for the answer 'DPS' dropped" in m for line, _, _, m in found
    )
    assert any(q == "Wildcard" and "matched as a star" in m for _, q, _, m in found)
    assert any(
        q == "Weighted" and skipped and "percentage weights" in m for _, q, skipped, m in found
    )
    assert "weighted" not in questions


def test_comments_and_categories_are_reported_as_dropped():
    result = convert("comments_and_categories.gift")
    assert [q.id for q in result.questions] == ["members"]
    found = notes(result)
    assert [line for line, *_ in found] == [1, 2, 4, 5, 12]
    assert "category '$course$/top/Induction' dropped" in found[1][3]
    assert "cannot keep one as a comment" in found[1][3]
    assert found[2][1] == "Members" and "comment dropped" in found[2][3]
    assert not any(skipped for _, _, skipped, _ in found)


def test_formats():
    questions = by_id(convert("formats.gift"))
    assert questions["markdown"].prompt == "Which of these is **bold**?"
    assert questions["markdown"].options[0].text == "**This one**"
    assert questions["html"].prompt == "Which of these is **right**?"
    assert questions["html"].options[0].text == "*This*"
    assert questions["html"].options[0].feedback == "Well **done**."
    assert questions["plain"].prompt == "What does 2 \\* 3 \\* 4 make in \\[brackets\\]?"
    assert questions["moodle"].prompt == "Which council is in Devon?"
    stem = questions["stem"]
    assert stem.prompt == "First line of the question."
    assert stem.stem == "A second paragraph, with the detail."


def test_escapes():
    questions = by_id(convert("escapes.gift"))
    colon = questions["say-what"]
    assert colon.prompt == "Is 1 = 1 {always}?"
    assert colon.options[0].text == "Yes ~ always"
    assert colon.options[0].feedback == "That is right # indeed."
    assert questions["backslash"].options[0].text == "Backslash (\\)"


def test_every_unsupported_construct_is_reported_with_its_line_and_why():
    result = convert("unsupported.gift")
    assert result.questions == () and result.text == ""
    skipped = {(n.line, n.question): n.message for n in result.skipped}
    assert set(skipped) == {
        (3, "Matching"),
        (8, "Numerical"),
        (10, "Range"),
        (12, "Essay"),
        (14, "Missing word"),
        (16, "Description"),
        (18, "Two right"),
        (20, "Partial credit"),
        (22, "Braces"),
    }
    assert "matching" in skipped[(3, "Matching")]
    assert "numerical" in skipped[(10, "Range")]
    assert "essay" in skipped[(12, "Essay")]
    assert "missing-word" in skipped[(14, "Missing word")]


def test_ids_avoid_the_course_s_other_questions():
    result = convert("true_false.gift", taken={"dps-end", "founded"})
    assert [q.id for q in result.questions] == [
        "dps-end-2",
        "founded-2",
        "values",
        "affiliates-vote",
    ]


@pytest.mark.parametrize("path", [p for p in FIXTURES if p.name != "unsupported.gift"], ids=str)
def test_the_written_quiz_parses_back_to_the_same_questions(path):
    result = convert(path.name)
    document = parse_source(from_text(result.text), "quiz", "quiz.md")
    assert not document.problems
    written = [parsed.question for parsed in document.questions]
    assert [q.id for q in written] == [q.id for q in result.questions]
    for read, made in zip(written, result.questions, strict=True):
        assert (read.type, read.prompt, read.stem, read.answers, read.explanation) == (
            made.type,
            made.prompt,
            made.stem,
            made.answers,
            made.explanation,
        )
        assert [(o.text, o.is_correct, o.feedback) for o in read.options] == [
            (o.text, o.is_correct, o.feedback) for o in made.options
        ]
    # Already canonical: formatting it changes nothing.
    from induction.content.fmt import canonical_text

    assert canonical_text(document) == result.text
    assert structure(document)


# -- the command ------------------------------------------------------------------------------


@pytest.fixture
def module_dir(tree) -> Path:
    return tree / BASICS / "02-going-further"


@pytest.mark.parametrize("path", [p for p in FIXTURES if p.name != "unsupported.gift"], ids=str)
def test_each_fixture_imports_into_a_course_that_passes_the_check(runner, tree, module_dir, path):
    result = runner.invoke(args=["courses", "import-gift", str(path), str(module_dir)])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output
    check = runner.invoke(args=["courses", "check", str(tree)])
    assert check.exit_code == 0, check.output
    assert "basics:" in check.output and "2 quizzes" in check.output


def test_the_command_prints_each_note_with_file_and_line(runner, module_dir):
    gift = GIFT / "short_answer.gift"
    result = runner.invoke(args=["courses", "import-gift", str(gift), str(module_dir)])
    assert result.exit_code == 0, result.output
    assert f"{gift}:9: question 'Wildcard': '*' in the answer" in result.output
    assert f"{gift}:11: question 'Weighted': not imported: its answers carry" in result.output


def test_the_command_refuses_to_replace_a_quiz_without_force(runner, tree):
    module = tree / BASICS / "01-first-steps"
    before = (module / "quiz.md").read_text()
    gift = GIFT / "true_false.gift"
    result = runner.invoke(args=["courses", "import-gift", str(gift), str(module)])
    assert result.exit_code != 0
    assert "already exists: use --force" in result.output
    assert (module / "quiz.md").read_text() == before
    forced = runner.invoke(args=["courses", "import-gift", "--force", str(gift), str(module)])
    assert forced.exit_code == 0, forced.output
    assert "{#dps-end type=truefalse}" in (module / "quiz.md").read_text()


def test_the_command_refuses_a_file_with_nothing_to_import(runner, module_dir):
    result = runner.invoke(
        args=["courses", "import-gift", str(GIFT / "unsupported.gift"), str(module_dir)]
    )
    assert result.exit_code != 0
    assert "nothing in unsupported.gift could be imported" in result.output
    assert "line 3: question 'Matching'" in result.output
    assert not (module_dir / "quiz.md").exists()


def test_the_command_refuses_a_folder_that_is_not_a_module(runner, tree):
    result = runner.invoke(
        args=["courses", "import-gift", str(GIFT / "true_false.gift"), str(tree / BASICS)]
    )
    assert result.exit_code != 0
    assert "is not a module folder" in result.output


def test_imported_ids_avoid_the_other_quizzes_of_the_course(runner, tmp_path, module_dir):
    gift = tmp_path / "clash.gift"
    gift.write_text("::Be what::Are you kind?{T}\n")  # 'be-what' is a question of module 1
    result = runner.invoke(args=["courses", "import-gift", str(gift), str(module_dir)])
    assert result.exit_code == 0, result.output
    assert "{#be-what-2 type=truefalse}" in (module_dir / "quiz.md").read_text()


def test_the_command_reports_a_course_that_fails_its_check(runner, tmp_path, module_dir):
    gift = tmp_path / "link.gift"
    gift.write_text("::Link::Is it there?{T####Read [this](09-missing.md).}\n")
    result = runner.invoke(args=["courses", "import-gift", str(gift), str(module_dir)])
    assert result.exit_code == 1
    assert "02-going-further/quiz.md:6: link to '09-missing.md': no such lesson" in result.output
    assert "does not pass its check" in result.output


# -- the upload on the module page --------------------------------------------------------------


def upload(client, module: str, name: str, data: bytes, **extra):
    return client.post(
        f"/admin/courses/{BASICS}/modules/{module}/import-gift",
        data={"upload": (io.BytesIO(data), name), **extra},
        content_type="multipart/form-data",
    )


def test_uploading_a_gift_file_writes_the_quiz_and_lists_the_notes(app, admin, tree):
    data = (GIFT / "multiple_answer.gift").read_bytes()
    response = upload(admin, "02-going-further", "questions.gift", data)
    page = text_of(response)
    assert response.status_code == 200
    assert "2 questions written to" in page
    # The page is named by the module's title, not its folder's name.
    assert "<title>Quiz imported – Going further –" in page
    assert "Not imported" in page and "Unequal weights" in page
    assert "partial weights were flattened" in page
    publish_all(admin)
    quiz = (tree / BASICS / "02-going-further" / "quiz.md").read_text()
    assert "{#eoc-duties}" in quiz
    [event] = audit_events(app, "course_quiz.imported")
    assert any("Unequal weights" in note for note in event.details["notes"])


def test_an_existing_quiz_is_replaced_only_when_asked_and_the_page_says_who_took_it(
    app, admin, tree
):
    page = text_of(admin.get(f"/admin/courses/{BASICS}/modules/01-first-steps/"))
    assert "This module already has a quiz." in page
    assert "Replace the existing quiz" in page
    before = (tree / BASICS / "01-first-steps" / "quiz.md").read_text()
    data = (GIFT / "true_false.gift").read_bytes()
    response = upload(admin, "01-first-steps", "tf.gift", data)
    assert response.status_code == 400
    assert "tick" in text_of(response).lower()
    assert (tree / BASICS / "01-first-steps" / "quiz.md").read_text() == before
    # The old quiz's explanations link to lessons; the new one simply replaces it.
    response = upload(admin, "01-first-steps", "tf.gift", data, replace="y")
    assert response.status_code == 200
    publish_all(admin)
    assert "{#dps-end type=truefalse}" in (tree / BASICS / "01-first-steps" / "quiz.md").read_text()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe not utf-8", "not valid UTF-8"),
        ((GIFT / "unsupported.gift").read_bytes(), "could be imported"),
    ],
)
def test_a_gift_file_that_cannot_be_imported_says_why(admin, tree, data, message):
    response = upload(admin, "02-going-further", "bad.gift", data)
    assert response.status_code == 400
    assert message in text_of(response)
    assert not (tree / BASICS / "02-going-further" / "quiz.md").exists()
