"""The dashboard's headline: one sentence a lead officer can copy into a committee paper.

"0 of 9 councillors (0%) in Aberwen Council have completed CCIN induction, as of
6 December 2026." It names who is counted (the audience, intake and search chosen), the
organisation, the course and the day, so the figure keeps its meaning once copied or
printed without the filters beside it.

Pure: no Flask, no database; the view passes the words it knows.
"""

from __future__ import annotations

from dataclasses import dataclass

# The one rule of every percentage the reports show (progress.status.whole_percent), under
# the name the headline's callers use.
from induction.progress.status import whole_percent as percent

__all__ = ["Selection", "headline", "percent"]


@dataclass(frozen=True)
class Selection:
    """Whom the dashboard counts, in words: "councillors", the intake's name, the search."""

    people_words: str = "people"  # a plural: "people", "councillors", "council officers"
    intake: str = ""
    search: str = ""


def headline(
    *,
    complete: int,
    people: int,
    update_to_read: int,
    organisation: str,
    course: str,
    day: str,
    selection: Selection = Selection(),
) -> str:
    """Return the headline sentence of a dashboard (see the module docstring)."""
    who = selection.people_words
    if people == 1:
        who = "person" if who == "people" else who.removesuffix("s")
    where = f"in {organisation}"
    if selection.intake:
        where = f"in the intake “{selection.intake}” of {organisation}"
    if selection.search:
        where += f" matching “{selection.search}”"
    if people == 0:
        return f"No {selection.people_words} {where} for {course}, as of {day}."
    verb = "has" if complete == 1 else "have"
    sentence = (
        f"{complete} of {people} {who} ({percent(complete, people)}%) {where} {verb} "
        f"completed {course}, as of {day}."
    )
    if update_to_read:
        more = "has" if update_to_read == 1 else "have"
        sentence += (
            f" {update_to_read} more ({percent(update_to_read, people)}%) {more} completed it "
            f"before and {more} an updated lesson to read."
        )
    return sentence
