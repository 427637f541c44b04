"""`flask --app induction courses history COURSE [FILE]`: what was published, by whom and why;
`courses publish-due`: publish the drafts scheduled for now (for cron)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from induction.admin.course_files.listing import course_id_of, list_course_folders
from induction.admin.course_files.paths import CourseFolder
from induction.admin.drafts import history, schedule
from induction.catalogue import get_catalogue
from induction.extensions import db


def _folder(course: str) -> CourseFolder | None:
    root = get_catalogue().root
    for name in list_course_folders(root):
        folder = CourseFolder(root, name)
        if course in (name, course_id_of(folder)):
            return folder
    return None


@click.command("history")
@click.argument("course")
@click.argument("file", required=False)
@with_appcontext
def history_command(course: str, file: str | None) -> None:
    """Print the history of COURSE (its id or folder name), newest first.

    With FILE (a path inside the course folder, like 01-module/02-lesson.md) print only
    the publishes of that file, each with what it changed. Files changed on disk by other
    means since the last publish are first recorded as "changed on disk".
    """
    folder = _folder(course)
    if folder is None:
        raise click.ClickException(
            f"there is no course '{course}' in {current_app.config['COURSES_DIR']}: "
            "give a course id or its folder name"
        )
    history.note_disk_changes(folder)
    db.session.commit()
    # A file's versions follow it back through renames, as "Versions and undo" does.
    found = history.file_versions(folder, file) if file else history.course_entries(folder)
    if not found:
        click.echo(f"No history for {file or folder.name} yet.")
        return
    for entry in found:
        click.echo(history.describe(entry.publication))
        for item in entry.files:
            state = "new" if item.before is None else "deleted" if item.after is None else "changed"
            click.echo(f"    {state}: {item.path}")
            if file is not None:
                names = ("before", "after")
                diff = history.compare(item.path, item.before, item.after, names).diff
                click.echo("".join(f"      {line}\n" for line in diff.splitlines()), nl=False)


@click.command("publish-due")
@with_appcontext
def publish_due_command() -> None:
    """Publish the course drafts scheduled for now or earlier (run it from cron).

    Each scheduled publish runs exactly once, even when two runs overlap.
    """
    ran = schedule.run_due()
    for item in ran:
        click.echo(f"{item.folder}: {item.outcome}")
    if not ran:
        click.echo("Nothing is due.")
