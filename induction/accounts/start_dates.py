"""The day a person's due dates count from: the one rule, in Python and in SQL, side by side.

A person may belong to an intake of their organisation (for example the councillors
elected in May 2026). Their due dates count from the intake's date, or from their own
start date when that is later (someone who joined after the election). With no intake,
or no intake date, their own start date counts; with neither, nothing does.

`counts_from` is the Python form (used for one person: the learner's own pages, a person's
report); `counts_from_sql` is the same rule as a column expression (used by every report,
reminder and chase through `status_query.people_select`). A test compares the two.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import case


def counts_from(start_date: dt.date | None, intake_date: dt.date | None) -> dt.date | None:
    """Return the later of `start_date` and `intake_date`, ignoring a missing one (None: both
    missing)."""
    if intake_date is None:
        return start_date
    if start_date is None:
        return intake_date
    return max(start_date, intake_date)


def counts_from_sql(start_date: Any, intake_date: Any) -> Any:
    """Return `counts_from` as an SQL expression over two date columns (either may be NULL).

    Written as a CASE because SQLite's two-argument max() gives NULL when either is NULL,
    while PostgreSQL's greatest() ignores NULLs: this form means the same on both.
    """
    return case(
        (intake_date.is_(None), start_date),
        (start_date.is_(None), intake_date),
        (intake_date > start_date, intake_date),
        else_=start_date,
    )
