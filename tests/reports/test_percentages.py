"""Every percentage of the reports follows one rule (progress.status.whole_percent): the
dashboard's headline, its module chart and its Progress column, the network overview and
its CSV file say the same of the same share, and the database rounds as Python does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Integer, literal, select

from induction.extensions import db
from induction.progress.status import whole_percent
from induction.progress.status_query import whole_percent_sql
from tests.quizzes.pages import page, text_of
from tests.reports.helpers import add_lesson
from tests.reports.test_dashboard import csv_rows


def _write_course(root: Path) -> Path:
    """Write the course `shares`: one module of three lessons, for everyone."""
    course = root / "01-shares"
    course.mkdir(parents=True)
    (course / "course.md").write_text(
        "---\ntitle: Shares\nsummary: Three lessons.\npass_mark: 50\ndue_days: 30\n---\n\nS.\n"
    )
    module = course / "01-only"
    module.mkdir()
    (module / "module.md").write_text("---\ntitle: The only module\nsummary: All.\n---\n\nM.\n")
    for number, name in enumerate("abc", start=1):
        (module / f"0{number}-{name}.md").write_text(f"---\ntitle: Lesson {name}\n---\n\n{name}.\n")
    return root


@pytest.fixture
def app(app_factory, tmp_path):
    return app_factory(COURSES_DIR=str(_write_course(tmp_path / "courses")))


@pytest.fixture
def fifteen(app, make_org, make_user):
    """Fifteen people in Share Council: one read all three lessons, one read two."""
    council = make_org("Share Council")
    manager = make_user(role="manager", organisation=council, name="Mia Manager")
    people = [make_user(organisation=council, name=f"Person {n:02d}") for n in range(14)]
    with app.app_context():
        for lesson in ("a", "b", "c"):
            add_lesson(people[0].id, "shares", lesson)
        for lesson in ("a", "b"):
            add_lesson(people[1].id, "shares", lesson)
        db.session.commit()
    return council, manager


def test_the_headline_the_module_chart_and_the_progress_column_agree(fifteen, login_as):
    council, manager = fifteen
    html = page(login_as(manager).get(f"/reports/organisations/{council.id}?course=shares"))
    text = text_of(html)
    # 1 of 15 is 6.67%: 7% in the sentence and on the module's bar, never 6% in one of them.
    assert "1 of 15 people (7%) in Share Council has completed Shares" in text
    chart = html.split('id="modules-chart"', 1)[1].split("</svg>", 1)[0]
    assert "1 of 15 (7%)" in chart
    assert "(6%)" not in html
    # 2 of 3 lessons is 66.7%: 67%, as the same rule says.
    progress = re.findall(r'class="cell-progress">(\d+ of \d+)</span><span[^>]*> \((\d+)%\)', html)
    assert ("2 of 3", "67") in progress
    assert all(int(p) == whole_percent(*map(int, d.split(" of "))) for d, p in progress)


def test_the_network_overview_and_its_csv_say_the_same(fifteen, login_as, make_user):
    client = login_as(make_user(role="admin"))
    text = text_of(page(client.get("/reports/network?course=shares")))
    assert "1 complete (7%)" in text
    assert "1 of 15 (7%)" in text  # the chart's words
    rows = csv_rows(client.get("/reports/network.csv?course=shares"))
    assert [row["Completion rate (%)"] for row in rows] == ["7", "7"]  # the council, the total


def test_the_database_rounds_a_share_as_python_does(app_ctx):
    wholes = [*range(1, 41), 199, 200, 201, 300, 1000]
    pairs = [(part, whole) for whole in wholes for part in range(whole + 1)]
    pairs += [(0, 0), (1, 0)]
    found: list[int] = []
    for start in range(0, len(pairs), 400):  # well within any database's columns
        chunk = pairs[start : start + 400]
        found += db.session.execute(
            select(
                *(
                    whole_percent_sql(literal(part, Integer()), literal(whole, Integer()))
                    for part, whole in chunk
                )
            )
        ).one()
    assert found == [whole_percent(part, whole) for part, whole in pairs]
