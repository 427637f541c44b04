"""Flesch reading ease of every lesson in a course folder, one line per lesson.

    python -m tests.benchmarks.readability courses/01-ccin-induction
    python -m tests.benchmarks.readability --minimum 60 courses/01-ccin-induction

The score is the classic Flesch formula,

    206.835 - 1.015 x (words / sentences) - 84.6 x (syllables / words),

over the prose a learner reads: the front matter, HTML comments, the closing
"Sources" section and link addresses are left out; headings, list items and
table cells count as sentences of their own. Syllables are counted with the
usual rule of thumb (groups of vowels, a silent final "e", "es" or "ed"
dropped, at least one a word; each part of a hyphenated word is counted), so it needs no
dictionary and no download. 60 or more is "plain English" (a 13 to 15 year old reads it
easily). With --minimum the command exits with status 1 when any lesson
scores lower.

It is not part of the test suite (pytest does not collect it); the CCIN
course's tests call `flesch_reading_ease` to hold every lesson to 60.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

FIXED_NAMES = {"course.md", "module.md", "quiz.md"}
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SOURCES = re.compile(r"^## Sources \{#sources\}.*", re.DOTALL | re.MULTILINE)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"<https?://[^>]+>|https?://\S+")
_ATTRIBUTES = re.compile(r"\{#[^}]*\}")
_FENCE = re.compile(r"^:::.*$", re.MULTILINE)
_SENTENCE_END = re.compile(r"[.!?]+(?=[\s\"')\]]|$)")
_WORD = re.compile(r"[A-Za-z0-9£%&@'’./-]*[A-Za-z0-9]")
_VOWELS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class Score:
    """The counts behind one text's reading ease."""

    words: int
    sentences: int
    syllables: int

    @property
    def ease(self) -> float:
        """Flesch reading ease; 100 for an empty text."""
        if not self.words:
            return 100.0
        return (
            206.835
            - 1.015 * self.words / max(1, self.sentences)
            - 84.6 * self.syllables / self.words
        )


def syllables(word: str) -> int:
    """Return the estimated syllables of one word (at least 1)."""
    total = 0
    for part in re.split(r"[-/]", word.lower()):
        letters = re.sub(r"[^a-z]", "", part)
        if not letters:
            total += 1 if re.search(r"\d", part) else 0
            continue
        count = len(_VOWELS.findall(letters))
        if count > 1 and (
            (letters.endswith("e") and not letters.endswith(("le", "ee", "ye")))
            or (letters.endswith("es") and letters[-3:-2] not in "sxzcgh")
            or (letters.endswith("ed") and letters[-3:-2] not in "td")
        ):
            count -= 1
        total += max(1, count)
    return max(1, total)


def prose(markdown: str) -> str:
    """Return a lesson body reduced to what a learner reads, one sentence-ish unit a line."""
    text = _COMMENT.sub("", markdown)
    text = _SOURCES.sub("", text)
    text = _FENCE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _URL.sub("", text)
    text = _ATTRIBUTES.sub("", text)
    units: list[str] = []
    paragraph: list[str] = []

    def close() -> None:
        if paragraph:
            units.append(" ".join(paragraph))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line or re.fullmatch(r"\|?[\s|:-]+\|?", line):
            close()
            continue
        if line.startswith("|"):
            close()
            units.extend(cell.strip() for cell in line.strip("|").split("|") if cell.strip())
            continue
        if re.match(r"(#+|[-*]|\d+\.)\s", line):
            close()
            line = re.sub(r"^(#+|[-*]|\d+\.)\s+", "", line)
        line = line.lstrip("> ").replace("**", "").replace("*", "").replace("`", "")
        if line.startswith("—"):
            close()
        paragraph.append(line)
        if raw.lstrip().startswith("#"):
            close()
    close()
    return "\n".join(
        unit if _SENTENCE_END.search(unit[-1:] + " ") else unit + "." for unit in units
    )


def score(markdown: str) -> Score:
    """Return the word, sentence and syllable counts of a lesson body's prose."""
    text = prose(markdown)
    words = _WORD.findall(text)
    sentences = len(_SENTENCE_END.findall(text))
    return Score(len(words), sentences, sum(syllables(w) for w in words))


def flesch_reading_ease(markdown: str) -> float:
    """Return the Flesch reading ease of a lesson body (Markdown, front matter removed)."""
    return score(markdown).ease


def body_of(path: Path) -> str:
    """Return a lesson file's text without its front matter."""
    text = path.read_text(encoding="utf-8-sig")
    if text.startswith("---"):
        parts = text.split("\n---", 1)
        if len(parts) == 2:
            return parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
    return text


def lesson_files(course: Path) -> list[Path]:
    """Return the course's lesson files in folder order."""
    return sorted(
        path
        for path in course.rglob("*.md")
        if path.name not in FIXED_NAMES
        and not path.name.endswith(".cy.md")
        and not any(part.startswith(("_", ".")) for part in path.relative_to(course).parts)
    )


def main(argv: list[str] | None = None) -> int:
    """Print each lesson's reading ease; return 1 when one is below --minimum."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "course", type=Path, help="a course folder, such as courses/01-ccin-induction"
    )
    parser.add_argument("--minimum", type=float, default=None, help="fail below this score")
    args = parser.parse_args(argv)
    if not args.course.is_dir():
        parser.error(f"{args.course} is not a folder")
    low = 0
    print("| Lesson | Words | Words a sentence | Syllables a word | Reading ease |")
    print("|---|---|---|---|---|")
    for path in lesson_files(args.course):
        result = score(body_of(path))
        flag = ""
        if args.minimum is not None and result.ease < args.minimum:
            low += 1
            flag = " (below minimum)"
        print(
            f"| {path.relative_to(args.course)} | {result.words} "
            f"| {result.words / max(1, result.sentences):.1f} "
            f"| {result.syllables / max(1, result.words):.2f} | {result.ease:.1f}{flag} |"
        )
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
