"""The quiz pages run a bounded number of SQL queries, however many attempts a person has made."""

from __future__ import annotations

from tests.quizzes.pages import (
    ALL_RIGHT,
    ALL_WRONG,
    BASICS_QUIZ,
    check,
    read_lessons,
    start,
    submit_from,
    take,
)

# Finding the signed-in person (session record, person) plus the page's own few queries.
LIMIT = 6


def page_queries(client, count_queries) -> dict[str, int]:
    """Return how many queries each quiz page runs for this person right now."""
    result_url = start(client)
    submit_from(client, check(client, result_url, ALL_WRONG))
    open_url = start(client)
    check(client, open_url, ALL_RIGHT)
    found = {}
    for name, url in {
        "start": BASICS_QUIZ,
        "form": open_url,
        "check": f"{open_url}/check",
        "result": result_url,
    }.items():
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        found[name] = counter.count
    return found


def test_quiz_pages_run_few_queries_whatever_the_history(app, login_as, count_queries):
    few = page_queries(login_as(), count_queries)
    veteran = login_as()
    for _ in range(5):
        take(veteran, ALL_WRONG)
    many = page_queries(veteran, count_queries)
    assert few == many
    assert max(few.values()) <= LIMIT, few


def test_a_passed_result_and_saved_answers_run_few_queries(app, login_as, count_queries):
    """The result saying what completes the module or offers the certificate, and the quiz
    page saying how many answers are saved, stay within the limit."""
    client = login_as()
    result_url = start(client)
    submit_from(client, check(client, result_url, ALL_RIGHT))
    open_url = start(client)
    check(client, open_url, ALL_WRONG)  # answers kept with the open attempt
    read_lessons(client)
    assert client.post("/courses/basics/lessons/next/complete").status_code == 302
    for url, words in ((result_url, "Download your certificate"), (BASICS_QUIZ, "are saved")):
        with count_queries() as counter:
            response = client.get(url)
        assert words in response.get_data(as_text=True)
        assert counter.count <= LIMIT, (url, counter.count)
