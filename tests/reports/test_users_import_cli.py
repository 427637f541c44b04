"""`flask --app induction users import FILE --organisation NAME`: the bulk import from a shell."""

from __future__ import annotations

from sqlalchemy import func, select

from induction.accounts.audit import AuditEvent
from induction.accounts.models import Invitation
from induction.extensions import db
from induction.mail import QueuedEmail

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
