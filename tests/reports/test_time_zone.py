"""Dates and times in the network's time zone (TIMEZONE, default Europe/London), named.

Pages show "15:05 BST" in summer and "14:05 GMT" in winter; a timestamp late in the
evening UTC falls on the next day in London; CSV files carry wall-clock times in whole
seconds, with the zone named in the header and a separate date column.
"""

from __future__ import annotations

import datetime as dt

import pytest

from induction.web.templating import spreadsheet_date, spreadsheet_time, uk_date, uk_datetime
from tests.reports.test_dashboard import csv_rows, dashboard_url

SUMMER = dt.datetime(2026, 7, 28, 23, 30, 15, 987654, tzinfo=dt.UTC)
WINTER = dt.datetime(2026, 12, 5, 18, 42, tzinfo=dt.UTC)


def test_times_are_shown_in_london_and_named(app_ctx):
    assert uk_datetime(WINTER) == "5 December 2026, 18:42 GMT"
    assert uk_datetime(SUMMER) == "29 July 2026, 00:30 BST"
    assert uk_date(SUMMER) == "29 July 2026"  # already the next day in London
    assert uk_date(dt.date(2026, 7, 28)) == "28 July 2026"  # a date is a date
    assert spreadsheet_time(SUMMER) == dt.datetime(2026, 7, 29, 0, 30, 15)
    assert spreadsheet_date(SUMMER) == dt.date(2026, 7, 29)
    assert spreadsheet_time(None) is None


@pytest.mark.parametrize(
    ("zone", "shown"),
    [("America/New_York", "28 July 2026, 19:30 EDT"), ("UTC", "28 July 2026, 23:30 UTC")],
)
def test_the_time_zone_is_a_setting(app_factory, zone, shown):
    app = app_factory(TIMEZONE=zone)
    with app.app_context():
        assert uk_datetime(SUMMER) == shown


def test_the_dashboard_csv_has_local_times_without_microseconds_and_a_date(app, world, login_as):
    from sqlalchemy import update

    from induction.extensions import db
    from induction.progress.models import CourseStatus, LessonCompletion

    with app.app_context():  # Bob's one lesson, read late on a summer evening (UTC)
        for model, column in ((CourseStatus, "last_activity"), (LessonCompletion, "completed_at")):
            db.session.execute(
                update(model).where(model.user_id == world.partway.id).values({column: SUMMER})
            )
        db.session.commit()
    rows = csv_rows(login_as(world.manager).get(dashboard_url(world, "/export.csv")))
    bob = next(row for row in rows if row["Name"] == "Bob Partway")
    assert bob["Last activity (Europe/London)"] == "2026-07-29 00:30:15"
    assert bob["Last activity date"] == "2026-07-29"
    cara = next(row for row in rows if row["Name"] == "Cara New")
    assert cara["Last activity date"] == ""


def test_the_dashboard_csv_says_when_each_person_was_last_reminded_about_the_course(
    app, world, login_as
):
    from induction.extensions import db
    from induction.progress.models import ReminderKind, ReminderSent

    def reminded(user, course_id, kind, when):
        db.session.add(
            ReminderSent(
                user_id=user.id,
                course_id=course_id,
                kind=kind,
                sent_on=when.date(),
                created_at=when,
            )
        )

    with app.app_context():
        # Bob: an overdue reminder in winter, then a lead officer's late on a summer evening
        # (UTC); a reminder about another course does not count.
        reminded(
            world.partway, "basics", ReminderKind.OVERDUE.value, WINTER - dt.timedelta(days=200)
        )
        reminded(world.partway, "basics", ReminderKind.OFFICER.value, SUMMER)
        reminded(world.partway, "other-course", ReminderKind.OFFICER.value, WINTER)
        reminded(world.new, "other-course", ReminderKind.OFFICER.value, WINTER)
        db.session.commit()
    client = login_as(world.manager)
    rows = csv_rows(client.get(dashboard_url(world, "/export.csv")))
    bob = next(row for row in rows if row["Name"] == "Bob Partway")
    assert bob["Last reminded (Europe/London)"] == "2026-07-29 00:30:15"
    assert bob["Last reminded date"] == "2026-07-29"
    cara = next(row for row in rows if row["Name"] == "Cara New")
    assert cara["Last reminded (Europe/London)"] == cara["Last reminded date"] == ""
    headings = list(rows[0])
    assert headings[-2:] == ["Last reminded (Europe/London)", "Last reminded date"]
