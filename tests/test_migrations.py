"""The Alembic migrations build exactly the schema the models describe, and undo cleanly."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from induction.database import normalise_database_url
from induction.extensions import db
from tests.conftest import POSTGRES_URL, USES_POSTGRES


@pytest.fixture
def empty_app(app_factory, tmp_path, test_database):
    """An app on a database with no tables at all."""
    if not USES_POSTGRES:
        yield app_factory(DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite'}")
        return
    schema = f"{test_database.schema}_migrations"
    engine = sa.create_engine(normalise_database_url(POSTGRES_URL))
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield app_factory(
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"options": f"-csearch_path={schema}"}}
    )
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def test_upgrade_matches_models_and_downgrade_empties(empty_app):
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], f"models and migrations differ: run 'flask db migrate'. {diff}"
        downgrade(revision="base")
        with db.engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
        assert tables == set()


def test_one_open_attempt_migration_keeps_the_newest_open_attempt(empty_app):
    """Duplicate open attempts made before the rule existed are resolved, not refused."""
    import datetime as dt

    from sqlalchemy import text

    from induction.quizzes.models import QuizAttempt

    with empty_app.app_context():
        upgrade(revision="3c5e9a7b1d42")
        # Only the columns the table had at that revision (the model may have more now).
        user_id = db.session.execute(
            text(
                "INSERT INTO user_account (email, name, role, audience, start_date,"
                " is_active, created_at) VALUES ('learner@example.org', 'A learner',"
                " 'learner', 'officer', '2026-01-01', :yes, :now) RETURNING id"
            ),
            {"yes": True, "now": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},
        ).scalar_one()
        start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

        def attempt(key: str, minutes: int, quiz_hash: str = "a", submitted: bool = False):
            when = start + dt.timedelta(minutes=minutes)
            db.session.add(
                QuizAttempt(
                    user_id=user_id,
                    course_id="c",
                    module_id="m",
                    quiz_id="q",
                    quiz_hash=quiz_hash,
                    submit_key=key,
                    started_at=when,
                    pass_mark=50,
                    questions=[],
                    submitted_at=when if submitted else None,
                )
            )

        attempt("older", 0)
        attempt("newest", 1)
        attempt("same-minute", 0)
        attempt("submitted", 2, submitted=True)
        attempt("other-version", 0, quiz_hash="b")
        db.session.commit()
        db.session.close()

        upgrade()
        keys = set(db.session.scalars(sa.select(QuizAttempt.submit_key)))
        assert keys == {"newest", "submitted", "other-version"}
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == []
        db.session.close()
        downgrade(revision="base")


def test_a_step_that_copies_the_people_table_keeps_every_row_that_refers_to_it(empty_app):
    """On SQLite a batch step copies user_account and drops the old table: with foreign
    keys on, the drop would delete, by ON DELETE CASCADE, every lesson completion."""
    import datetime as dt

    from sqlalchemy import text

    with empty_app.app_context():
        upgrade(revision="c4d81f2a9e37")  # its downgrade drops a column of user_account
        now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        user_id = db.session.execute(
            text(
                "INSERT INTO user_account (email, name, role, audience, start_date,"
                " is_active, created_at) VALUES ('learner@example.org', 'A learner',"
                " 'learner', 'officer', '2026-01-01', :yes, :now) RETURNING id"
            ),
            {"yes": True, "now": now},
        ).scalar_one()
        db.session.execute(
            text(
                "INSERT INTO lesson_completion (user_id, course_id, lesson_id, lesson_version,"
                " completed_at) VALUES (:user, 'c', 'l', 1, :now)"
            ),
            {"user": user_id, "now": now},
        )
        db.session.commit()
        db.session.close()
        downgrade(revision="b7d3e1f0a2c4")
        count = db.session.scalar(text("SELECT count(*) FROM lesson_completion"))
        assert count == 1
        db.session.close()
        downgrade(revision="base")


def test_the_invitation_note_step_keeps_every_invitation(empty_app):
    """Adding the inviter's note gives invitations made before an empty one; taking it away
    again keeps them (no copy of the table, whose rows others refer to)."""
    import datetime as dt

    from sqlalchemy import text

    with empty_app.app_context():
        upgrade(revision="d5e1a9c3f7b0")
        now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        db.session.execute(
            text(
                "INSERT INTO invitation (token_hash, email, name, role, audience, created_at,"
                " expires_at) VALUES ('h', 'new@example.org', 'New', 'learner', 'officer',"
                " :now, :now)"
            ),
            {"now": now},
        )
        db.session.commit()
        db.session.close()
        upgrade(revision="7ea82a115957")
        assert db.session.execute(text("SELECT email, note FROM invitation")).all() == [
            ("new@example.org", "")
        ]
        db.session.close()
        downgrade(revision="d5e1a9c3f7b0")
        assert db.session.scalar(text("SELECT count(*) FROM invitation")) == 1
        db.session.close()
        downgrade(revision="base")


def test_the_note_writer_step_credits_each_note_to_whoever_sent_it_first(empty_app):
    """Invitations made before the note's writer was recorded get, as its writer, whoever
    sent the first invitation to the same address and organisation with the same note
    (the later ones were sent again by others); going back keeps every invitation."""
    import datetime as dt

    from sqlalchemy import text

    with empty_app.app_context():
        upgrade(revision="7ea82a115957")
        start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        people = {}
        for name in ("Writer", "Second", "Third"):
            people[name] = db.session.execute(
                text(
                    "INSERT INTO user_account (email, name, role, audience, start_date,"
                    " is_active, created_at) VALUES (:email, :name, 'manager', 'officer',"
                    " '2026-01-01', :yes, :now) RETURNING id"
                ),
                {"email": f"{name.lower()}@example.org", "name": name, "yes": True, "now": start},
            ).scalar_one()
        organisation = db.session.execute(
            text(
                "INSERT INTO organisation (name, name_key, category, created_at)"
                " VALUES ('Aberwen Council', 'aberwen council', 'full_member', :now)"
                " RETURNING id"
            ),
            {"now": start},
        ).scalar_one()

        def invitation(key, email, by, note, days, organisation_id=organisation):
            db.session.execute(
                text(
                    "INSERT INTO invitation (token_hash, email, name, role, audience,"
                    " organisation_id, invited_by_id, note, created_at, expires_at)"
                    " VALUES (:key, :email, '', 'learner', 'officer', :org, :by, :note,"
                    " :when, :when)"
                ),
                {
                    "key": key,
                    "email": email,
                    "org": organisation_id,
                    "by": people.get(by),
                    "note": note,
                    "when": start + dt.timedelta(days=days),
                },
            )

        # Sent by Writer, then sent again by Second and by Third: Writer wrote the note.
        invitation("first", "noted@example.org", "Writer", "Welcome", 0)
        invitation("again", "noted@example.org", "Second", "Welcome", 10)
        invitation("third", "noted@example.org", "Third", "Welcome", 20)
        # Third wrote a note of their own; Second wrote none; the command line's (no
        # sender) is the site team's; one into no organisation (an admin) is its own.
        invitation("own-words", "noted@example.org", "Third", "My own words", 30)
        invitation("no-note", "plain@example.org", "Second", "", 0)
        invitation("cli", "cli@example.org", None, "From the team", 0)
        invitation("admin", "noted@example.org", "Second", "Welcome", 40, None)
        db.session.commit()
        db.session.close()

        upgrade(revision="661df2d1e0e3")
        found = dict(
            db.session.execute(text("SELECT token_hash, note_by_id FROM invitation")).all()
        )
        assert found == {
            "first": people["Writer"],
            "again": people["Writer"],
            "third": people["Writer"],
            "own-words": people["Third"],
            "no-note": None,
            "cli": None,
            "admin": people["Second"],
        }
        db.session.close()
        downgrade(revision="7ea82a115957")
        assert db.session.scalar(text("SELECT count(*) FROM invitation")) == 7
        db.session.close()
        downgrade(revision="base")
