"""The organisation dashboard: statuses in words, filters, search, sort, pages, charts, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from urllib.parse import urlencode

import pytest

from induction.catalogue import get_catalogue
from induction.progress.status import completion_rule
from induction.web.templating import uk_date
from tests.quizzes.pages import page, text_of


def dashboard_url(world, suffix: str = "", **args) -> str:
    query = urlencode(args)
    return f"/reports/organisations/{world.own.id}{suffix}" + (f"?{query}" if query else "")


def rows_of(html: str) -> list[str]:
    """Return the names in the people table, in order (none when there is no table)."""
    if 'id="people-caption"' not in html:
        return []
    body = html.split('id="people-caption"', 1)[1].split("</tbody>", 1)[0]
    return [text_of(cell) for cell in re.findall(r'<th scope="row"><a [^>]*>(.*?)</a>', body)]


def csv_rows(response) -> list[dict[str, str]]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf"), "CSV files start with a byte-order mark for Excel"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


OWN_NAMES = {
    "Alice Complete",
    "Bob Partway",
    "Cara New",
    "Mona Manager",
    '=HYPERLINK("http://evil.example","click")',
}


def test_the_manager_sees_their_people_with_statuses_in_words(world, login_as):
    client = login_as(world.manager)
    html = page(client.get(dashboard_url(world)))
    assert set(rows_of(html)) == OWN_NAMES
    text = text_of(html)
    assert (
        "5 people 1 complete 0 update to read 1 in progress 3 not started 2 overdue 0 invited"
        in text
    )
    # Alice: everything done, best quiz score shown; Bob: overdue, in words.
    alice = text.split("Alice Complete", 1)[1].split("Bob Partway", 1)[0]
    completed = uk_date(world.day - dt.timedelta(days=2))
    assert alice.startswith(
        f" {world.complete.email} Officer Complete on {completed} 5 of 5 (100%)"
    )
    assert "Quiz best 100%" in alice
    bob = text.split("Remind Bob Partway", 1)[1].split("Cara New", 1)[0]
    assert "In progress Overdue 1 of 4 (25%)" in bob
    assert "Quiz not taken" in bob
    assert "Olga Outsider" not in text


def test_the_page_shows_the_completion_rules_exactly_as_learners_see_them(world, login_as, app):
    html = page(login_as(world.manager).get(dashboard_url(world)))
    with app.app_context():
        course = get_catalogue().course("basics")
        first = course.module("first-steps")
        rules = {completion_rule(course, first, a) for a in ("councillor", "officer")}
    text = text_of(html)
    for rule in rules:
        assert rule in text
    assert (
        "Officers: To complete this module, read all 3 lessons and pass the quiz with 50% or more "
        "(you need at least 2 of the 4 right)."
    ) in text


def test_tables_charts_and_filters_are_accessible(world, login_as):
    html = page(login_as(world.manager).get(dashboard_url(world)))
    assert '<caption id="people-caption">' in html
    assert 'aria-sort="ascending"' in html  # the table is sorted by name
    assert html.count('aria-sort="') == 1
    assert '<form method="get"' in html
    for name in ("audience", "status", "overdue", "q"):
        assert f'<label class="label" for="{name}"' in html
    # The course is chosen by the list of courses above (one course here: no list).
    assert '<input type="hidden" name="course" value="basics">' in html
    assert '<figure class="chart chart--top"' in html and "<figcaption" in html
    assert 'role="img"' in html  # the SVG chart
    assert "Completion by module: the numbers" in html
    assert 'class="table-wrap"' in html
    assert "style=" not in html.split("<main", 1)[1]  # no inline styles (CSP)


def _filters_fold(html: str) -> str:
    """Return the opening tag of the dashboard's folded filters."""
    found = re.search(r'<details class="filters-fold[^"]*" id="filters"[^>]*>', html)
    assert found, "the filters are in a fold"
    return found.group(0)


@pytest.mark.parametrize(
    ("args", "is_open"),
    [
        ({}, False),
        ({"status": "complete"}, True),
        ({"audience": "councillor"}, True),
        ({"q": "bob"}, True),
        ({"overdue": "yes"}, True),
        ({"sort": "-progress"}, True),
        ({"status": "nonsense"}, True),  # the message beside the field must be seen
    ],
)
def test_the_filters_are_folded_until_one_is_in_use(world, login_as, args, is_open):
    html = page(login_as(world.manager).get(dashboard_url(world, **args)))
    assert (" open" in _filters_fold(html)) is is_open
    assert ("Clear the filters" in html) is (is_open and "nonsense" not in args.values())


def test_what_complete_means_is_folded_under_the_numbers(world, login_as):
    html = page(login_as(world.manager).get(dashboard_url(world)))
    fold = html.split('<details class="fold rules-fold" id="what-complete-means">', 1)[1]
    assert fold.lstrip().startswith("<summary>What complete means for each module</summary>")
    assert 'class="rule"' in fold.split("</details>", 1)[0]


@pytest.mark.parametrize(
    ("args", "names"),
    [
        ({"audience": "councillor"}, {"Bob Partway"}),
        ({"audience": "affiliate"}, {"Cara New"}),
        ({"status": "complete"}, {"Alice Complete"}),
        ({"status": "in_progress"}, {"Bob Partway"}),
        (
            {"status": "not_started"},
            {"Cara New", "Mona Manager", '=HYPERLINK("http://evil.example","click")'},
        ),
        ({"overdue": "yes"}, {"Bob Partway", '=HYPERLINK("http://evil.example","click")'}),
        ({"overdue": "no"}, {"Alice Complete", "Cara New", "Mona Manager"}),
        ({"q": "ALICE"}, {"Alice Complete"}),
        ({"q": "BOB'S ADDRESS"}, {"Bob Partway"}),
        ({"q": "%"}, set()),  # taken literally, not as a wildcard
        ({"q": "Olga"}, set()),  # another council's person is never found
        ({"overdue": "yes", "audience": "officer"}, {'=HYPERLINK("http://evil.example","click")'}),
    ],
)
def test_every_filter_selects_the_right_people_and_the_export_matches(world, login_as, args, names):
    if args.get("q") == "BOB'S ADDRESS":
        args = {"q": world.partway.email.upper()}
    client = login_as(world.manager)
    html = page(client.get(dashboard_url(world, **args)))
    assert set(rows_of(html)) == names
    matching = "1 person matches" if len(names) == 1 else f"{len(names)} people match"
    assert f"{matching} the filters:" in html
    exported = csv_rows(client.get(dashboard_url(world, "/export.csv", **args)))
    assert [row["Name"].removeprefix("'") for row in exported] == rows_of(html)
    if not names:
        assert "No one matches these filters." in html


def test_invalid_filter_values_are_explained_and_ignored(world, login_as):
    html = page(login_as(world.manager).get(dashboard_url(world, audience="wizard", status="x")))
    assert "Choose who to show from the list" in html
    assert "Choose a status from the list" in html
    assert set(rows_of(html)) == OWN_NAMES
    assert "<title>Error: " in html


def test_an_unknown_course_answers_404(world, login_as):
    client = login_as(world.manager)
    assert client.get(dashboard_url(world, course="nope")).status_code == 404
    # A draft course is for admins only.
    assert client.get(dashboard_url(world, course="drafty")).status_code == 404
    assert login_as(world.admin).get(dashboard_url(world, course="drafty")).status_code == 200


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("name", '=HYPERLINK("http://evil.example","click")', "Mona Manager"),
        ("-name", "Mona Manager", '=HYPERLINK("http://evil.example","click")'),
        ("progress", '=HYPERLINK("http://evil.example","click")', "Alice Complete"),
        ("-progress", "Alice Complete", "Mona Manager"),
        ("-activity", "Bob Partway", "Mona Manager"),
        ("due", "Alice Complete", "Mona Manager"),
    ],
)
def test_sorting_orders_rows_and_marks_the_column(world, login_as, sort, first, last):
    client = login_as(world.manager)
    html = page(client.get(dashboard_url(world, sort=sort)))
    names = rows_of(html)
    assert (names[0], names[-1]) == (first, last)
    direction = "descending" if sort.startswith("-") else "ascending"
    assert f'aria-sort="{direction}"' in html
    exported = csv_rows(client.get(dashboard_url(world, "/export.csv", sort=sort)))
    assert [row["Name"].removeprefix("'") for row in exported] == names


def test_sorting_by_email_address(world, login_as):
    client = login_as(world.manager)
    exported = csv_rows(client.get(dashboard_url(world, "/export.csv", sort="-email")))
    emails = [row["Email address"].removeprefix("'") for row in exported]
    assert emails == sorted(emails, reverse=True)


def test_the_sorted_column_link_reverses_the_order(world, login_as):
    html = page(login_as(world.manager).get(dashboard_url(world, sort="progress")))
    header = html.split('aria-sort="ascending"', 1)[1].split("</th>", 1)[0]
    assert "sort=-progress" in header


def test_pages_of_fifty_with_links_and_the_export_has_every_page(app, world, login_as, make_user):
    for n in range(60):
        make_user(organisation=world.own, name=f"Zed Extra {n:02d}")
    client = login_as(world.manager)
    first = page(client.get(dashboard_url(world)))
    assert len(rows_of(first)) == 50
    assert "Page 1 of 2 (65 people in all)" in text_of(first)
    assert 'rel="next"' in first and 'aria-label="Pages of people"' in first
    second = page(client.get(dashboard_url(world, page=2)))
    assert len(rows_of(second)) == 15
    assert client.get(dashboard_url(world, page=3)).status_code == 404  # past the end
    exported = csv_rows(client.get(f"/reports/organisations/{world.own.id}/export.csv"))
    assert [r["Name"].removeprefix("'") for r in exported] == rows_of(first) + rows_of(second)
    assert client.get(dashboard_url(world, page="x")).status_code == 404


def test_the_export_is_safe_and_matches_the_screen(world, login_as):
    client = login_as(world.manager)
    response = client.get(f"/reports/organisations/{world.own.id}/export.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data().decode("utf-8-sig")
    # Formula cells are neutralised with a leading quote, whatever column they are in.
    assert "'=HYPERLINK" in raw and "'-formula@example.org" in raw
    assert "\r\n" in raw
    rows = {row["Email address"]: row for row in csv_rows(response)}
    alice = rows[world.complete.email]
    assert alice["Status"] == "Complete"
    assert alice["Overdue"] == "no"
    assert (alice["Done"], alice["Out of"]) == ("5", "5")
    # The day of her completion (two days ago, see conftest.py), as on the screen.
    completed = dt.date.fromisoformat(alice["Completed on"])
    assert completed == world.day - dt.timedelta(days=2)
    assert f"Complete on {uk_date(completed)}" in text_of(page(client.get(dashboard_url(world))))
    assert alice["First steps: status"] == "Complete"
    assert alice["First steps: best quiz score (%)"] == "100"
    assert alice["Going further: status"] == "Complete"
    bob = next(row for row in rows.values() if row["Name"] == "Bob Partway")
    assert (bob["Status"], bob["Overdue"]) == ("In progress", "yes")
    assert bob["First steps: best quiz score (%)"] == ""
    assert bob["Due date"] and bob["Start date"] < bob["Due date"]
    assert bob["Completed on"] == ""


def test_the_module_totals_match_the_chart_table_and_their_export(world, login_as):
    client = login_as(world.manager)
    html = page(client.get(dashboard_url(world)))
    text = text_of(html)
    assert "First steps 5 1 1 3" in text
    assert "Going further 5 1 0 4" in text
    rows = csv_rows(client.get(f"/reports/organisations/{world.own.id}/modules.csv"))
    assert rows == [
        {
            "Module": "First steps",
            "People it applies to": "5",
            "Complete": "1",
            "In progress": "1",
            "Not started": "3",
        },
        {
            "Module": "Going further",
            "People it applies to": "5",
            "Complete": "1",
            "In progress": "0",
            "Not started": "4",
        },
    ]
    filtered = csv_rows(
        client.get(f"/reports/organisations/{world.own.id}/modules.csv?status=complete")
    )
    assert [r["People it applies to"] for r in filtered] == ["1", "1"]


def test_reports_link_in_the_navigation_for_managers_and_admins_only(world, login_as):
    assert 'href="/reports/"' in page(login_as(world.manager).get("/courses/"))
    assert 'href="/reports/"' in page(login_as(world.admin).get("/courses/"))
    assert 'href="/reports/"' not in page(login_as(world.partway).get("/courses/"))


def test_reports_home_sends_each_role_to_their_report(world, login_as):
    response = login_as(world.manager).get("/reports/")
    assert response.headers["Location"] == f"/reports/organisations/{world.own.id}"
    assert login_as(world.admin).get("/reports/").headers["Location"] == "/reports/network"


def _figure(html: str, label: str) -> int:
    found = re.search(
        rf'<span class="figure__number">(\d+)</span> <span class="figure__label">{label}</span>',
        html,
    )
    assert found is not None, label
    return int(found.group(1))


def _tabs(html: str) -> str:
    return html.split('<nav class="course-tabs no-print" aria-label="Courses">', 1)[1].split(
        "</nav>", 1
    )[0]


def test_each_course_is_a_link_with_how_far_the_organisation_is(world, login_as):
    client = login_as(world.admin)  # admins also report on the draft course: two courses
    html = page(client.get(dashboard_url(world, course="basics")))
    basics, drafty = _tabs(html).split("</li>")[:2]
    assert 'aria-current="page"' in basics and 'aria-current="page"' not in drafty
    people, complete = _figure(html, "people"), _figure(html, "complete")
    overdue = _figure(html, "overdue")
    assert (people, complete, overdue) == (5, 1, 2)  # the world's own council in Basics
    assert f"{complete} of {people} people complete · {overdue} overdue" in basics
    assert "Drafty (draft)" in drafty and "course=drafty" in drafty


def test_a_course_link_counts_the_whole_organisation_whatever_the_filters(world, login_as):
    client = login_as(world.admin)
    whole = _tabs(page(client.get(dashboard_url(world, course="basics"))))
    assert "1 of 5 people complete · 2 overdue" in whole
    for filters in (
        {"audience": "councillor"},
        {"q": "nobody-is-called-this"},
        {"status": "complete"},
        {"overdue": "yes"},
        {"sort": "-progress"},
    ):
        html = page(client.get(dashboard_url(world, course="basics", **filters)))
        assert _tabs(html) == whole, filters


def test_the_dashboard_opens_on_the_course_looked_at_last(world, login_as):
    client = login_as(world.admin)
    assert '<span class="heading-sub">Basics</span>' in page(client.get(dashboard_url(world)))
    client.get(dashboard_url(world, course="drafty"))
    html = page(client.get(dashboard_url(world)))
    assert '<span class="heading-sub">Drafty</span>' in html
    # The course asked for in the address always wins.
    html = page(client.get(dashboard_url(world, course="basics")))
    assert '<span class="heading-sub">Basics</span>' in html


def test_with_one_course_there_is_no_list_of_courses(world, login_as):
    html = page(login_as(world.manager).get(dashboard_url(world)))
    assert "course-tabs" not in html


def test_the_order_list_offers_every_order_the_headings_do():
    from induction.reports.forms import DASHBOARD_SORT_CHOICES
    from induction.reports.queries import SORT_KEYS

    offered = {choice.value for choice in DASHBOARD_SORT_CHOICES}
    assert offered == {key for name in SORT_KEYS for key in (name, f"-{name}")}


def test_the_order_can_be_chosen_from_a_list_as_on_a_phone(world, login_as):
    client = login_as(world.manager)
    html = page(client.get(dashboard_url(world, sort="-progress")))
    assert '<label class="label" for="sort"' in html
    assert '<option selected value="-progress">Progress, most first</option>' in html
    assert rows_of(html)[0] == "Alice Complete"
    refused = page(client.get(dashboard_url(world, sort="shoe-size")))
    assert "Choose an order from the list" in refused
    assert set(rows_of(refused)) == OWN_NAMES  # shown by name, nothing lost


def test_not_finished_lists_everyone_with_something_left_to_do(world, login_as):
    """The people to chase in one list: every status but complete; the export follows it."""
    client = login_as(world.manager)
    html = page(client.get(dashboard_url(world, status="not_finished")))
    assert set(rows_of(html)) == OWN_NAMES - {"Alice Complete"}
    assert '<option selected value="not_finished">Not finished</option>' in html
    export = csv_rows(client.get(dashboard_url(world, "/export.csv", status="not_finished")))
    assert len(export) == 4
    assert "Alice Complete" not in {row["Name"] for row in export}


def test_the_export_is_named_after_its_filters(world, login_as):
    """A list of the overdue councillors is not named like the whole list."""
    client = login_as(world.manager)
    whole = client.get(f"/reports/organisations/{world.own.id}/export.csv")
    chosen = client.get(
        dashboard_url(
            world, "/export.csv", audience="councillor", status="not_finished", overdue="yes"
        )
    )
    whole_name = whole.headers["Content-Disposition"].split('filename="', 1)[1].split('"')[0]
    chosen_name = chosen.headers["Content-Disposition"].split('filename="', 1)[1].split('"')[0]
    prefix, day = whole_name.removesuffix(".csv").rsplit("-", 3)[0], whole_name[-14:]
    assert chosen_name == f"{prefix}-councillors-not-finished-overdue-{day}"
