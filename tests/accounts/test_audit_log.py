"""The audit log as people read it: sentences, folded details, filters, CSV, recent activity."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from induction.accounts import audit
from induction.accounts.models import Organisation, User
from induction.admin import audit_sentences
from induction.admin.audit_log import action_choices, when_in_words
from induction.admin.audit_sentences import Names, Person
from induction.database import utcnow
from induction.extensions import db
from induction.web.templating import uk_datetime

PACKAGE = Path(__file__).resolve().parents[2] / "induction"
ACTION_NAME = re.compile(r"^[a-z_]+\.[a-z_]+$")


def _strings(node: ast.AST) -> set[str]:
    return {
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and ACTION_NAME.match(n.value)
    }


def recorded_actions() -> set[str]:
    """Every action name the code records: the first argument of `audit.record(...)`, an
    `action=` argument (course file changes pass theirs on), or a value assigned to `action`."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr == "record" and node.args:
                    found |= _strings(node.args[0])
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        found |= _strings(keyword.value)
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "action" for t in node.targets
            ):
                found |= _strings(node.value)
    return found


def test_every_action_recorded_in_the_code_has_a_sentence():
    actions = recorded_actions()
    # The scan must find the actions made in every way: a literal, a conditional, a keyword.
    assert {"auth.login", "user.deactivated", "user.reactivated", "course_quiz.imported"} <= actions
    assert {"course.published", "course_media.deleted"} <= actions
    missing = sorted(actions - set(audit_sentences.ACTIONS))
    assert not missing, f"add a sentence to induction/admin/audit_sentences.py for: {missing}"


class Event:
    def __init__(self, action, actor_id=None, target=(None, None), organisation_id=None, **details):
        self.action = action
        self.actor_id = actor_id
        self.target_type, self.target_id = target
        self.organisation_id = organisation_id
        self.details = details or None


NAMES = Names(
    people={1: Person("Ada Admin", "ada@example.org"), 2: Person("", "ben@example.org")},
    organisations={7: "Oldham Council"},
)


def _text(event, names=NAMES):
    return audit_sentences.plain(audit_sentences.sentence(event, names))


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (Event("auth.login", 1, ("user_account", "1")), "Ada Admin signed in"),
        (
            Event("auth.login_failed", email="x@example.org"),
            "Someone failed to sign in as x@example.org",
        ),
        (
            Event("invitation.sent", 1, ("invitation", "4"), 7, email="c@example.org"),
            "Ada Admin invited c@example.org to Oldham Council",
        ),
        (
            Event("invitation.sent", 1, ("invitation", "4"), email="c@example.org"),
            "Ada Admin invited c@example.org",
        ),
        (
            Event(
                "user.role_changed",
                1,
                ("user_account", "2"),
                **{"from": "learner", "to": "manager"},
            ),
            "Ada Admin changed the role of ben@example.org from learner to lead officer",
        ),
        (
            Event("user.deactivated", 1, ("user_account", "99")),
            "Ada Admin deactivated an account that no longer exists",
        ),
        (Event("draft.saved", 1), "Ada Admin saved a draft"),
        (
            Event("draft.saved", 1, ("user_account", "2")),
            "Ada Admin saved a draft (ben@example.org)",
        ),
        (Event("report.archived"), "Someone archived a report"),
        (
            Event("draft.published", 1, ("course", "basics"), paths=["a.md", "b.md", "c.md"]),
            "Ada Admin published 3 changes to the course basics",
        ),
        (
            Event("email.changed", 2, ("user_account", "2")),
            "Ben@example.org changed their email address from (not recorded) to (not recorded)",
        ),
    ],
)
def test_each_entry_reads_as_a_sentence(event, expected):
    assert _text(event) == expected


def test_people_and_organisations_are_linked():
    parts = audit_sentences.sentence(
        Event("invitation.sent", 1, ("invitation", "4"), 7, email="c@x.org"), NAMES
    )
    links = [(p.text, p.endpoint, dict(p.args)) for p in parts if p.endpoint]
    assert links == [
        ("Ada Admin", "admin.person", {"person_id": 1}),
        ("Oldham Council", "admin.organisation", {"org_id": 7}),
    ]


def test_an_unknown_action_gets_a_plain_label():
    assert audit_sentences.label("draft.saved") == "Saved a draft"
    assert audit_sentences.label("auth.login") == "Signed in"


def test_time_in_words():
    now = dt.datetime(2026, 12, 5, 15, 0, tzinfo=dt.UTC)
    assert when_in_words(now - dt.timedelta(seconds=10), now) == "just now"
    assert when_in_words(now - dt.timedelta(minutes=1), now) == "1 minute ago"
    assert when_in_words(now - dt.timedelta(minutes=5), now) == "5 minutes ago"
    assert when_in_words(now.replace(hour=9, minute=5), now) == "today at 09:05"
    assert when_in_words(now - dt.timedelta(days=1), now) == "yesterday at 15:00"
    assert when_in_words(now - dt.timedelta(days=3), now) == "2 December 2026, 15:00 GMT"


def test_time_in_words_is_uk_time_and_uk_days():
    # 10:00 UTC on 6 July is 11:00 BST; 23:30 UTC the evening before is 00:30 BST on the 6th.
    now = dt.datetime(2026, 7, 6, 10, 0, tzinfo=dt.UTC)
    at = dt.datetime
    assert when_in_words(at(2026, 7, 5, 23, 30, tzinfo=dt.UTC), now) == "today at 00:30"
    assert when_in_words(at(2026, 7, 4, 23, 30, tzinfo=dt.UTC), now) == "yesterday at 00:30"
    assert when_in_words(at(2026, 7, 1, 12, 0, tzinfo=dt.UTC), now) == "1 July 2026, 13:00 BST"
    # At 00:55 BST (23:55 UTC), 22:55 BST two hours before was yesterday, though in UTC
    # both are on 5 July.
    late = at(2026, 7, 5, 23, 55, tzinfo=dt.UTC)
    assert when_in_words(late - dt.timedelta(hours=2), late) == "yesterday at 22:55"


def test_a_scheduled_publish_names_its_time():
    event = Event(
        "course.publish_scheduled", 1, ("course", "basics"), due_at="2026-07-28T14:00:00+00:00"
    )
    assert _text(event) == (
        "Ada Admin scheduled the draft of the course basics to be published on "
        "28 July 2026, 14:00 UTC"
    )
    uk = Names(people=NAMES.people, time_words=uk_datetime)
    assert _text(event, uk).endswith("published on 28 July 2026, 15:00 BST")


def test_an_action_renamed_since_is_one_choice_and_keeps_its_sentence():
    assert audit_sentences.all_names("course.changes_published") == (
        "course.changes_published",
        "draft.published",
    )
    assert audit_sentences.all_names("draft.published") == audit_sentences.all_names(
        "course.changes_published"
    )
    assert audit_sentences.all_names("auth.login") == ("auth.login",)
    old = Event("draft.published", 1, ("course", "basics"), paths=["a.md"])
    assert _text(old) == "Ada Admin published 1 change to the course basics"


def test_no_two_choices_of_the_filter_share_a_label(app):
    with app.app_context():
        labels = [label for _action, label in action_choices()]
    assert len(labels) == len(set(labels)), sorted(labels)


# --- The pages, on the real database -------------------------------------------------------


def _record(app, action, *, actor_id=None, target=None, ago=None, at=None, **kwargs):
    with app.app_context():
        actor = db.session.get(User, actor_id) if actor_id else None
        if isinstance(target, tuple) and target[0] in ("user_account", "organisation"):
            model = User if target[0] == "user_account" else Organisation
            target = db.session.get(model, target[1])
        event = audit.record(action, actor=actor, target=target, **kwargs)
        db.session.flush()
        if ago is not None:
            event.occurred_at = utcnow() - ago
        if at is not None:
            event.occurred_at = at
        db.session.commit()
        return event.id


def test_the_log_shows_sentences_with_links_and_folded_details(app, login_as, make_org, make_user):
    oldham = make_org("Oldham Council")
    ben = make_user(
        name="Ben Officer", email="ben@example.org", role="manager", organisation=oldham
    )
    _record(
        app,
        "invitation.sent",
        actor_id=ben.id,
        target=("invitation", "5"),
        organisation_id=oldham.id,
        details={"email": "c@example.org", "role": "learner"},
    )
    _record(
        app, "auth.login_failed", details={"email": "x@example.org", "reason": "unknown address"}
    )
    diff = (
        "--- a/01-first-steps/01-welcome.md\n+++ b/01-first-steps/01-welcome.md\n-old line\n+"
        + "x" * 400
    )
    _record(
        app,
        "course_file.saved",
        actor_id=ben.id,
        target=("course", "basics"),
        details={"folder": "01-basics", "paths": ["01-first-steps/01-welcome.md"], "diff": diff},
    )
    page = login_as(role="admin").get("/admin/audit").get_data(as_text=True)
    assert (
        f'<a href="/admin/people/{ben.id}">Ben Officer</a> invited c@example.org to '
        f'<a href="/admin/organisations/{oldham.id}">Oldham Council</a>.'
    ) in page
    assert "Someone failed to sign in as x@example.org." in page
    assert (
        '<a href="/courses/basics/lessons/welcome">the lesson “Welcome”</a> in the draft of '
        '<a href="/courses/basics/">Basics</a>.'
    ) in page
    assert "Just now" in page
    # Details are folded, the diff in its own box, fields as a definition list.
    # Four entries (the admin's own sign-in too), each with its details folded.
    assert page.count('<li class="audit-entry">') == 4
    assert page.count('<details class="audit-entry__details">') == 4
    assert "<details open" not in page
    assert '<pre class="audit-diff" tabindex="0"' in page
    assert "<dt>Reason</dt><dd>unknown address</dd>" in page
    entries = page[page.index('<ol class="audit-list">') :]
    assert "user_account" not in entries and "course_file.saved" not in entries


def test_filters_by_action_person_and_dates(app, login_as, make_user):
    ada = make_user(name="Ada Admin", email="ada@example.org", role="admin")
    ben = make_user(name="Ben Learner", email="ben@example.org")
    _record(app, "auth.login", actor_id=ben.id, target=("user_account", ben.id))
    _record(
        app,
        "user.role_changed",
        actor_id=ada.id,
        target=("user_account", ben.id),
        details={"from": "learner", "to": "manager"},
    )
    _record(
        app,
        "auth.logout",
        actor_id=ada.id,
        target=("user_account", ada.id),
        ago=dt.timedelta(days=40),
    )
    client = login_as(role="admin")

    def sentences(**query):
        page = client.get("/admin/audit", query_string=query).get_data(as_text=True)
        return re.findall(r'<p class="audit-entry__sentence">(.*?)</p>', page)

    assert sentences(action="user.role_changed") == [
        f'<a href="/admin/people/{ada.id}">Ada Admin</a> changed the role of '
        f'<a href="/admin/people/{ben.id}">Ben Learner</a> from learner to lead officer.'
    ]
    # A person: what they did and what was done to them.
    about_ben = sentences(person="BEN@example.org")
    assert len(about_ben) == 2 and "signed in" in about_ben[1]
    assert len(sentences(person="ada@example.org")) == 2
    assert sentences(person="nobody@example.org") == []
    since = (utcnow() - dt.timedelta(days=1)).date().isoformat()
    assert not any("signed out" in s for s in sentences(date_from=since))
    before = (utcnow() - dt.timedelta(days=30)).date().isoformat()
    assert [s for s in sentences(date_to=before) if "signed out" in s]
    # The action filter is a list of plain words.
    page = client.get("/admin/audit").get_data(as_text=True)
    assert '<option value="auth.login">Signed in</option>' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "yesterday"}, "Enter a real date"),
        ({"date_to": "9999-12-31"}, "Enter a date"),
        ({"action": "no.such_thing"}, "Choose what happened from the list"),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "on or after the"),
    ],
)
def test_bad_filters_get_a_message_not_an_error(login_as, query, message):
    for path in ("/admin/audit", "/admin/audit.csv"):
        response = login_as(role="admin").get(path, query_string=query)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)


def test_csv_export_holds_the_filtered_entries_safe_from_formulas(app, login_as, make_user):
    mallory = make_user(name='=HYPERLINK("http://evil")', email="mallory@example.org")
    _record(app, "auth.login", actor_id=mallory.id, target=("user_account", mallory.id))
    _record(
        app,
        "user.updated",
        actor_id=mallory.id,
        target=("user_account", mallory.id),
        details={"name": "=1+1", "audience": {"from": "officer", "to": "councillor"}},
    )
    response = login_as(role="admin").get(
        "/admin/audit.csv", query_string={"person": "mallory@example.org"}
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == [
        "When (Europe/London)",
        "What happened",
        "Action",
        "Done by",
        "IP address",
        "Details",
        "When (ISO 8601, with offset from UTC)",
    ]
    assert len(rows) == 3
    assert rows[1][2] == "user.updated"
    assert rows[1][1].startswith("'=HYPERLINK")
    assert rows[1][3] == "mallory@example.org"
    assert "Audience: officer → councillor" in rows[1][5]
    assert rows[2][1].endswith("signed in")


def test_500_entries_one_short_page_and_a_fixed_number_of_queries(
    app, login_as, make_org, make_user, count_queries
):
    client = login_as(role="admin")

    def fill(count):
        with app.app_context():
            orgs = [Organisation(name=f"Org {n} {count}") for n in range(5)]
            people = [
                User(email=f"p{n}-{count}@example.org", name=f"P {n}", organisation=orgs[n % 5])
                for n in range(count // 5)
            ]
            db.session.add_all(orgs + people)
            db.session.flush()
            for n in range(count):
                person = people[n % len(people)]
                audit.record(
                    "user.updated",
                    actor=person,
                    target=people[(n + 1) % len(people)],
                    details={"name": "x", "diff": "-a\n+b"},
                )
            db.session.commit()

    def load():
        with count_queries() as counter:
            page = client.get("/admin/audit")
        assert page.status_code == 200
        return page.get_data(as_text=True), counter.count

    fill(20)
    load()  # the first page a worker serves also reads the network's identity, then keeps it
    _, few = load()
    fill(480)
    page, many = load()
    assert many == few, (few, many)
    assert many <= 12
    assert page.count('<li class="audit-entry">') == 50
    assert page.count('<details class="audit-entry__details">') == 50
    assert "<details open" not in page
    assert "Page 1 of 11 (501 in all)" in page  # the 500, and the admin's own sign-in


def test_recent_activity_on_the_admin_home_page(app, login_as, make_user, count_queries):
    ada = make_user(name="Ada Admin", email="ada@example.org", role="admin")
    for n in range(12):
        _record(
            app,
            "organisation.join_code_set" if n == 11 else "auth.login",
            actor_id=ada.id,
            target=("user_account", ada.id),
        )
    client = login_as(role="admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Recent activity" in page
    assert page.count('<li class="audit-entry">') == 10
    assert 'href="/admin/audit">See the whole audit log' in page
    assert "<details" not in page
    assert f'<a href="/admin/people/{ada.id}">Ada Admin</a> set a new join code for' in page


def test_managers_see_no_audit_log(login_as, make_org):
    manager = login_as(role="manager", organisation=make_org())
    for path in ("/admin/audit", "/admin/audit.csv", "/admin/"):
        assert manager.get(path).status_code == 403


# --- UK time, and actions renamed since ---------------------------------------------------

# 23:30 UTC on a summer evening is 00:30 BST: the next day in the UK.
SUMMER_NIGHT = dt.datetime(2025, 7, 5, 23, 30, tzinfo=dt.UTC)


def test_the_log_shows_uk_time(app, login_as, make_user):
    ada = make_user(name="Ada Admin", email="ada@example.org", role="admin")
    _record(app, "auth.logout", actor_id=ada.id, target=("user_account", ada.id), at=SUMMER_NIGHT)
    page = login_as(role="admin").get("/admin/audit").get_data(as_text=True)
    assert "6 July 2025, 00:30 BST" in page
    assert "Times are UK time." in page
    assert "UTC" not in page


def test_the_date_filter_means_uk_days(app, login_as, make_user):
    ada = make_user(name="Ada Admin", email="ada@example.org", role="admin")
    _record(app, "auth.logout", actor_id=ada.id, target=("user_account", ada.id), at=SUMMER_NIGHT)
    client = login_as(role="admin")

    def signed_out(**query):
        page = client.get("/admin/audit", query_string=query).get_data(as_text=True)
        return "signed out" in page

    assert signed_out(date_from="2025-07-06", date_to="2025-07-06")
    assert not signed_out(date_from="2025-07-05", date_to="2025-07-05")
    assert not signed_out(date_from="2025-07-07")
    assert signed_out(date_to="2025-07-06")


def test_the_csv_gives_uk_time_for_spreadsheets_and_an_unambiguous_time(app, login_as, make_user):
    ada = make_user(name="Ada Admin", email="ada@example.org", role="admin")
    _record(app, "auth.logout", actor_id=ada.id, target=("user_account", ada.id), at=SUMMER_NIGHT)
    winter = dt.datetime(2025, 12, 5, 9, 15, tzinfo=dt.UTC)
    _record(app, "auth.login", actor_id=ada.id, target=("user_account", ada.id), at=winter)
    response = login_as(role="admin").get(
        "/admin/audit.csv", query_string={"person": "ada@example.org"}
    )
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [(row[0], row[2], row[6]) for row in rows[1:]] == [
        ("2025-12-05 09:15:00", "auth.login", "2025-12-05T09:15:00+00:00"),
        ("2025-07-06 00:30:00", "auth.logout", "2025-07-06T00:30:00+01:00"),
    ]


def test_published_changes_is_one_choice_finding_old_and_new_entries(app, login_as, make_user):
    ada = make_user(name="Ada Admin", email="ada@example.org", role="admin")
    for action, path in (("draft.published", "old.md"), ("course.changes_published", "new.md")):
        _record(
            app,
            action,
            actor_id=ada.id,
            target=("course", "basics"),
            details={"folder": "01-basics", "paths": [path]},
        )
    _record(app, "course.published", actor_id=ada.id, target=("course", "basics"))
    client = login_as(role="admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert page.count(">Published changes</option>") == 1
    assert '<option value="course.changes_published">Published changes</option>' in page

    found = client.get("/admin/audit", query_string={"action": "course.changes_published"})
    sentences = re.findall(
        r'<p class="audit-entry__sentence">(.*?)</p>', found.get_data(as_text=True)
    )
    assert len(sentences) == 2
    assert all("published 1 change to" in s for s in sentences)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/admin/audit.csv", query_string={"action": "course.changes_published"})
                .get_data()
                .decode("utf-8-sig")
            )
        )
    )
    assert sorted(row[2] for row in rows[1:]) == ["course.changes_published", "draft.published"]
