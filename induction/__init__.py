"""induction: an e-learning platform for inductions, built with Flask.

`create_app` builds the app: configuration layers, extensions, blueprints. It runs no
queries, migrations or prompts; the `start` command does those (see induction.cli).
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from induction import catalogue
from induction.config import PROJECT_ROOT, load_config
from induction.extensions import csrf, db, limiter, login_manager, migrate

MIGRATIONS_DIR = str(PROJECT_ROOT / "induction" / "migrations")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure an app; `test_config` is the last configuration layer."""
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get(
        "INDUCTION_INSTANCE_PATH"
    )
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    load_config(app, test_config)
    _trust_proxies(app)

    from induction import models  # noqa: F401  (every table on the metadata)

    db.init_app(app)
    _configure_engine(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    catalogue.init_app(app)

    from induction import accounts
    from induction.progress import people_changes
    from induction.progress import services as progress_services
    from induction.web import errors, security, templating

    security.init_app(app)
    # After security.init_app: the request's write intent is set before accounts loads the person.
    accounts.init_app(app)
    people_changes.init_app(app)  # the organisation figures follow every change of a person
    progress_services.init_app(app)  # quiz attempts count per renewal period
    errors.init_app(app)
    templating.init_app(app)
    _register_url_converters(app)
    _register_blueprints(app)
    _register_commands(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client address and scheme from them.

    Rate limits need the real client address, and certificate links need https.
    """
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def _configure_engine(app: Flask) -> None:
    from induction.database import configure_postgresql, configure_sqlite

    if app.config["DATABASE_URL"].startswith("sqlite"):
        with app.app_context():
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    elif app.config["DATABASE_URL"].startswith("postgresql"):
        pinged = bool(app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping"))
        with app.app_context():
            configure_postgresql(db.engine, check_liveness=not pinged)


def _register_url_converters(app: Flask) -> None:
    """Make `<int:...>` in every route refuse ids the database cannot hold (404, not 500)."""
    from induction.web.urls import IdConverter

    app.url_map.converters["int"] = IdConverter


def _register_blueprints(app: Flask) -> None:
    from induction.courses.notes_views import bp as council_notes_bp
    from induction.courses.views import bp as courses_bp
    from induction.identity.views import bp as identity_bp
    from induction.progress.certificate_views import bp as certificates_bp
    from induction.progress.chasing_views import bp as chasing_bp
    from induction.progress.views import bp as progress_bp
    from induction.quizzes.views import bp as quizzes_bp
    from induction.reports.committee_views import bp as committee_bp
    from induction.reports.views import bp as reports_bp
    from induction.web.pages import bp as pages_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(identity_bp)
    _register_account_blueprints(app)
    app.register_blueprint(progress_bp)
    app.register_blueprint(courses_bp)
    app.register_blueprint(council_notes_bp)
    app.register_blueprint(quizzes_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(chasing_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(committee_bp)


def _register_account_blueprints(app: Flask) -> None:
    from induction.accounts.oidc_views import bp as oidc_bp
    from induction.accounts.profile import bp as profile_bp
    from induction.accounts.unsubscribe import bp as unsubscribe_bp
    from induction.accounts.views import bp as accounts_bp
    from induction.admin.authoring import bp as authoring_bp
    from induction.admin.data_rights import bp as data_rights_bp
    from induction.admin.identity import bp as identity_admin_bp
    from induction.admin.intakes_views import bp as intakes_bp
    from induction.admin.member_list import bp as member_list_bp
    from induction.admin.providers import bp as providers_bp
    from induction.admin.views import bp as admin_bp

    app.register_blueprint(accounts_bp)
    app.register_blueprint(oidc_bp)
    app.register_blueprint(profile_bp)
    app.register_blueprint(unsubscribe_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(intakes_bp)
    app.register_blueprint(authoring_bp)
    app.register_blueprint(data_rights_bp)
    app.register_blueprint(identity_admin_bp)
    app.register_blueprint(providers_bp)
    app.register_blueprint(member_list_bp)


def _register_commands(app: Flask) -> None:
    from induction.admin.drafts.cli import history_command, publish_due_command
    from induction.cli import start_command
    from induction.courses.cli import courses_cli

    app.cli.add_command(start_command)
    app.cli.add_command(courses_cli)
    courses_cli.add_command(history_command)
    courses_cli.add_command(publish_due_command)
    _register_account_commands(app)
    _register_report_commands(app)
    _register_backup_commands()
    from induction.cli_guard import guard_commands

    guard_commands(app.cli)


def _register_backup_commands() -> None:
    """Add `backup` and `restore` to Flask-Migrate's `db` group (`flask --app induction db ...`)."""
    from flask_migrate.cli import db as db_cli

    from induction.backup import backup_command, restore_command

    db_cli.add_command(backup_command)
    db_cli.add_command(restore_command)


def _register_account_commands(app: Flask) -> None:
    from induction.accounts.cli import housekeeping_command, orgs_cli, users_cli
    from induction.accounts.provider_cli import providers_cli
    from induction.mail import mail_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(orgs_cli)
    app.cli.add_command(providers_cli)
    app.cli.add_command(housekeeping_command)
    app.cli.add_command(mail_cli)


def _register_report_commands(app: Flask) -> None:
    from induction.devdata import demo_data_command
    from induction.progress.cli import reminders_cli
    from induction.reports.cli import reports_cli

    app.cli.add_command(reminders_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(demo_data_command)
