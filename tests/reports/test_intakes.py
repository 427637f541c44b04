"""Intakes and terms: due dates count from the intake's date or the person's own start date,
whichever is later, in every page, report and reminder; lead officers manage their own
organisation's intakes, filter reports by intake and move people between intakes; nothing of
another organisation is ever found."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import Date, literal, select

from induction.accounts.audit import AuditEvent
from induction.accounts.models import Intake, Organisation, User
from induction.accounts.start_dates import counts_from, counts_from_sql
from induction.admin.audit_sentences import ACTIONS
from induction.catalogue import get_catalogue
from induction.extensions import db
from induction.progress import chasing
from induction.progress.services import progress_in
from induction.reports.services import DashboardQuery, dashboard_rows
from tests.quizzes.pages import page, text_of
from tests.reports.test_dashboard import dashboard_url, rows_of
from tests.reports.test_summary import _figures, _listed

DUE_DAYS = 14  # of the basics course


def _intake(app, org: Organisation, name: str, starts_on: dt.date) -> int:
    with app.app_context():
        intake = Intake(organisation_id=org.id, name=name, starts_on=starts_on)
        db.session.add(intake)
        db.session.commit()
        return intake.id


def _join(app, intake_id: int | None, *people: User) -> None:
    with app.app_context():
        for person in people:
            db.session.get(User, person.id).intake_id = intake_id
        db.session.commit()


def _intake_of(app, person: User) -> int | None:
    with app.app_context():
        return db.session.get(User, person.id).intake_id


# --- The rule -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "intake", "expected"),
    [
        (dt.date(2026, 5, 1), dt.date(2026, 5, 8), dt.date(2026, 5, 8)),  # intake later
        (dt.date(2026, 6, 1), dt.date(2026, 5, 8), dt.date(2026, 6, 1)),  # joined after it
        (dt.date(2026, 6, 1), None, dt.date(2026, 6, 1)),  # no intake
        (None, dt.date(2026, 5, 8), dt.date(2026, 5, 8)),
        (None, None, None),
    ],
)
def test_due_dates_count_from_the_later_of_the_two_dates(app, start, intake, expected):
    assert counts_from(start, intake) == expected
    # The SQL form gives the same day on this database (SQLite or PostgreSQL).
    with app.app_context():
        dates = (literal(start, Date()), literal(intake, Date()))
        assert db.session.scalar(select(counts_from_sql(*dates))) == expected


@pytest.mark.parametrize(
    ("intake_days_ago", "counts_from_days_ago", "is_overdue"),
    [
        (5, 5, False),  # intake later than the start date 30 days ago: not overdue yet
        (60, 30, True),  # intake earlier: the person's own start date counts
        (None, 30, True),  # no intake
    ],
)
def test_every_report_and_the_learner_agree_on_due_dates_from_intakes(
    app, world, intake_days_ago, counts_from_days_ago, is_overdue
):
    if intake_days_ago is not None:
        intake_id = _intake(app, world.own, "May", world.day - dt.timedelta(intake_days_ago))
        _join(app, intake_id, world.partway)
    due = world.day - dt.timedelta(counts_from_days_ago) + dt.timedelta(DUE_DAYS)
    with app.app_context():
        course = get_catalogue().course("basics")
        person = db.session.get(User, world.partway.id)
        # The learner's own pages (Python).
        mine = progress_in(person, [course])[0]
        assert (mine.due_date, mine.is_overdue) == (due, is_overdue)
        # The dashboard (SQL).
        admin = db.session.get(User, world.admin.id)
        organisation = db.session.get(Organisation, world.own.id)
        rows = {
            r.user_id: r
            for r in dashboard_rows(admin, organisation, DashboardQuery(course=course), world.day)
        }
        row = rows[world.partway.id]
        assert (row.due_date, row.is_overdue) == (due, is_overdue)
        # The officers' reminders (SQL).
        plan = chasing.plan(admin, organisation, course, world.day, group=chasing.Group.OVERDUE)
        reminded = {r.user_id for r in [*plan.ready, *plan.recently]}
        assert (world.partway.id in reminded) is is_overdue


def test_changing_an_intakes_date_moves_its_peoples_due_dates(app, world, login_as):
    intake_id = _intake(app, world.own, "May", world.day - dt.timedelta(60))
    _join(app, intake_id, world.partway)
    client = login_as(world.manager)
    assert "Bob Partway" in rows_of(page(client.get(dashboard_url(world, overdue="yes"))))
    later = world.day - dt.timedelta(3)
    response = client.post(
        f"/intakes/{intake_id}/edit", data={"name": "May", "starts_on": later.isoformat()}
    )
    assert response.status_code == 302
    assert "Bob Partway" not in rows_of(page(client.get(dashboard_url(world, overdue="yes"))))


# --- Filters --------------------------------------------------------------------------------


@pytest.fixture
def intakes(app, world):
    """Own has two intakes: "May 2026" (Alice, Bob) and "By-election" (nobody); other has one."""
    may = _intake(app, world.own, "May 2026", world.day - dt.timedelta(40))
    by_election = _intake(app, world.own, "By-election", world.day - dt.timedelta(10))
    elsewhere = _intake(app, world.other, "Theirs", world.day - dt.timedelta(40))
    _join(app, may, world.complete, world.partway)
    _join(app, elsewhere, world.outsider)
    return {"may": may, "by_election": by_election, "elsewhere": elsewhere}


def test_the_dashboard_lists_only_the_intake_chosen(world, intakes, login_as):
    client = login_as(world.manager)
    html = page(client.get(dashboard_url(world)))
    assert "<select" in html and 'name="intake"' in html and "May 2026" in html
    assert sorted(rows_of(html)) != ["Alice Complete", "Bob Partway"]
    chosen = page(client.get(dashboard_url(world, intake=intakes["may"])))
    assert sorted(rows_of(chosen)) == ["Alice Complete", "Bob Partway"]
    assert rows_of(page(client.get(dashboard_url(world, intake=intakes["by_election"])))) == []


@pytest.mark.parametrize("filters", [{}, {"audience": "officer"}, {"q": "a"}])
def test_with_an_intake_each_figure_equals_the_people_its_link_lists(
    world, intakes, login_as, filters
):
    client = login_as(world.manager)
    html = page(client.get(dashboard_url(world, intake=intakes["may"], **filters)))
    figures = _figures(html)
    assert figures["people"][0] == (2 if not filters.get("audience") else 1)
    for key, (number, link) in figures.items():
        assert f"intake={intakes['may']}" in link, key
        listed = _listed(page(client.get(link)))
        assert len(listed) == number, (key, link, listed)


def test_the_csv_export_keeps_the_intake_filter(world, intakes, login_as):
    client = login_as(world.manager)
    response = client.get(dashboard_url(world, "/export.csv", intake=intakes["may"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted(row[0] for row in rows[1:]) == ["Alice Complete", "Bob Partway"]


def test_reminding_everyone_overdue_of_an_intake_reminds_only_them(world, intakes, login_as):
    client = login_as(world.manager)
    html = page(client.get(dashboard_url(world, intake=intakes["may"])))
    assert f"group=overdue&amp;intake={intakes['may']}" in html
    remind = page(
        client.get(
            f"/reminders/organisations/{world.own.id}?course=basics&group=overdue"
            f"&intake={intakes['may']}"
        )
    )
    text = text_of(remind)
    assert "in May 2026" in text and "Bob Partway" in text
    assert "HYPERLINK" not in text  # overdue, but in no intake


@pytest.mark.parametrize("value", ["elsewhere", "missing", "abc", "-1", "99999999999999999999"])
def test_an_intake_that_is_not_the_organisations_is_not_found(world, intakes, login_as, value):
    wanted = {"elsewhere": intakes["elsewhere"], "missing": 987654}.get(value, value)
    client = login_as(world.manager)
    for url in (
        dashboard_url(world, intake=wanted),
        dashboard_url(world, "/export.csv", intake=wanted),
        dashboard_url(world, "/modules.csv", intake=wanted),
        f"/reminders/organisations/{world.own.id}?course=basics&group=overdue&intake={wanted}",
    ):
        assert client.get(url).status_code == 404, url


# --- Pages ----------------------------------------------------------------------------------


def test_a_lead_officer_adds_changes_and_deletes_an_empty_intake(app, world, login_as):
    client = login_as(world.manager)
    url = f"/intakes/organisations/{world.own.id}"
    assert "No intakes yet" in text_of(page(client.get(url)))
    response = client.post(
        url, data={"intake-name": " May  2026 election ", "intake-starts_on": "2026-05-08"}
    )
    assert response.status_code == 302
    with app.app_context():
        intake = db.session.scalars(select(Intake)).one()
        assert (intake.name, intake.starts_on) == ("May 2026 election", dt.date(2026, 5, 8))
        intake_id = intake.id
    html = page(client.get(url))
    assert "May 2026 election" in html and "8 May 2026" in text_of(html)
    # The same name twice is refused, with a message beside the field.
    again = page(
        client.post(
            url, data={"intake-name": "may 2026 ELECTION", "intake-starts_on": "2026-05-09"}
        )
    )
    assert "There is already an intake called" in again
    # Bad input says what to fix.
    bad = text_of(page(client.post(url, data={"intake-name": "", "intake-starts_on": "soon"})))
    assert "Enter a name for the intake" in bad and "Enter a real date" in bad
    # An intake with someone in it cannot be deleted.
    _join(app, intake_id, world.partway)
    response = client.post(f"/intakes/{intake_id}/delete")
    assert "still has 1 person in it" in text_of(page(client.get(url)))
    _join(app, None, world.partway)
    assert client.post(f"/intakes/{intake_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Intake)).all() == []
        actions = list(db.session.scalars(select(AuditEvent.action)))
    assert {"intake.created", "intake.deleted"} <= set(actions)


def test_the_term_length_is_saved_and_checked(app, world, login_as):
    client = login_as(world.manager)
    url = f"/intakes/organisations/{world.own.id}"
    for bad in ("0", "11", "four", "4.5"):
        html = text_of(page(client.post(url, data={"term-term_years": bad})))
        assert "Enter the term" in html or "Enter a term of 1 to 10 years" in html, bad
    assert client.post(url, data={"term-term_years": "4"}).status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, world.own.id).term_years == 4
    _intake(app, world.own, "May 2026", dt.date(2026, 5, 8))
    assert "ends around 8 May 2030" in text_of(page(client.get(url)))
    assert client.post(url, data={"term-term_years": ""}).status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, world.own.id).term_years is None


def test_a_persons_intake_is_set_on_their_page(app, world, intakes, login_as):
    client = login_as(world.manager)
    assert "Change" in page(client.get(f"/admin/people/{world.new.id}"))
    url = f"/intakes/people/{world.new.id}"
    assert client.post(url, data={"intake": intakes["by_election"]}).status_code == 302
    assert _intake_of(app, world.new) == intakes["by_election"]
    assert "By-election" in text_of(page(client.get(f"/admin/people/{world.new.id}")))
    # Another organisation's intake is not found, and nothing changes.
    refused = page(client.post(url, data={"intake": intakes["elsewhere"]}))
    assert "Not a valid choice" in refused and "Theirs" not in refused
    assert _intake_of(app, world.new) == intakes["by_election"]
    assert client.post(url, data={"intake": "0"}).status_code == 302
    assert _intake_of(app, world.new) is None


def test_moving_to_another_organisation_leaves_the_intake(app, world, intakes):
    from induction.accounts import people

    with app.app_context():
        person = db.session.get(User, world.partway.id)
        admin = db.session.get(User, world.admin.id)
        people.update_details(
            person,
            actor=admin,
            organisation=db.session.get(Organisation, world.other.id),
            change_organisation=True,
        )
        db.session.commit()
    assert _intake_of(app, world.partway) is None


# --- Moving people --------------------------------------------------------------------------


def test_re_elected_councillors_move_to_the_new_intake_after_a_preview(
    app, world, intakes, login_as
):
    client = login_as(world.manager)
    url = f"/intakes/organisations/{world.own.id}/move"
    chooser = text_of(page(client.get(f"{url}?source={intakes['may']}")))
    assert "Alice Complete" in chooser and "Bob Partway" in chooser and "Cara New" not in chooser
    data = {
        "source": intakes["may"],
        "target": intakes["by_election"],
        "person": [world.partway.id],
    }
    preview = text_of(page(client.post(url, data=data)))
    assert "Check and move 1 person" in preview and "Bob Partway" in preview
    assert "Nothing has changed yet" in preview
    assert _intake_of(app, world.partway) == intakes["may"]  # not yet
    response = client.post(url, data={**data, "confirm": "1"})
    assert response.status_code == 302
    assert _intake_of(app, world.partway) == intakes["by_election"]
    assert _intake_of(app, world.complete) == intakes["may"]
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "intake.people_moved")
        ).one()
        assert event.details["people"] == [world.partway.id]
        assert event.details["from"] == "May 2026" and event.details["intake"] == "By-election"
    assert "intake.people_moved" in ACTIONS
    # Confirming the same move again finds nobody in May 2026 any more: nothing happens.
    assert client.post(url, data={**data, "confirm": "1"}).status_code == 404


def test_people_in_no_intake_are_put_in_one(app, world, intakes, login_as):
    client = login_as(world.manager)
    url = f"/intakes/organisations/{world.own.id}/move"
    data = {"source": 0, "target": intakes["may"], "person": [world.new.id, world.formula.id]}
    assert client.post(url, data={**data, "confirm": "1"}).status_code == 302
    assert _intake_of(app, world.new) == intakes["may"] == _intake_of(app, world.formula)


def test_a_move_needs_people_and_a_different_intake(world, intakes, login_as):
    client = login_as(world.manager)
    url = f"/intakes/organisations/{world.own.id}/move"
    nobody = text_of(
        page(client.post(url, data={"source": intakes["may"], "target": intakes["by_election"]}))
    )
    assert "Tick at least one person to move" in nobody
    same = text_of(
        page(
            client.post(
                url,
                data={
                    "source": intakes["may"],
                    "target": intakes["may"],
                    "person": [world.partway.id],
                },
            )
        )
    )
    assert "Choose a different intake to move them to" in same


@pytest.mark.parametrize("confirm", [False, True])
def test_a_move_of_another_organisations_people_or_intakes_is_not_found(
    app, world, intakes, login_as, confirm
):
    client = login_as(world.manager)
    url = f"/intakes/organisations/{world.own.id}/move"
    extra = {"confirm": "1"} if confirm else {}
    for data in (
        {"source": 0, "target": intakes["may"], "person": [world.outsider.id]},
        {"source": intakes["elsewhere"], "target": intakes["may"], "person": [world.outsider.id]},
        {"source": 0, "target": intakes["elsewhere"], "person": [world.new.id]},
        {"source": intakes["may"], "target": intakes["by_election"], "person": [world.new.id]},
    ):
        response = client.post(url, data={**data, **extra})
        if data["target"] == intakes["elsewhere"]:
            # Not one of the choices: refused like any unknown id, which says nothing of it.
            assert "Not a valid choice" in page(response), data
            assert "Theirs" not in page(response)
        else:
            assert response.status_code == 404, data
    assert _intake_of(app, world.outsider) == intakes["elsewhere"]
    assert _intake_of(app, world.new) is None


def test_another_organisations_intake_pages_are_not_found(world, intakes, login_as):
    client = login_as(world.other_manager)
    for method, url in (
        ("get", f"/intakes/organisations/{world.own.id}"),
        ("post", f"/intakes/organisations/{world.own.id}"),
        ("get", f"/intakes/organisations/{world.own.id}/move"),
        ("post", f"/intakes/organisations/{world.own.id}/move"),
        ("get", f"/intakes/{intakes['may']}/edit"),
        ("post", f"/intakes/{intakes['may']}/edit"),
        ("post", f"/intakes/{intakes['by_election']}/delete"),
        ("get", f"/intakes/people/{world.partway.id}"),
        ("post", f"/intakes/people/{world.partway.id}"),
        ("get", f"/intakes/organisations/{world.other.id}/move?source={intakes['may']}"),
        ("get", "/intakes/987654/edit"),
    ):
        assert getattr(client, method)(url).status_code == 404, url
    # Their own organisation's pages work.
    assert client.get(f"/intakes/organisations/{world.other.id}").status_code == 200


def test_learners_cannot_use_the_intake_pages(world, intakes, login_as):
    client = login_as(world.partway)
    for url in (f"/intakes/organisations/{world.own.id}", f"/intakes/{intakes['may']}/edit"):
        assert client.get(url).status_code in (403, 404), url


def test_admins_manage_any_organisations_intakes(world, intakes, login_as):
    client = login_as(world.admin)
    assert "Theirs" in page(client.get(f"/intakes/organisations/{world.other.id}"))
    assert client.get(f"/intakes/{intakes['may']}/edit").status_code == 200


def test_a_person_in_no_organisation_has_no_intake_page(world, login_as):
    client = login_as(world.admin)
    assert world.admin.organisation_id is None
    assert client.get(f"/intakes/people/{world.admin.id}").status_code == 404
    assert client.post(f"/intakes/people/{world.admin.id}", data={"intake": "0"}).status_code == 404


def test_the_list_of_people_filters_by_intake(world, intakes, login_as):
    client = login_as(world.manager)
    html = page(client.get("/admin/people"))
    assert 'name="intake"' in html
    chosen = text_of(page(client.get(f"/admin/people?intake={intakes['may']}")))
    assert "Alice Complete" in chosen and "Bob Partway" in chosen and "Cara New" not in chosen
    assert client.get(f"/admin/people?intake={intakes['elsewhere']}").status_code == 404
    assert client.get("/admin/people?intake=abc").status_code == 404
    admin = login_as(world.admin)
    assert 'name="intake"' not in page(admin.get("/admin/people"))
    listed = text_of(
        page(
            admin.get(f"/admin/people?organisation={world.other.id}&intake={intakes['elsewhere']}")
        )
    )
    assert "Olga Outsider" in listed
    mixed = f"/admin/people?organisation={world.own.id}&intake={intakes['elsewhere']}"
    assert admin.get(mixed).status_code == 404


def test_a_persons_pages_name_their_intake_and_due_date(app, world, intakes, login_as):
    client = login_as(world.manager)
    admin_page = text_of(page(client.get(f"/admin/people/{world.partway.id}")))
    counted_from = world.day - dt.timedelta(30)  # their own start date: later than May 2026
    assert f"May 2026 (due dates count from {counted_from.day} {counted_from:%B %Y})" in admin_page
    report = text_of(page(client.get(f"/reports/people/{world.partway.id}")))
    assert "Intake May 2026" in report
