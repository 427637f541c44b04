"""`courses check` and `courses fmt` from the command line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.conftest import FIXTURE_COURSES, SHIPPED_COURSES

LOCATED = re.compile(r"^(?P<path>\S[^:]*\.md):(?P<line>\d+): \S")
PROJECT = Path(__file__).resolve().parents[2]
BROKEN = PROJECT / "tests" / "fixtures" / "courses" / "broken"


def test_check_passes_on_the_shipped_courses(runner):
    result = runner.invoke(args=["courses", "check", str(SHIPPED_COURSES)])
    assert result.exit_code == 0, result.output
    assert "ccin-induction:" in result.output


def test_check_prints_every_problem_with_file_and_line_and_exits_1(runner):
    result = runner.invoke(args=["courses", "check", str(BROKEN)])
    assert result.exit_code == 1
    located = [m for m in map(LOCATED.match, result.output.splitlines()) if m]
    assert len(located) >= 30, result.output
    files = {m["path"] for m in located}
    assert len(files) >= 20  # problems from many files, all reported in one run
    assert "error(s): fix them" in result.output


def test_check_a_missing_folder_says_what_to_do(runner, tmp_path):
    result = runner.invoke(args=["courses", "check", str(tmp_path / "none")])
    assert result.exit_code != 0
    assert "not a folder" in result.output


def test_fmt_check_then_fmt(runner, tmp_path):
    tree = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES, tree)
    quiz = tree / "01-basics" / "01-first-steps" / "quiz.md"
    quiz.write_text(quiz.read_text() + "\n\n\n")  # trailing blank lines are not canonical
    result = runner.invoke(args=["courses", "fmt", "--check", str(tree)])
    assert result.exit_code == 1
    assert "would reformat" in result.output and "quiz.md" in result.output
    result = runner.invoke(args=["courses", "fmt", str(tree)])
    assert result.exit_code == 0 and "reformatted" in result.output
    result = runner.invoke(args=["courses", "fmt", "--check", str(tree)])
    assert result.exit_code == 0, result.output
