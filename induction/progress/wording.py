"""The words of the messages a learner sees after doing something: one sentence each,
never with a doubled full stop after a title that ends in its own punctuation.

Pure: no Flask, no database. The views flash what these functions return.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from markupsafe import Markup

from induction.content.model import Course

# A title that ends in one of these already ends its sentence ("What is a co-operative
# council?"); closing quotes and brackets after it are looked through.
_SENTENCE_ENDS = (".", "?", "!", "…")
_CLOSERS = "\"'”’)]»"


def ends_a_sentence(text: str) -> bool:
    """Return True when `text` already ends with . ? ! or … (closing quotes and brackets
    after it do not count), so that no full stop should follow it."""
    return text.rstrip().rstrip(_CLOSERS).endswith(_SENTENCE_ENDS)


def end_sentence(text: str) -> str:
    """Return `text` as a whole sentence: with a full stop after it, unless it already ends
    with . ? ! or … ("Lesson complete: Why?" stays as it is)."""
    text = text.rstrip()
    return text if ends_a_sentence(text) else f"{text}."


def listed(items: Sequence[str]) -> str:
    """Return `items` as a sentence lists them: "a", "a and b", "a, b and c"."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def names_the_site(course_title: str, site_name: str) -> bool:
    """Return True when a course's title already says the site's name, or the other way
    round ("CCIN induction" on the "CCIN induction"): a message then names only the course,
    not "your course “CCIN induction” on the CCIN induction"."""
    course, site = course_title.strip().casefold(), site_name.strip().casefold()
    return bool(course and site) and (site in course or course in site)


def completion_messages(course: Course, newly_completed: Iterable[str]) -> list[str]:
    """Return one sentence for each module and course completion a record reached.

    `newly_completed` holds "module:<id>" and "course" (as progress.services returns them,
    in that order); anything else (a renewal) has no message of its own. A module no
    longer in the course is skipped.
    """
    messages: list[str] = []
    for item in newly_completed:
        if item == "course":
            messages.append(end_sentence(f"Course complete: {course.title}"))
        elif item.startswith("module:"):
            module = course.module(item.removeprefix("module:"))
            if module is not None:
                messages.append(end_sentence(f"Module complete: {module.title}"))
    return messages


def biggest_completion(course: Course, newly_completed: Iterable[str]) -> str:
    """Return the one sentence for the biggest completion a record reached: the course's
    over a module's (the last module's when several); "" when it reached neither.

    Finishing a course's last lesson reaches the lesson, its module and the course at once:
    the learner is told only the biggest (see completion_messages for the words).
    """
    items = list(newly_completed)
    if "course" in items:
        return completion_messages(course, ["course"])[0]
    messages = completion_messages(course, items)
    return messages[-1] if messages else ""


def lesson_message(title: str, is_new: bool, reflection: str = "") -> str:
    """Return what marking a lesson complete says: "Lesson complete: <title>." the first
    time, that it had been recorded already otherwise; then `reflection`, what saving its
    reflection boxes did (reflection_message), when anything."""
    if is_new:
        words = end_sentence(f"Lesson complete: {title}")
    elif reflection:
        words = "You had already completed this lesson."
    else:
        return "You had already completed this lesson; nothing has changed."
    return f"{words} {reflection}" if reflection else words


def reflection_message(kept: Mapping[str, str]) -> str:
    """Return what saving reflection boxes did ("" when nothing was written).

    `kept`: prompt id -> "saved" or "cleared" (progress.reflections.save_reflections).
    """
    if not kept:
        return ""
    several = len(kept) > 1
    if "saved" in kept.values():
        if several:
            return "Your reflections are saved. Only you can see them."
        return "Your reflection is saved. Only you can see it."
    return "Your reflections are cleared." if several else "Your reflection is cleared."


def still_to_do(modules: Sequence[tuple[int, str, int]], first: str, url: str) -> Markup:
    """Return the sentence that says what is still to do earlier in the course, with a link.

    `modules`: (module number, module title, how many items are still to do in it) for
    each module that has some, in course order; `first`: the name of the first of those
    items, which `url` opens. For example "You still have 1 item to do in module 1 (What
    is our Co-operative Difference?): Quiz: Check your understanding." Raises ValueError
    when `modules` is empty.
    """
    if not modules:
        raise ValueError("nothing is still to do")
    total = sum(count for _, _, count in modules)
    items = "1 item" if total == 1 else f"{total} items"
    if len(modules) == 1:
        number, title, _ = modules[0]
        where = Markup("module {} ({})").format(number, title)
    else:
        numbers = [str(number) for number, _, _ in modules]
        where = Markup("modules {} and {}").format(", ".join(numbers[:-1]), numbers[-1])
    lead = "" if total == 1 else ", starting with"
    stop = "" if ends_a_sentence(first) else "."
    return Markup('You still have {} to do in {}{}{} <a href="{}">{}</a>{}').format(
        items, where, lead, ":" if total == 1 else "", url, first, stop
    )


def duration_words(minutes: int) -> str:
    """Return about how long `minutes` is, the way people say it: "about 20 minutes",
    "about 1 hour", "about 1 hour 5 minutes" (to the nearest 5 minutes past an hour)."""
    if minutes < 60:
        return f"about {minutes} minute{'' if minutes == 1 else 's'}"
    hours, rest = divmod(5 * round(minutes / 5), 60)
    words = f"about {hours} hour{'' if hours == 1 else 's'}"
    return f"{words} {rest} minutes" if rest else words
