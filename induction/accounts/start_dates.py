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

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


def counts_from(start_date: dt.date | None, intake_date: dt.date | None) -> dt.date | None:
    """Return the later of `start_date` and `intake_date`, ignoring a missing one (None: both
    missing)."""
    if intake_date is None:
        return start_date
    if start_date is None:
        return intake_date
    return max(start_date, intake_date)


class _LaterDate(FunctionElement[Any]):
    """The later of two dates, ignoring a NULL one (NULL when both are): counts_from in SQL."""

    inherit_cache = True
    name = "later_date"
    type = Date()


@compiles(_LaterDate)
def _later_date_portable(element: _LaterDate, compiler: Any, **kw: Any) -> str:
    # SQLite's two-argument max() gives NULL when either is NULL: max(coalesce(a, b),
    # coalesce(b, a)) is b when a is NULL, a when b is, and the later when neither is.
    first, second = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"max(coalesce({first}, {second}), coalesce({second}, {first}))"


@compiles(_LaterDate, "postgresql")
def _later_date_postgresql(element: _LaterDate, compiler: Any, **kw: Any) -> str:
    # greatest() ignores NULLs, and works out each argument once (a CASE naming a lookup
    # four times made PostgreSQL run it up to four times per person).
    return f"greatest({compiler.process(element.clauses, **kw)})"


def counts_from_sql(start_date: Any, intake_date: Any) -> Any:
    """Return `counts_from` as an SQL expression over two date columns (either may be NULL).

    PostgreSQL's greatest() ignores NULLs; SQLite's two-argument max() does not, so there
    it is written with coalesce: the same meaning on both (a test compares them with
    counts_from).
    """
    return _LaterDate(start_date, intake_date)
