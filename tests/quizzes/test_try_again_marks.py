"""Trying a quiz again: the questions answered wrong last time are marked, in words.

Only the latest submitted attempt counts, only questions asked again with the same id
are marked, nothing is marked on a first attempt, no right answer is given away, and
the page costs at most one query more than a first attempt's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from induction.quizzes.review import LastTime, last_time
from induction.quizzes.snapshot import AskedQuestion
from tests.quizzes.pages import (
    ALL_RIGHT,
    ALL_WRONG,
    check,
    page,
    start,
    submit_from,
    take,
    text_of,
)
from tests.quizzes.test_queries import LIMIT

MARK = "You got this one wrong last time."
# Two of the four questions wrong: "What should you be?" and "The rules say be kind."
TWO_WRONG = {**ALL_RIGHT, "be-what": "Late", "rules-kind": "False"}


@pytest.fixture
def app(app_factory, site_tree):
    """The app on an editable copy of the site fixture courses."""
    return app_factory(COURSES_DIR=str(site_tree))


def marked(html: str) -> list[str]:
    """Return the ids of the questions marked as wrong last time, in page order."""
    return re.findall(r'<p class="question__last-time" id="q-([\w-]+)-last">', html)


def summary(html: str) -> str | None:
    """Return the sentence at the top of the quiz about last time, if there is one."""
    found = re.search(r'<div class="notice notice--info" id="last-time">(.*?)</div>', html, re.S)
    return text_of(found.group(1)) if found else None


def retry_page(client, picks: dict[str, object]) -> str:
    """Take the quiz with `picks`, press Try again and return the new attempt's page."""
    take(client, picks)
    return page(client.get(start(client)))


def test_a_first_attempt_marks_nothing(app, login_as):
    client = login_as()
    html = page(client.get(start(client)))
    assert marked(html) == []
    assert summary(html) is None
    assert "last time" not in html.lower()


def test_trying_again_marks_the_questions_wrong_last_time_only(app, login_as):
    html = retry_page(login_as(), TWO_WRONG)
    assert marked(html) == ["be-what", "rules-kind"]
    assert text_of(html).count(MARK) == 2
    assert summary(html) == "Last time you got 2 of 4 wrong; they are marked below."
    # Screen readers hear the mark with the question: it describes the question's group.
    assert re.search(r'<fieldset[^>]*id="q-be-what"[^>]*aria-describedby="q-be-what-last"', html)


def test_the_marks_give_no_right_answer_away(app, login_as):
    html = retry_page(login_as(), ALL_WRONG)
    assert marked(html) == ["be-what", "rules-ask", "rules-kind", "first-lesson"]
    text = text_of(html)
    for shown_only_on_the_result in (
        "Yes: the rules ask for kindness.",  # an option's feedback
        "The rules ask you to be kind and on time.",  # an explanation
        "Review",  # the lessons to review
    ):
        assert shown_only_on_the_result not in text
    assert not re.search(r"<input[^>]*\bchecked\b", html)  # last time's answers not filled in


def test_a_text_question_is_marked_beside_its_box(app, login_as):
    html = retry_page(login_as(), {**ALL_RIGHT, "first-lesson": {"text": "Goodbye"}})
    assert marked(html) == ["first-lesson"]
    assert summary(html) == "Last time you got 1 of 4 wrong; it is marked below."
    assert re.search(r'<input[^>]*aria-describedby="q-first-lesson-last"[^>]*>', html)


def test_only_the_latest_attempt_counts(app, login_as):
    client = login_as()
    take(client, ALL_WRONG)
    html = retry_page(client, TWO_WRONG)
    assert marked(html) == ["be-what", "rules-kind"]


def test_after_all_right_nothing_is_marked(app, login_as):
    client = login_as()
    take(client, ALL_WRONG)
    html = retry_page(client, ALL_RIGHT)
    assert marked(html) == []
    assert summary(html) is None


def test_the_marks_stay_while_the_attempt_is_continued(app, login_as):
    client = login_as()
    take(client, TWO_WRONG)
    url = start(client)
    check(client, url, ALL_RIGHT)  # answers kept, not submitted
    assert marked(page(client.get(url))) == ["be-what", "rules-kind"]
    submit_from(client, page(client.get(f"{url}/check")))
    assert marked(page(client.get(url))) == []  # the result page has its own marks


def test_check_your_answers_marks_them_too(app, login_as):
    """The check page before submitting repeats the marks beside the answers given."""
    client = login_as()
    take(client, TWO_WRONG)
    html = check(client, start(client), ALL_RIGHT)
    assert marked(html) == ["be-what", "rules-kind"]
    assert summary(html) == (
        "Last time you got 2 of 4 wrong; they are marked below. "
        "Look again at those answers before you submit."
    )
    # Still nothing given away: the answers are the learner's own, not the right ones.
    assert "Yes: the rules ask for kindness." not in text_of(html)


def test_check_your_answers_on_a_first_attempt_marks_nothing(app, login_as):
    client = login_as()
    html = check(client, start(client), TWO_WRONG)
    assert marked(html) == []
    assert summary(html) is None
    # What the page is for, so nobody takes it for the marking.
    assert "Your answers are not marked yet." in text_of(html)


def quiz_file(tree: Path) -> Path:
    return tree / "01-basics" / "01-first-steps" / "quiz.md"


def test_a_question_changed_since_is_not_marked(app, login_as, site_tree):
    client = login_as()
    take(client, TWO_WRONG)
    # The author gives "What should you be?" a new id: it is a new question now.
    path = quiz_file(site_tree)
    path.write_text(path.read_text().replace("{#be-what}", "{#be-what-now}"))
    html = page(client.get(start(client)))
    assert marked(html) == ["rules-kind"]
    assert summary(html) == (
        "Last time you got 2 of 4 wrong. 1 of them is marked below; "
        "the other one is no longer in the quiz."
    )


def test_when_every_wrong_question_has_gone_the_page_says_so(app, login_as, site_tree):
    client = login_as()
    take(client, {**ALL_RIGHT, "be-what": "Late"})
    path = quiz_file(site_tree)
    path.write_text(path.read_text().replace("{#be-what}", "{#be-what-now}"))
    html = page(client.get(start(client)))
    assert marked(html) == []
    assert summary(html) == (
        "Last time you got 1 of 4 wrong, but the quiz has changed since: "
        "that question is no longer in it."
    )


def test_trying_again_costs_one_query_more_at_most(app, login_as, count_queries):
    first, again = login_as(), login_as()
    first_url = start(first)
    take(again, TWO_WRONG)
    take(again, ALL_WRONG)
    take(again, TWO_WRONG)
    again_url = start(again)
    counts = {}
    for name, client, url in (("first", first, first_url), ("again", again, again_url)):
        with count_queries() as counter:
            html = page(client.get(url))
        counts[name] = counter.count
        assert bool(marked(html)) == (name == "again")
    assert counts["again"] <= counts["first"] + 1, counts
    assert counts["again"] <= LIMIT, counts


def asked(*ids: str) -> tuple[AskedQuestion, ...]:
    return tuple(
        AskedQuestion(
            id=question_id,
            type="single",
            prompt_html=question_id,
            stem_html="",
            shown=(),
            answers=(),
            explanation_html=None,
            review_links=(),
        )
        for question_id in ids
    )


@pytest.mark.parametrize(
    ("results", "now", "expected"),
    [
        ([], ("a",), None),
        ([("a", True), ("b", True)], ("a", "b"), None),
        (
            [("a", False), ("b", True), ("c", False)],
            ("a", "b", "c"),
            "Last time you got 2 of 3 wrong; they are marked below.",
        ),
        (
            [("a", False), ("b", False), ("c", False)],
            ("a", "d"),
            "Last time you got 3 of 3 wrong. 1 of them is marked below; "
            "the other 2 are no longer in the quiz.",
        ),
        (
            [("a", False), ("b", False), ("c", False)],
            ("a", "b"),
            "Last time you got 3 of 3 wrong. 2 of them are marked below; "
            "the other one is no longer in the quiz.",
        ),
        (
            [("a", False), ("b", False)],
            ("c",),
            "Last time you got 2 of 2 wrong, but the quiz has changed since: "
            "those questions are no longer in it.",
        ),
    ],
)
def test_what_the_top_of_the_quiz_says(results, now, expected):
    found = last_time(results, asked(*now))
    assert (found.summary if found else None) == expected


def test_only_wrong_questions_asked_again_are_marked():
    found = last_time([("a", False), ("b", True), ("c", False)], asked("a", "b", "d"))
    assert found == LastTime(wrong=2, total=3, marked=frozenset({"a"}))
    assert [q for q in "abcd" if found.is_marked(q)] == ["a"]
