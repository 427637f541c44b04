"""`format_tree` rewrites only what is not canonical; `fingerprint` notices every change."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from induction.content import fingerprint, format_tree
from tests.content.helpers import VALID_TREE, MakeTree, lesson

MESSY_LESSON = "---\nversion: 2\ntitle: Messy\n---\n\nBody.\n"
MESSY_QUIZ = "## Q   {#q}\n- [x] A\n- [ ] B\n"
BROKEN_MESSY = "---\nversion: ten\ntitle: Broken\n---\n\nBody.\n"


def tree(make_tree: MakeTree) -> Path:
    return make_tree(
        {
            "course/01-module/01-canonical.md": lesson(),
            "course/01-module/02-messy.md": MESSY_LESSON,
            "course/01-module/03-broken.md": BROKEN_MESSY,
            "course/01-module/04-windows.md": "\ufeff" + MESSY_LESSON.replace("\n", "\r\n"),
            "course/01-module/_draft.md": MESSY_LESSON,
            "course/01-module/quiz.md": MESSY_QUIZ,
        }
    )


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


CHANGED = [
    "course/01-module/02-messy.md",
    "course/01-module/04-windows.md",
    "course/01-module/quiz.md",
]


def test_check_only_lists_files_and_writes_nothing(make_tree: MakeTree) -> None:
    root = tree(make_tree)
    before = snapshot(root)
    assert format_tree(root, check_only=True) == CHANGED
    assert snapshot(root) == before


def test_formatting_rewrites_only_what_changes(make_tree: MakeTree) -> None:
    root = tree(make_tree)
    module = root / "course/01-module"
    os.chmod(module / "02-messy.md", 0o640)
    before = snapshot(root)
    assert format_tree(root, check_only=False) == CHANGED
    after = snapshot(root)
    assert (module / "02-messy.md").read_text() == "---\ntitle: Messy\nversion: 2\n---\n\nBody.\n"
    assert (module / "04-windows.md").read_bytes() == (
        "\ufeff---\r\ntitle: Messy\r\nversion: 2\r\n---\r\n\r\nBody.\r\n".encode()
    )
    assert (module / "quiz.md").read_text() == "## Q {#q}\n\n- [x] A\n- [ ] B\n"
    assert (module / "02-messy.md").stat().st_mode & 0o777 == 0o640
    untouched = set(before) - {path for path in CHANGED}
    assert {path: after[path] for path in untouched} == {path: before[path] for path in untouched}
    assert set(after) == set(before)  # no temporary file left behind
    assert format_tree(root, check_only=False) == []


def test_the_valid_fixture_tree_is_already_canonical(tmp_path: Path) -> None:
    root = tmp_path / "courses"
    shutil.copytree(VALID_TREE, root)
    assert format_tree(root, check_only=True) == []


def test_the_fingerprint_is_stable_while_nothing_changes(make_tree: MakeTree) -> None:
    root = tree(make_tree)
    assert fingerprint(root) == fingerprint(root)


def test_the_fingerprint_changes_when_a_file_changes(make_tree: MakeTree) -> None:
    root = tree(make_tree)
    before = fingerprint(root)
    path = root / "course/01-module/01-canonical.md"
    stat = path.stat()
    path.write_text(lesson(body="Same size?"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert fingerprint(root) != before


def test_the_fingerprint_changes_when_only_the_modification_time_changes(
    make_tree: MakeTree,
) -> None:
    root = tree(make_tree)
    before = fingerprint(root)
    path = root / "course/01-module/quiz.md"
    os.utime(path, ns=(time.time_ns(), path.stat().st_mtime_ns + 5_000_000_000))
    assert fingerprint(root) != before


def test_the_fingerprint_changes_when_files_are_added_removed_or_renamed(
    make_tree: MakeTree,
) -> None:
    root = tree(make_tree)
    module = root / "course/01-module"
    seen = {fingerprint(root)}
    (module / "05-new.md").write_text(lesson(), encoding="utf-8")
    seen.add(fingerprint(root))
    (module / "05-new.md").rename(module / "06-renamed.md")
    seen.add(fingerprint(root))
    (module / "06-renamed.md").unlink()
    (root / "course/02-empty").mkdir()
    seen.add(fingerprint(root))
    assert len(seen) == 4


def test_the_fingerprint_ignores_hidden_and_underscore_files(make_tree: MakeTree) -> None:
    root = tree(make_tree)
    before = fingerprint(root)
    (root / "course/01-module/_draft.md").write_text("changed draft", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git/HEAD").write_text("ref", encoding="utf-8")
    assert fingerprint(root) == before


def test_a_missing_folder_has_a_fingerprint(tmp_path: Path) -> None:
    assert fingerprint(tmp_path / "nowhere") == fingerprint(tmp_path / "elsewhere")
