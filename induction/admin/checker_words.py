"""The course check's messages with its code words said plainly, for admins.

The check's messages are shared with the command line (`flask courses check`), where
authors who edit the files by hand know "front matter" and "anchor". Admins who edit in
the browser know the settings at the top of a lesson and the headings a link goes to,
so `plain` rewrites those words; everything else in a message (what to type, the names
quoted) is kept. `problem_words.say` calls it for every problem an admin page shows.
Pure: no Flask.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

# What a file is, to go in "the settings at the top of ...".
_WHOSE = {
    "lesson": "the lesson",
    "quiz": "the quiz",
    "module": "the module's introduction",
    "course": "the course's introduction",
}

_PARENS = r"\((?:[^()]|\([^()]*\))*\)"  # "(...)", one level of parentheses inside allowed

Rewrite = tuple[re.Pattern[str], Callable[[re.Match[str], str], str]]


def _rule(pattern: str, words: Callable[[re.Match[str], str], str]) -> Rewrite:
    return re.compile(pattern), words


# In order: the most particular first; each says `top` ("the settings at the top of the
# lesson") where the check says "front matter".
_REWRITES: tuple[Rewrite, ...] = (
    _rule(
        r"unknown front matter key '([^']*)' \(did you mean '([^']*)'\?\)",
        lambda m, f: (
            f"the setting '{m[1]}' is not one the platform knows (did you mean '{m[2]}'?): "
            f"check the settings at the top of {f}"
        ),
    ),
    _rule(
        r"unknown front matter key '([^']*)': remove it \(allowed here: ([^)]*)\)",
        lambda m, f: (
            f"the setting '{m[1]}' is not one the platform knows: remove it from the "
            f"settings at the top of {f} (the settings allowed there: {m[2]})"
        ),
    ),
    _rule(r"front matter key '([^']*)'", lambda m, f: f"the setting '{m[1]}'"),
    _rule(
        r"front matter keys must be plain words",
        lambda m, f: f"the names of the settings at the top of {f} must be plain words",
    ),
    _rule(
        r"the front matter has no '([^']*)': add a line '([^']*)' between the '---' lines",
        lambda m, f: (
            f"the settings at the top of {f} have no '{m[1]}': add a line "
            f"'{m[2]}' between the two '---' lines"
        ),
    ),
    _rule(
        r"the file has no front matter: start it",
        lambda m, f: f"{f} has no settings at the top: start it",
    ),
    _rule(
        r"the front matter that starts here is never closed",
        lambda m, f: f"the settings at the top of {f} are never closed",
    ),
    _rule(
        rf"the front matter is not valid YAML {_PARENS}",
        lambda m, f: f"the settings at the top of {f} cannot be read",
    ),
    _rule(
        r"the front matter must be 'key: value' lines",
        lambda m, f: f"the settings at the top of {f} must be 'name: value' lines",
    ),
    _rule(r"the front matter nests", lambda m, f: f"the settings at the top of {f} nest"),
    _rule(r"(?:in|to) its front matter", lambda m, f: "in the settings at the top of it"),
    _rule(r"(?:the )?front matter", lambda m, f: f"the settings at the top of {f}"),
    # Links to headings: a heading's anchor is the name in {#...} at its end.
    _rule(
        r"link to '([^']*)': this lesson has no heading with anchor '([^']*)' \(([^)]*)\)",
        lambda m, f: (
            f"the link '{m[1]}' is a link to a heading that does not exist in this "
            f"lesson: no heading is named '{m[2]}' ({_headings(m[3])})"
        ),
    ),
    _rule(
        r"link to '([^']*)': (.+?) has no heading with anchor '([^']*)' \(([^)]*)\)",
        lambda m, f: (
            f"the link '{m[1]}' is a link to a heading that does not exist in "
            f"the {m[2]}: no heading there is named '{m[3]}' ({_headings(m[4])})"
        ),
    ),
    _rule(
        r"two headings have the anchor '([^']*)'(.*?): anchors must be unique in a page, "
        r"so change one \{#anchor\}",
        lambda m, f: (
            f"two headings have the same name '{m[1]}'{m[2]}, so a link cannot "
            "tell them apart: change the name in {#...} at the end of one of them"
        ),
    ),
    _rule(
        r"a heading takes only an anchor",
        lambda m, f: "a heading takes only its name for links",
    ),
    _rule(r"heading attribute '([^']*)'", lambda m, f: f"the '{m[1]}' after the heading"),
    _rule(r"has no alt text", lambda m, f: "has no description for people who cannot see it"),
    _rule(
        r"event handler '([^']*)' on raw HTML", lambda m, f: f"the script '{m[1]}' on web page code"
    ),
    _rule(r"raw HTML", lambda m, f: "web page code"),
    _rule(
        r"a question's attribute block holds only",
        lambda m, f: "the braces at the end of a question's heading hold only",
    ),
    _rule(
        r"the attribute block of a question",
        lambda m, f: "the braces at the end of a question's heading",
    ),
)


def _headings(listing: str) -> str:
    """Return the check's list of a page's anchors ("anchors: a, b") in words."""
    if listing.startswith("anchors: "):
        return "its headings are named: " + listing.removeprefix("anchors: ")
    return listing


def plain(message: str, kind: str | None = None) -> str:
    """Return the course check's `message` about a file of `kind` (lesson, quiz, module,
    course, or None) with its code words ("front matter", "anchor", "YAML") said plainly."""
    whose = _WHOSE.get(kind or "", "the file")
    text = message
    for pattern, words in _REWRITES:
        text = pattern.sub(functools.partial(_said, words, whose), text)
    return text


def _said(words: Callable[[re.Match[str], str], str], whose: str, match: re.Match[str]) -> str:
    return words(match, whose)
