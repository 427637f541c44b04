"""Writes are atomic: a failure part-way through a save leaves the old file whole."""

from __future__ import annotations

import os

import pytest

from induction.admin.course_files.changes import Change, apply_change, atomic_write
from tests.authoring.conftest import BASICS, WELCOME, audit_events, edit_url, open_editor, text_of


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


def test_a_failing_save_in_the_browser_keeps_the_old_file_and_logs_nothing(
    app, admin, tree, monkeypatch
):
    path = tree / BASICS / WELCOME
    before = path.read_bytes()
    text, base = open_editor(admin, WELCOME)

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    response = admin.post(
        edit_url(WELCOME), data={"text": text + "\nNew.\n", "base_hash": base, "save": "Save"}
    )
    monkeypatch.undo()
    page = text_of(response)
    assert response.status_code == 500
    assert "No space left on device" in page
    assert "No file was half-written" in page
    assert "Traceback" not in page
    assert path.read_bytes() == before
    assert leftovers(path.parent) == []
    assert audit_events(app, "course_file.saved") == []  # the audit row was rolled back


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
