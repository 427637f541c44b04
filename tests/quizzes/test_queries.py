"""The quiz pages run a bounded number of SQL queries, however many attempts a person has made."""

from __future__ import annotations

from tests.quizzes.pages import (
    ALL_RIGHT,
    ALL_WRONG,
    BASICS_QUIZ,
    check,
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
