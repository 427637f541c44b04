"""Report commands: `reminders send` (daily, from cron), `reports refresh` (after changing
courses, and daily from cron) and `users import` (bulk invitations).

`users import` joins the `users` group of the accounts commands when the app is built
(accounts must not depend on reports, so the command lives here).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import IntegrityError

from induction.accounts.organisations import find_by_name
from induction.database import write_intent
from induction.extensions import db
from induction.inputs import date_problem
from induction.mail import deliver_pending
from induction.progress.services import today as local_today
from induction.reports import bulk_invitations as bulk
from induction.reports import summary
from induction.reports.reminders import plan_reminders, queue_reminders

reminders_cli = AppGroup("reminders", help="Reminder emails about due and overdue courses.")
reports_cli = AppGroup("reports", help="The course statuses the reports read.")


@reports_cli.command("refresh")
def refresh_command() -> None:
    """Bring every person's stored status in every course up to date with the course files.

    Reports are right without it, but slower for the people whose course changed since
    their status was stored: run it after changing courses, and daily from cron.
    """
    for course_id, written in summary.refresh_all().items():
        people = "person" if written == 1 else "people"
        click.echo(f"{course_id}: stored statuses brought up to date for {written} {people}")


@reminders_cli.command("send")
@click.option("--dry-run", is_flag=True, help="List what would be sent; send and record nothing.")
@click.option(
    "--today",
    "today_text",
    default=None,
    metavar="YYYY-MM-DD",
    help="Act as if today were this date (for testing).",
)
def send_command(dry_run: bool, today_text: str | None) -> None:
    """Email people whose course is due soon or overdue, and managers a digest of theirs.

    Safe to run twice: what was sent is recorded, and nothing is sent again the same day.
    """
    try:
        day = dt.date.fromisoformat(today_text) if today_text else local_today()
    except ValueError:
        raise click.BadParameter("write the date as YYYY-MM-DD", param_hint="--today") from None
    if problem := date_problem(day):
        raise click.BadParameter(problem, param_hint="--today")
    intent = write_intent.set(not dry_run)  # SQLite: take the write lock up front
    try:
        reminders = plan_reminders(day)
        verb = "Would send" if dry_run else "Sending"
        for reminder in reminders:
            click.echo(f"{verb} {reminder.describe()}")
        if dry_run:
            db.session.rollback()
            click.echo(f"Dry run: {len(reminders)} reminder(s) would be sent; nothing was sent.")
            return
        try:
            queue_reminders(reminders, day)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            raise click.ClickException(
                "Another run sent reminders at the same moment; nothing more was sent."
            ) from None
    finally:
        write_intent.reset(intent)
    report = deliver_pending(limit=None)
    click.echo(
        f"Queued {len(reminders)} reminder(s); delivered {report.sent} message(s), "
        f"{report.failed} failed and stay queued."
    )


@click.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--organisation", required=True, help="The name of the organisation they join.")
@click.option(
    "--dry-run", is_flag=True, help="Check the file and say what would happen; invite no one."
)
@with_appcontext
def import_users_command(csv_file: Path, organisation: str, dry_run: bool) -> None:
    """Invite the people of a CSV file into an organisation, as learners.

    The file has the columns email,name,audience and optionally start_date (2027-05-06 or
    06/05/2027). Every line is checked first; the lines that are ready are invited all
    together (all or nothing), and the others are listed with what is wrong.
    """
    org = find_by_name(organisation)
    if org is None:
        raise click.ClickException(f"No organisation is called {organisation!r}.")
    data = csv_file.read_bytes()
    preview = bulk.preview(None, org, data)
    if preview.file_problems:
        for problem in preview.file_problems:
            click.echo(problem, err=True)
        raise click.ClickException("The file cannot be imported: nothing was done.")
    for row in (*preview.skipped, *preview.problems):
        click.echo(f"line {row.line}: {row.email}: {row.label}: {'; '.join(row.messages)}")
    summary = (
        f"{len(preview.ready)} ready, {len(preview.skipped)} skipped, "
        f"{len(preview.problems)} with problems"
    )
    if dry_run or not preview.ready:
        db.session.rollback()
        click.echo(f"{summary}. Nothing was sent{' (dry run)' if dry_run else ''}.")
        return
    intent = write_intent.set(True)
    try:
        with click.progressbar(length=len(preview.rows), label="Inviting") as bar:
            _checked, result = bulk.confirm(None, org, data, progress=bar.update)
        assert result is not None
        db.session.commit()
    finally:
        write_intent.reset(intent)
    click.echo(
        f"Invited {result.invited} into {org.name} in {result.seconds:.1f} s ({summary}). "
        "Run 'flask --app induction mail send' to deliver the emails now, or let cron do it."
    )
