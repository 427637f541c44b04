"""Report commands: `reports refresh` (after changing courses, and daily from cron).

The stored statuses belong to progress (`progress.status_rewrite`); the command keeps
its place in the `reports` group because the reports are what it speeds up.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from induction.progress.status_rewrite import refresh_all

reports_cli = AppGroup("reports", help="The course statuses the reports read.")


@reports_cli.command("refresh")
def refresh_command() -> None:
    """Bring every person's stored status in every course up to date with the course files.

    Reports are right without it, but slower for the people whose course changed since
    their status was stored: run it after changing courses, and daily from cron.
    """
    for course_id, written in refresh_all().items():
        people = "person" if written == 1 else "people"
        click.echo(f"{course_id}: stored statuses brought up to date for {written} {people}")
