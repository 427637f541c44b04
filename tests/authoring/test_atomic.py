"""Writes are atomic: a failure part-way through a save leaves the old file whole."""

from __future__ import annotations

import os

import pytest

from induction.admin.course_files.changes import Change, apply_change, atomic_write
from tests.authoring.conftest import (
    BASICS,
    RULES,
    WELCOME,
    audit_events,
    edit_url,
    open_editor,
    text_of,
)


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_atomic_write_replaces_the_whole_file(tmp_path):
    path = tmp_path / "lesson.md"
    path.write_text("old")
    atomic_write(path, b"new")
    assert path.read_bytes() == b"new"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failure_mid_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path, monkeypatch, failing
):
    path = tmp_path / "lesson.md"
    path.write_text("old text")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(OSError, match="No space"):
        atomic_write(path, b"new text that never lands")
    monkeypatch.undo()
    assert path.read_text() == "old text"
    assert leftovers(tmp_path) == []


def test_a_publish_that_fails_half_way_keeps_the_old_files_the_draft_and_logs_nothing(
    app, admin, tree, monkeypatch
):
    from induction.content import journal

    paths = [tree / BASICS / WELCOME, tree / BASICS / RULES]
    before = [path.read_bytes() for path in paths]
    for relative in (WELCOME, RULES):
        text, base = open_editor(admin, relative)
        data = {"text": text + "\nNew.\n", "base_hash": base, "save": "Save"}
        assert admin.post(edit_url(relative), data=data).status_code == 302
    written = []
    real = journal._write_durably

    def fail_on_the_second(path, data):
        if written:
            raise OSError(28, "No space left on device")
        written.append(path)
        real(path, data)

    monkeypatch.setattr(journal, "_write_durably", fail_on_the_second)
    response = admin.post(
        f"/admin/courses/{BASICS}/draft/publish", data={"note": "Both", "publish_all": "1"}
    )
    monkeypatch.undo()
    page = text_of(response)
    assert written, "the first file was staged before the failure"
    assert response.status_code == 500
    assert "No space left on device" in page
    assert "No file was half-written" in page
    assert "Traceback" not in page
    assert [path.read_bytes() for path in paths] == before
    assert leftovers(paths[0].parent) == []
    assert leftovers(tree / BASICS) == []  # no journal left either
    assert audit_events(app, "course.changes_published") == []  # rolled back
    draft = text_of(admin.get(f"/admin/courses/{BASICS}/draft"))
    assert WELCOME in draft and RULES in draft  # nothing lost: the draft is still there


def test_a_rename_writes_the_new_content_before_the_file_moves(tmp_path):
    course = tmp_path / "course"
    (course / "m").mkdir(parents=True)
    (course / "m" / "a.md").write_text("old")
    change = Change(writes={"m/b.md": b"new"}, renames=[("m/a.md", "m/b.md")])
    apply_change(course, change)
    assert not (course / "m" / "a.md").exists()
    assert (course / "m" / "b.md").read_text() == "new"


def test_a_rename_never_replaces_an_existing_file(tmp_path):
    course = tmp_path / "course"
    (course / "m").mkdir(parents=True)
    (course / "m" / "a.md").write_text("a")
    (course / "m" / "b.md").write_text("b")
    with pytest.raises(FileExistsError):
        apply_change(course, Change(renames=[("m/a.md", "m/b.md")]))
    assert (course / "m" / "b.md").read_text() == "b"
