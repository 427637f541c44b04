"""When a person was last reminded about a course: the one rule behind a reminder's "Left
out: already reminded", the dashboard's Last reminded column and a person's record.

Every reminder email about a course, a lead officer's or one of the daily ones, is
recorded in `reminder_sent` (one row per person, course, kind and day). The latest row of a
person and a course is when they were last reminded about that course; a reminder about
another course does not count, nor does a lead officer's digest (it is about no course).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, func, select

from induction.extensions import db
from induction.progress.models import ReminderKind, ReminderSent

# The rows that are reminders about a course (a digest's course_id is "").
_ABOUT_A_COURSE = ReminderSent.kind != ReminderKind.MANAGER_DIGEST.value


def last_reminded_sql(course_id: str, user_id: ColumnElement[Any] | Any) -> ScalarSelect[Any]:
    """Return, as a column, when the person `user_id` was last reminded about `course_id`
    (NULL: never); one lookup by the (user, course, ...) index per person."""
    return (
        select(func.max(ReminderSent.created_at))
        .where(
            ReminderSent.user_id == user_id,
            ReminderSent.course_id == course_id,
            _ABOUT_A_COURSE,
        )
        .scalar_subquery()
    )


def reminded_since(course_id: str, user_ids: Collection[int], since: dt.datetime) -> set[int]:
    """Return those of `user_ids` reminded about `course_id` after `since` (one query)."""
    if not user_ids:
        return set()
    return set(
        db.session.scalars(
            select(ReminderSent.user_id)
            .where(
                ReminderSent.user_id.in_(list(user_ids)),
                ReminderSent.course_id == course_id,
                _ABOUT_A_COURSE,
                ReminderSent.created_at > since,
            )
            .distinct()
        )
    )
