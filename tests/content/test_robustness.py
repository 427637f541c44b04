"""Bad input never crashes the loader, and formatting never changes what a valid file means."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from induction.content import check_tree, format_tree
from induction.content.document import parse_source, structure
from induction.content.source import DecodeError, decode
from induction.content.tree import course_files

# Fragments of course files, right and wrong, that random files are made of.
PIECES = [
    "---\n", "title: T\n", "summary: S\n", "id: a\n", "audiences: [officer]\n", "minutes: 1.5\n",
    "title: [\n", "a: b: c\n", "## Q {#q}\n", "## Q {#q type=text}\n", "{#a type=truefalse}\n",
    "- [x] A\n", "- [ ] B\n", "  > feedback\n", "> explanation\n", "Answer: a\n", "\n", "\r\n",
    "```\n", "~~~\n", "[link](01-a.md#h)\n", "![image](../media/a.png)\n", "[r]: 02-b.md\n",
    "[r]\n", "## H {#h .c}\n", "<script>x()</script>\n", "<!--", "-->", "{#", "}", "\t", "#",
    ">", "`", "\\", "[", "](", ")", "!", "*", "|a|b|\n|-|-|\n", "!!! note\n    x\n",
    "[^1]\n\n[^1]: f\n", "\x00", "\x85", "\u2028", "\ufeff", "é",
]  # fmt: skip
random_text = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
FILES = ("course.md", "01-m/module.md", "01-m/01-a.md", "01-m/02-b.md", "01-m/quiz.md")


def structures(root: Path) -> dict[str, Any]:
    found = {}
    for relative, kind in course_files(root):
        try:
            document = parse_source(decode((root / relative).read_bytes()), kind, relative)
        except DecodeError:
            continue
        if not document.has_errors:
            found[relative] = structure(document)
    return found


@settings(max_examples=60)
@given(st.tuples(*[random_text for _ in FILES]), st.lists(st.booleans(), min_size=5, max_size=5))
def test_random_files_never_crash_and_formatting_keeps_their_meaning(
    texts: tuple[str, ...], with_front_matter: list[bool]
) -> None:
    root = Path(tempfile.mkdtemp())
    try:
        course = root / "c"
        (course / "media").mkdir(parents=True)
        (course / "media" / "a.png").write_bytes(b"png")
        (course / "01-m").mkdir()
        for name, text, front in zip(FILES, texts, with_front_matter, strict=True):
            head = "---\ntitle: T\nsummary: S\n---\n" if front and name != "01-m/quiz.md" else ""
            (course / name).write_text(head + text, encoding="utf-8", newline="")
        before = structures(root)
        check_tree(root)
        format_tree(root, check_only=False)
        assert structures(root) == before
        _, problems = check_tree(root)
        assert [p for p in problems if "formatter would change" in p.message] == []
    finally:
        shutil.rmtree(root)
