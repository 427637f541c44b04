"""The chart on each report page: accessible SVG bar charts of the page's own numbers.

Each page shows the same numbers in a table beside its chart, so nothing depends on
seeing the picture. Each chart comes drawn twice, wide and narrow (see charts.py): the
stylesheet shows the one that fits the screen, so its words stay readable on a phone.
"""

from __future__ import annotations

from collections.abc import Sequence

from induction.content.model import Course, Module
from induction.reports.charts import NARROW, WIDE, Bar, bar_chart_svg
from induction.reports.services import ModuleTotal, OrganisationTotal, QuestionTotal


def _drawn_twice(title: str, description: str, bars: Sequence[Bar], chart_id: str) -> str:
    """Return the chart drawn wide (id `chart_id`) and narrow (id `chart_id`-narrow)."""
    return "".join(
        bar_chart_svg(title, description, bars, chart_id=drawing_id, width=width, css_class=css)
        for drawing_id, width, css in (
            (chart_id, WIDE, "chart__wide"),
            (f"{chart_id}-narrow", NARROW, "chart__narrow"),
        )
    )


def modules_chart(
    course: Course, totals: Sequence[ModuleTotal], chart_id: str = "modules-chart"
) -> str:
    """Return the chart of how many people completed each module of `course` (ids from
    `chart_id`: the dashboard draws it twice, above the list and, for a phone, below)."""
    return _drawn_twice(
        f"Completion by module: {course.title}",
        "People who have completed each module, out of the people it applies to.",
        [Bar(label=t.module.title, value=t.complete, total=t.people) for t in totals],
        chart_id=chart_id,
    )


def organisations_chart(course: Course, rows: Sequence[OrganisationTotal]) -> str:
    """Return the chart of how many people completed `course` in each organisation."""
    return _drawn_twice(
        f"Completion by organisation: {course.title}",
        "People who have completed the course, out of the people in each organisation.",
        [Bar(label=r.name, value=r.complete, total=r.people) for r in rows if r.people],
        chart_id="organisations-chart",
    )


def questions_chart(module: Module, totals: Sequence[QuestionTotal]) -> str:
    """Return the chart of how often each question of the module's quiz was answered right."""
    return _drawn_twice(
        f"Answered right: {module.title}",
        "Submitted answers to each question that were right.",
        [
            Bar(
                label=f"{t.number}. {t.question.prompt}",
                value=t.right,
                total=t.answered,
                note=None if t.answered else "Not answered yet",
            )
            for t in totals
        ],
        chart_id=f"questions-chart-{module.id}",
    )
