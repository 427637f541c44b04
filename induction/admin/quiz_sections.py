"""The lesson sections a quiz question can send learners back to, and the link that holds one.

The lesson section that teaches a question is the link in its explanation's last
sentence, `Review [words](lesson.md#anchor).` The quiz builder shows it as a choice
from the list `lesson_sections` makes, takes it out of the explanation with
`split_review` and puts it back with `join_review`. Pure: no Flask.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from induction.content.model import Course

_REVIEW = re.compile(
    # "Review" and its link may be on two lines, as an author wraps a long explanation.
    r"(?:\A|(?P<sep>\n\n|\n| ))Review[ \n]\[(?P<words>[^\[\]\n]+)\]\((?P<target>[^()\s]+)\)\.\Z"
)


@dataclass(frozen=True)
class Section:
    """A lesson, or a section of one, that a question can send learners back to."""

    target: str  # the link from the quiz's folder: "02-rules.md#why", "../02-x/01-y.md"
    label: str  # "The rules › Why" as the list shows it
    words: str  # the link's words when the builder writes it


def lesson_sections(course: Course | None, module_folder: str) -> tuple[Section, ...]:
    """Return the lessons of `course` as links from `module_folder`'s quiz, in course order.

    The module's own lessons come with each of their sections (headings with an
    anchor); other modules' lessons as whole lessons, which keeps the list short
    enough to read.
    """
    if course is None:
        return ()
    found: list[Section] = []
    for module in course.modules:
        for lesson in module.lessons:
            parts = lesson.path.split("/")
            folder, name = parts[-2], parts[-1]
            target = name if folder == module_folder else f"../{folder}/{name}"
            title = _words(lesson.title)
            found.append(Section(target, f"{module.title} › {lesson.title}", title))
            for heading in lesson.headings if folder == module_folder else ():
                if heading.level < 2 or not heading.anchor:
                    continue
                found.append(
                    Section(
                        f"{target}#{heading.anchor}",
                        f"{module.title} › {lesson.title} › {heading.text}",
                        _words(heading.text),
                    )
                )
    return tuple(dict((s.target, s) for s in found).values())


def _words(text: str) -> str:
    return " ".join(re.sub(r"[\[\]]", "", text).split()) or "the lesson"


def split_review(explanation: str, targets: Iterable[str]) -> tuple[str, str]:
    """Return (the explanation without its closing review link, the link's target).

    Only a last sentence `Review [words](target).` whose target is in `targets`
    is taken out; otherwise the explanation is returned whole with target "".
    """
    match = _REVIEW.search(explanation)
    if match is None or match.group("target") not in set(targets):
        return explanation, ""
    return explanation[: match.start()], match.group("target")


def join_review(text: str, section: Section | None) -> str:
    """Return the explanation `text` with a review link to `section` at its end."""
    if section is None:
        return text
    link = f"Review [{section.words}]({section.target})."
    if not text:
        return link
    return f"{text}\n\n{link}" if "\n" in text else f"{text} {link}"
