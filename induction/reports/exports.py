"""The report exports: the header and rows of each CSV file, written by `iter_csv`.

Each export has the same rows, in the same order, as the table on its page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from induction.content.model import Course
from induction.reports.services import ModuleTotal, OrganisationTotal, PersonRow, QuestionTotal
from induction.web.templating import network_zone, spreadsheet_time_and_date, zone_name


def dashboard_csv_header(course: Course) -> list[str]:
    """Return the header of the dashboard's CSV export."""
    header = [
        "Name",
        "Email address",
        "Audience",
        "Start date",
        "Due date",
        "Status",
        "Overdue",
        "Done",
        "Out of",
        "Completed on",
    ]
    for module in course.modules:
        header.append(f"{module.title}: status")
        if module.quiz is not None:
            header.append(f"{module.title}: best quiz score (%)")
    header += [f"Last activity ({zone_name()})", "Last activity date"]
    header += [f"Last reminded ({zone_name()})", "Last reminded date"]
    return header


def dashboard_csv_rows(course: Course, rows: Iterable[PersonRow]) -> Iterator[list[object]]:
    """Yield each dashboard row as the CSV export writes it (module cells in course order)."""
    zone = network_zone()
    modules = [(module.id, module.quiz is not None) for module in course.modules]
    for row in rows:
        values: list[object] = [
            row.name,
            row.email,
            row.audience,
            row.start_date,
            row.due_date,
            row.status_label,
            row.is_overdue,
            row.done,
            row.total,
            spreadsheet_time_and_date(row.completed_at, zone)[1],
        ]
        cells = row.cells
        for module_id, has_quiz in modules:
            cell = cells.get(module_id)
            values.append(cell.label if cell else "Not required")
            if has_quiz:
                values.append(cell.best_percent if cell else None)
        values += spreadsheet_time_and_date(row.last_activity_at, zone)
        values += spreadsheet_time_and_date(row.last_reminded_at, zone)
        yield values


MODULE_CSV_HEADER = ("Module", "People it applies to", "Complete", "In progress", "Not started")


def module_csv_row(total: ModuleTotal) -> tuple[object, ...]:
    """Return a module total as a CSV row (see MODULE_CSV_HEADER)."""
    return (total.module.title, total.people, total.complete, total.in_progress, total.not_started)


NETWORK_CSV_HEADER = (
    "Organisation",
    "Category",
    "People",
    "Started",
    "Complete",
    "Update to read",
    "Due for renewal",
    "Overdue",
    "Completion rate (%)",
)


def network_csv_row(row: OrganisationTotal, category_labels: dict[Any, str]) -> tuple[object, ...]:
    """Return an overview line as a CSV row (see NETWORK_CSV_HEADER)."""
    return (
        row.name,
        category_labels.get(row.category, row.category),
        row.people,
        row.started,
        row.complete,
        row.update_to_read,
        row.due_for_renewal,
        row.overdue,
        row.rate,
    )


QUESTIONS_CSV_HEADER = (
    "Module",
    "Question number",
    "Question id",
    "Question",
    "Answers submitted",
    "Answered right",
    "Share right (%)",
)


def question_csv_row(total: QuestionTotal) -> tuple[object, ...]:
    """Return a question's totals as a CSV row (see QUESTIONS_CSV_HEADER)."""
    return (
        total.module.title,
        total.number,
        total.question.id,
        total.question.prompt,
        total.answered,
        total.right,
        total.share,
    )
