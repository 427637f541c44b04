"""`flask --app induction courses ...`: check and format course files, import GIFT quizzes."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from induction.content.model import Severity

courses_cli = AppGroup(
    "courses", help="Check and format the course Markdown files; import GIFT quizzes."
)


def _root(directory: str | None) -> Path:
    return Path(directory) if directory else Path(current_app.config["COURSES_DIR"])


def _display_prefix(root: Path) -> str:
    """Return how to print `root` before relative paths, relative to the working directory."""
    try:
        shown = root.resolve().relative_to(Path.cwd())
    except ValueError:
        shown = root
    text = str(shown)
    return "" if text == "." else text.rstrip("/") + "/"


@courses_cli.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
def check_command(directory: str | None) -> None:
    """Check every course in DIRECTORY (default COURSES_DIR); exit 1 on any error."""
    from induction.catalogue import content_limits
    from induction.content import Renderer, check_tree, summary_line

    root = _root(directory)
    if not root.is_dir():
        raise click.ClickException(
            f"{root} is not a folder: give the folder that holds the courses"
        )
    library, problems = check_tree(root, Renderer(limits=content_limits(current_app.config)))
    prefix = _display_prefix(root)
    for problem in problems:
        stream = sys.stdout if problem.severity is Severity.WARNING else sys.stderr
        click.echo(problem.format(prefix), file=stream)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    for course in library.courses:
        if course.id not in library.broken:
            click.echo(summary_line(course))
    if errors:
        click.echo(f"{len(errors)} error(s): fix them and run the check again.", err=True)
        sys.exit(1)


@courses_cli.command("fmt")
@click.option("--check", "check_only", is_flag=True, help="Only list files that are not canonical.")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
def fmt_command(check_only: bool, directory: str | None) -> None:
    """Rewrite course files into canonical form (with --check: list them and exit 1)."""
    from induction.content import format_tree

    root = _root(directory)
    if not root.is_dir():
        raise click.ClickException(
            f"{root} is not a folder: give the folder that holds the courses"
        )
    changed = format_tree(root, check_only=check_only)
    prefix = _display_prefix(root)
    for path in changed:
        click.echo(f"{'would reformat' if check_only else 'reformatted'} {prefix}{path}")
    if check_only and changed:
        sys.exit(1)
    if not changed:
        click.echo("All files are already in canonical form.")


@courses_cli.command("import-gift")
@click.option("--force", is_flag=True, help="Replace the module's existing quiz.md.")
@click.argument("gift_file", type=click.Path(exists=True, dir_okay=False))
@click.argument("module_dir", type=click.Path(exists=True, file_okay=False))
def import_gift_command(force: bool, gift_file: str, module_dir: str) -> None:
    """Convert a Moodle GIFT file into MODULE_DIR/quiz.md, listing what could not be kept."""
    from induction.content import check_tree
    from induction.content.gift import GiftImportError, import_gift_file

    module = Path(module_dir)
    try:
        result = import_gift_file(Path(gift_file), module, force=force)
    except GiftImportError as exc:
        raise click.ClickException(str(exc)) from None
    for note in result.notes:
        click.echo(note.format(f"{gift_file}:"))
    target = module / "quiz.md"
    click.echo(f"Wrote {target}: {len(result.questions)} question(s).")
    course = module.resolve().parent
    _, problems = check_tree(course.parent)
    inside = [p for p in problems if p.path.split("/", 1)[0] == course.name]
    prefix = _display_prefix(course.parent)
    for problem in inside:
        stream = sys.stdout if problem.severity is Severity.WARNING else sys.stderr
        click.echo(problem.format(prefix), file=stream)
    if any(p.severity is Severity.ERROR for p in inside):
        click.echo(
            "The course does not pass its check with this quiz: fix the errors above "
            "(the quiz.md has been written).",
            err=True,
        )
        sys.exit(1)
