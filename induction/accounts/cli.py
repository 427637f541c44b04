"""`flask --app induction users ...` and `orgs ...`: thin wrappers over the account services."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from induction.accounts import bulk_invitations, people, totp
from induction.accounts.errors import AccountError
from induction.accounts.housekeeping import clean_up
from induction.accounts.models import Audience, Role
from induction.accounts.organisations import (
    ccin_member_list,
    find_by_name,
    import_organisations,
    set_sign_in_links,
)
from induction.database import utcnow, write_intent
from induction.extensions import db
from induction.identity.current import current as current_identity
from induction.mail import remove_outbox_files
from induction.web.templating import uk_date

users_cli = AppGroup("users", help="Create people and change their roles.")
orgs_cli = AppGroup("orgs", help="Organisations.")


def _read_password() -> str:
    """Read the password: one line of standard input, or a hidden prompt at a terminal."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@users_cli.command("create")
@click.option("--email", required=True, help="The person's email address.")
@click.option("--name", required=True, help="The person's full name.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.LEARNER.value,
    show_default=True,
)
@click.option(
    "--audience",
    type=click.Choice([a.value for a in Audience]),
    default=Audience.OFFICER.value,
    show_default=True,
)
@click.option(
    "--organisation", default=None, help="The organisation's name (not needed for admins)."
)
@click.option(
    "--totp", "with_totp", is_flag=True, help="Set up a second factor and print its secret."
)
def create_user_command(
    email: str, name: str, role: str, audience: str, organisation: str | None, with_totp: bool
) -> None:
    """Create a person; the password is read from standard input (one line)."""
    org = None
    if organisation:
        org = find_by_name(organisation)
        if org is None:
            raise click.ClickException(
                f"No organisation is called {organisation!r}: import or create it first."
            )
    password = _read_password()
    try:
        user = people.create_user(
            email=email,
            name=name,
            password=password,
            role=role,
            audience=audience,
            organisation=org,
        )
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    codes: list[str] = []
    if with_totp:
        user.totp_secret = totp.new_secret()
        user.totp_enabled_at = utcnow()
        codes = totp.new_recovery_codes(user)
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")
    if with_totp:
        assert user.totp_secret is not None
        issuer = current_identity().site_name
        click.echo(f"TOTP secret: {user.totp_secret}")
        click.echo(f"TOTP URI: {totp.provisioning_uri(user.totp_secret, user.email, issuer)}")
        click.echo("Recovery codes (each works once; keep them safe):")
        for code in codes:
            click.echo(f"  {code}")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def set_role_command(email: str, role: str) -> None:
    """Change a person's role."""
    user = people.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the address {email!r}.")
    try:
        people.set_role(user, role, actor=None)
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"{user.email} is now {user.role}.")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Deactivate a person: they are signed out everywhere and cannot sign in."""
    user = people.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the address {email!r}.")
    try:
        people.set_active(user, False, actor=None)
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"{user.email} is deactivated.")


@orgs_cli.command("import")
@click.argument(
    "csv_file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--ccin", is_flag=True, help="Import the CCIN member list shipped with the project.")
def import_command(csv_file: Path | None, ccin: bool) -> None:
    """Create or update organisations from a CSV file with the columns name,category.

    Categories: full_member, associate, affiliate, supporter, or the CCIN list's
    associate_opposition_group, associate_town_parish_community, supporter_organisation.
    Running it twice changes nothing; when any row is wrong, nothing is saved.
    """
    if bool(csv_file) == ccin:
        raise click.UsageError("Give either a CSV file or --ccin.")
    if csv_file is not None:
        try:
            text = csv_file.read_text("utf-8")
        except UnicodeDecodeError:
            raise click.ClickException(
                "The file is not UTF-8 text: save it as CSV UTF-8."
            ) from None
    else:
        text = ccin_member_list()
    result = import_organisations(text)
    if not result.ok:
        db.session.rollback()
        for error in result.errors:
            click.echo(error, err=True)
        raise click.ClickException(
            f"{len(result.errors)} row(s) have problems: nothing was imported."
        )
    db.session.commit()
    click.echo(
        f"Imported: {len(result.created)} new, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged."
    )


@orgs_cli.command("sign-in-links")
@click.argument("organisation")
@click.argument("setting", type=click.Choice(["on", "off"]))
def sign_in_links_command(organisation: str, setting: str) -> None:
    """Let an organisation's people ask for one-time sign-in links by email (on), or not (off)."""
    org = find_by_name(organisation)
    if org is None:
        raise click.ClickException(f"No organisation is called {organisation!r}.")
    set_sign_in_links(org, setting == "on", actor=None)
    db.session.commit()
    click.echo(f"Sign-in links by email are {setting} for {org.name}.")


@click.command("housekeeping")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
@with_appcontext
def housekeeping_command(dry_run: bool) -> None:
    """Remove expired sessions, one-time links, old sent email and uploads (daily, from cron)."""
    intent = write_intent.set(not dry_run)  # SQLite: take the write lock up front
    try:
        done = clean_up(dry_run=dry_run)
        db.session.commit()
    finally:
        write_intent.reset(intent)
    if not dry_run:
        remove_outbox_files(done.outbox_files)
    verb = "Would remove" if dry_run else "Removed"
    click.echo(
        f"{verb} {done.sessions} expired session(s), {done.one_time_links} expired "
        f"one-time link(s), {done.emails} sent email(s) older than "
        f"{current_app.config['MAIL_KEEP_DAYS']} days and {done.uploads} uploaded "
        "file(s) awaiting confirmation for more than a day."
    )


@users_cli.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--organisation", required=True, help="The name of the organisation they join.")
@click.option(
    "--dry-run", is_flag=True, help="Check the file and say what would happen; invite no one."
)
@click.option(
    "--from-joining",
    is_flag=True,
    help="Lines whose start date makes them overdue as soon as they join: count their due"
    " dates from the day each one joins instead (the other lines keep their dates).",
)
@click.option(
    "--everyone",
    type=click.Choice([audience.value for audience in Audience]),
    default=None,
    help="Who is in the file, when it has no audience column (a council's list of the"
    " councillors elected): everyone is a councillor, officer or affiliate. A line that"
    " names its own audience keeps it.",
)
def import_users_command(
    csv_file: Path, organisation: str, dry_run: bool, from_joining: bool, everyone: str | None
) -> None:
    """Invite the people of a CSV file into an organisation, as learners.

    The file has the columns email,name,audience (or --everyone instead of the audience
    column) and optionally start_date (2027-05-06 or 06/05/2027). Every line is checked
    first; the lines that are ready are invited all together (all or nothing), and the
    others are listed with what is wrong. Lines whose start date is so long ago that a
    course would be overdue as soon as they join are listed too, as on the web page's
    check: try --dry-run first.
    """
    org = find_by_name(organisation)
    if org is None:
        raise click.ClickException(f"No organisation is called {organisation!r}.")
    data = csv_file.read_bytes()
    preview = bulk_invitations.preview(None, org, data, audience=everyone)
    if preview.file_problems:
        for problem in preview.file_problems:
            click.echo(problem, err=True)
        raise click.ClickException("The file cannot be imported: nothing was done.")
    for row in (*preview.skipped, *preview.problems):
        click.echo(f"line {row.line}: {row.email}: {row.label}: {'; '.join(row.messages)}")
    _echo_overdue_at_once(preview, from_joining)
    counts = (
        f"{len(preview.ready)} ready, {len(preview.skipped)} skipped, "
        f"{len(preview.problems)} with problems"
    )
    if dry_run or not preview.ready:
        db.session.rollback()
        click.echo(f"{counts}. Nothing was sent{' (dry run)' if dry_run else ''}.")
        return
    intent = write_intent.set(True)
    try:
        with click.progressbar(length=len(preview.rows), label="Inviting") as bar:
            _checked, result = bulk_invitations.confirm(
                None,
                org,
                data,
                progress=bar.update,
                from_joining=from_joining,
                audience=everyone,
            )
        assert result is not None
        db.session.commit()
    finally:
        write_intent.reset(intent)
    click.echo(
        f"Invited {result.invited} into {org.name} in {result.seconds:.1f} s ({counts}). "
        "Run 'flask --app induction mail send' to deliver the emails now, or let cron do it."
    )


def _echo_overdue_at_once(preview: bulk_invitations.ImportPreview, from_joining: bool) -> None:
    """Print the lines the web page's check warns about: ready, but overdue as soon as they
    join (`ImportPreview.overdue_at_once`), each with its start date and what would be late."""
    overdue = preview.overdue_at_once
    if not overdue:
        return
    people = f"{len(overdue)} {'person' if len(overdue) == 1 else 'people'}"
    click.echo(f"{people} would be overdue as soon as they join:")
    for row in overdue:
        start = uk_date(row.start_date) if row.start_date else ""
        click.echo(f"line {row.line}: {row.email}: start date {start}: {row.overdue_words}")
    if from_joining:
        click.echo("Their due dates will count from the day each one joins (--from-joining).")
    else:
        click.echo(
            "If the dates are right, they will be invited with them. If not, run again with"
            " --from-joining to count their due dates from the day each one joins, or"
            " correct the start dates in the file."
        )
