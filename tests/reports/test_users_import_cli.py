"""`flask --app induction users import FILE --organisation NAME`: the bulk import from a shell."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from induction.accounts import bulk_invitations
from induction.accounts.audit import AuditEvent
from induction.accounts.models import Invitation, Organisation
from induction.extensions import db
from induction.mail import QueuedEmail
from induction.progress.services import today
from induction.web.templating import uk_date

FILE = (
    "email,name,audience,start_date\n"
    "cli.one@example.org,Cli One,officer,2027-05-06\n"
    "cli.two@example.org,Cli Two,councillor,\n"
    "broken,Broken,officer,\n"
)


def test_the_command_invites_the_ready_lines_with_a_progress_bar(app, runner, make_org, tmp_path):
    org = make_org("Shire Council")
    path = tmp_path / "people.csv"
    path.write_text(FILE, "utf-8")
    result = runner.invoke(args=["users", "import", str(path), "--organisation", "Shire Council"])
    assert result.exit_code == 0, result.output
    assert "line 4: broken: Problem" in result.output
    assert "Inviting" in result.output  # the progress bar
    assert "Invited 2 into Shire Council" in result.output
    with app.app_context():
        invited = db.session.scalars(select(Invitation).order_by(Invitation.email)).all()
        assert [(i.email, i.organisation_id, i.invited_by_id) for i in invited] == [
            ("cli.one@example.org", org.id, None),
            ("cli.two@example.org", org.id, None),
        ]
        assert db.session.scalar(select(func.count()).select_from(QueuedEmail)) == 2
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "invitation.bulk_imported")
            )
            == 1
        )


def test_a_dry_run_and_bad_input_change_nothing(app, runner, make_org, tmp_path):
    make_org("Shire Council")
    path = tmp_path / "people.csv"
    path.write_text(FILE, "utf-8")
    dry = runner.invoke(
        args=["users", "import", str(path), "--organisation", "Shire Council", "--dry-run"]
    )
    assert dry.exit_code == 0, dry.output
    assert "2 ready, 0 skipped, 1 with problems. Nothing was sent (dry run)." in dry.output
    unknown = runner.invoke(args=["users", "import", str(path), "--organisation", "Nowhere"])
    assert unknown.exit_code != 0 and "No organisation is called 'Nowhere'" in unknown.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00")
    unreadable = runner.invoke(
        args=["users", "import", str(bad), "--organisation", "Shire Council"]
    )
    assert unreadable.exit_code != 0 and "not UTF-8" in unreadable.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def _late_file(app) -> tuple[str, dt.date]:
    """Return a file with a line starting long ago (overdue on joining) and one starting
    soon, and the long-past start date."""
    with app.app_context():
        day = today()
    start = day - dt.timedelta(days=400)
    soon = day + dt.timedelta(days=10)
    return (
        "email,name,audience,start_date\n"
        f"late@example.org,Lee Late,officer,{start.isoformat()}\n"
        f"soon@example.org,Sam Soon,councillor,{soon.isoformat()}\n"
    ), start


def test_the_lines_overdue_as_soon_as_they_join_are_listed_as_on_the_check_page(
    app, runner, make_org, tmp_path
):
    make_org("Shire Council")
    text, start = _late_file(app)
    path = tmp_path / "people.csv"
    path.write_text(text, "utf-8")
    with app.app_context():
        org = db.session.scalars(select(Organisation)).one()
        [late] = bulk_invitations.preview(None, org, text.encode()).overdue_at_once
    dry = runner.invoke(
        args=["users", "import", str(path), "--organisation", "Shire Council", "--dry-run"]
    )
    assert dry.exit_code == 0, dry.output
    due = uk_date(start + dt.timedelta(days=14))  # the fixture course is due 14 days on
    assert "1 person would be overdue as soon as they join:" in dry.output
    assert (
        f"line 2: late@example.org: start date {uk_date(start)}: "
        f"Overdue as soon as they join: Basics due {due}." in dry.output
    )
    assert late.overdue_words in dry.output  # the check page's words, from the same rule
    assert "soon@example.org" not in dry.output
    assert "--from-joining" in dry.output

    done = runner.invoke(
        args=["users", "import", str(path), "--organisation", "Shire Council", "--from-joining"]
    )
    assert done.exit_code == 0, done.output
    assert "Their due dates will count from the day each one joins" in done.output
    with app.app_context():
        starts = {i.email: i.start_date for i in db.session.scalars(select(Invitation))}
    assert starts == {"late@example.org": None, "soon@example.org": start + dt.timedelta(days=410)}


def test_a_file_with_no_line_overdue_says_nothing_of_it(app, runner, make_org, tmp_path):
    make_org("Shire Council")
    path = tmp_path / "people.csv"
    path.write_text(FILE, "utf-8")
    result = runner.invoke(
        args=["users", "import", str(path), "--organisation", "Shire Council", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "overdue" not in result.output


def test_everyone_stands_for_a_missing_audience_column(app, runner, make_org, tmp_path):
    """A council's list of the councillors elected has no audience column: --everyone says
    who is in it; a line that names its own audience keeps it."""
    make_org("Shire Council")
    path = tmp_path / "elected.csv"
    path.write_text(
        "First name,Surname,Ward,Email\n"
        "Ada,Lovelace,North,ada@example.org\n"
        "Alan,Turing,South,alan@example.org\n",
        "utf-8",
    )
    args = ["users", "import", str(path), "--organisation", "Shire Council"]
    refused = runner.invoke(args=args)
    assert refused.exit_code != 0
    assert "nothing was done" in refused.output
    invited = runner.invoke(args=[*args, "--everyone", "councillor"])
    assert invited.exit_code == 0, invited.output
    assert "Invited 2 into Shire Council" in invited.output
    with app.app_context():
        rows = db.session.scalars(select(Invitation).order_by(Invitation.email)).all()
        assert [(i.email, i.name, i.audience) for i in rows] == [
            ("ada@example.org", "Ada Lovelace", "councillor"),
            ("alan@example.org", "Alan Turing", "councillor"),
        ]
    unknown = runner.invoke(args=[*args, "--everyone", "mayor"])
    assert unknown.exit_code != 0 and "'mayor' is not one of" in unknown.output
