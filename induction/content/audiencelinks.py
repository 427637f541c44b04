"""Warnings for links in a lesson that some of its readers cannot follow.

A lesson may be shown to some audiences only (`audiences:` in its front matter or its
module's). A lesson that more audiences read may link to it: "Officers have a lesson of
their own". The lesson page shows such a link as its words alone to the readers who are
not shown the lesson it leads to; a link to the quiz of a module they are not shown
stays a link and leads to "Page not found". Neither is an error, but the author should
know, so the checker warns at the link's line.

Who is shown what is `outline.course_steps`, the rule every page uses: it is not
written again here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from induction.content.linkcheck import PageLink
from induction.content.model import AUDIENCES, Course, Problem, Severity
from induction.content.outline import course_steps

# Audiences as an author names the people in them, in a sentence.
AUDIENCE_WORDS = {"councillor": "councillors", "officer": "officers", "affiliate": "affiliates"}


def _shown_pages(course: Course) -> dict[str, set[tuple[str, str]]]:
    """Return, for each audience, the pages of `course` it is shown: ("lesson", lesson id)
    and ("quiz", module id)."""
    shown: dict[str, set[tuple[str, str]]] = {}
    for audience in AUDIENCES:
        steps = course_steps(course, audience)
        shown[audience] = {
            ("lesson", step.lesson.id) if step.lesson is not None else ("quiz", step.module.id)
            for step in steps
        }
    return shown


def _people(audiences: Iterable[str]) -> str:
    """Return "councillors", "councillors and officers" or "councillors, officers and
    affiliates", in the usual order."""
    words = [AUDIENCE_WORDS[audience] for audience in AUDIENCES if audience in audiences]
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _message(course: Course, link: PageLink, cannot: list[str], can: list[str]) -> str:
    who = _people(cannot)
    for_whom = f"for {_people(can)} only" if can else "not shown to anyone"
    if link.kind == "lesson":
        target = course.lesson(link.id)
        title = f", '{target.title}'," if target is not None else ""
        return (
            f"link to '{link.url}': {who} will see this link as plain text, not a link: "
            f"the lesson it links to{title} is {for_whom} (fine if the sentence still reads "
            "well without the link)"
        )
    module = course.module(link.id)
    title = f" '{module.title}'" if module is not None else ""
    return (
        f"link to '{link.url}': {who} would reach 'Page not found' from this link: the "
        f"quiz it links to is in the module{title}, which is {for_whom}: link to it only "
        f"from lessons {for_whom}, or remove the link"
    )


def audience_link_problems(
    course: Course, links_by_path: Mapping[str, Sequence[PageLink]]
) -> list[Problem]:
    """Return a warning for each link of a lesson of `course` to a lesson or quiz that some
    of the lesson's readers are not shown.

    `links_by_path` holds the working links to lessons and quizzes found in each lesson
    file (by the file's path, as in `Lesson.path`).
    """
    shown = _shown_pages(course)
    problems: list[Problem] = []
    for module in course.modules:
        for lesson in module.lessons:
            readers = [a for a in AUDIENCES if ("lesson", lesson.id) in shown[a]]
            for link in links_by_path.get(lesson.path, ()):
                page = (link.kind, link.id)
                cannot = [audience for audience in readers if page not in shown[audience]]
                if not cannot:
                    continue
                can = [audience for audience in AUDIENCES if page in shown[audience]]
                message = _message(course, link, cannot, can)
                problems.append(Problem(lesson.path, link.line, message, Severity.WARNING))
    return problems
