"""`flask --app induction start`: migrate, load the courses, bring the reports' stored
statuses up to date, print the first-run link, serve."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from induction.catalogue import get_catalogue
from induction.config import DEVELOPMENT_BASE_URL
from induction.progress.status_rewrite import refresh_all


@click.command("start")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--no-serve", is_flag=True, help="Prepare the database and courses, then exit.")
@click.option(
    "--verbose", is_flag=True, help="Also show each migration step and every request served."
)
@with_appcontext
def start_command(host: str, port: int, no_serve: bool, verbose: bool) -> None:
    """Create or migrate the database, load the courses and serve the app.

    While no admin account exists it prints a one-time link to create the first one.
    For production, run gunicorn on wsgi:app instead (see docs/deployment.md).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    click.echo(f"Database: {_safe_url(app.config['DATABASE_URL'])}")
    with _quiet(not verbose):
        upgrade(directory=app.extensions["migrate"].directory)
    click.echo("Database is up to date.")

    library = get_catalogue().reload()
    click.echo(f"Courses folder: {app.config['COURSES_DIR']}")
    for course in library.courses:
        click.echo(f"  loaded {course.id}: {course.title}" + (" (draft)" if course.draft else ""))
    for course_id in library.broken:
        click.echo(
            f"  NOT loaded {course_id}: run 'flask --app induction courses check' to see why",
            err=True,
        )

    stored = sum(refresh_all().values())
    if stored:
        click.echo(f"Stored {stored} course statuses for the reports.")

    base_url = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}"  # noqa: S104
    if app.config["BASE_URL"] == DEVELOPMENT_BASE_URL:
        app.config["BASE_URL"] = base_url  # BASE_URL not set: links in email point here
    # The link is opened in a browser, maybe on another machine: behind a proxy or on
    # another host name, only the configured BASE_URL reaches this app.
    _print_first_run_link(app.config["BASE_URL"])
    if no_serve:
        return
    click.echo(f"Serving on {base_url}/ (press Ctrl+C to stop)")
    if not verbose:
        # One line per request drowns the first-run link; warnings and errors still show.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    # Flask's app.run() does nothing under the flask command, so serve with Werkzeug directly.
    run_simple(host, port, app, use_reloader=False, use_debugger=False, threaded=True)


@contextlib.contextmanager
def _quiet(is_quiet: bool) -> Iterator[None]:
    """Hide INFO log lines (Alembic's migration steps) while the block runs, when asked."""
    if not is_quiet:
        yield
        return
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def _print_first_run_link(base_url: str) -> None:
    from induction.accounts.setup import first_run_link

    link = first_run_link(base_url)
    if link:
        click.echo("")
        click.echo("No admin account exists yet. Open this one-time link to create the first one:")
        click.echo(f"  {link}")
        click.echo("")


def _safe_url(url: str) -> str:
    """Return a database URL with any password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
