"""Progress commands: `reminders send` (daily, from cron)."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from induction.database import write_intent
from induction.extensions import db
from induction.inputs import date_problem
from induction.mail import deliver_pending
from induction.progress.reminders import plan_reminders, queue_reminders
from induction.progress.services import today as local_today

reminders_cli = AppGroup("reminders", help="Reminder emails about due and overdue courses.")


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
