"""One git commit per publish when the courses folder is a git work tree.

The admin who published is the commit's author and the change note its message; the
committer is the identity configured for the repository on the server. Before a
publish, `refusal` says in words why a commit could not be made (uncommitted changes
in the course folder, no identity configured), so the publish is refused rather than
left out of the repository's history. Uses the `git` command; a folder outside any
work tree (or no git installed) is simply not committed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

TIMEOUT_SECONDS = 30


class GitFailed(Exception):
    """The commit could not be made; the message says why, in words."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("git")
    if executable is None:
        raise GitFailed("git is not installed on the server")
    return subprocess.run(  # noqa: S603 - fixed executable, our own arguments
        [executable, "-C", str(root), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def is_work_tree(root: Path) -> bool:
    """Return True when `root` is inside a git work tree (and git is installed)."""
    try:
        done = _git(root, "rev-parse", "--is-inside-work-tree")
    except (GitFailed, OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and done.stdout.strip() == "true"


def refusal(root: Path, course_folder: str) -> str | None:
    """Return why a publish of `course_folder` could not be committed (None: it can be)."""
    if not is_work_tree(root):
        return None
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", course_folder)
    if status.returncode != 0:
        return f"git could not read the courses folder: {status.stderr.strip()}"
    dirty = [line[3:] for line in status.stdout.splitlines() if line.strip()]
    if dirty:
        shown = ", ".join(dirty[:5]) + (" and more" if len(dirty) > 5 else "")
        return (
            "the courses folder is a git work tree with changes nobody has committed "
            f"({shown}): commit or discard them on the server, then publish again"
        )
    for key in ("user.name", "user.email"):
        if not _git(root, "config", key).stdout.strip():
            return (
                f"the courses folder is a git work tree but git has no {key} set on the "
                f"server: set it (git config {key} ...) so publishes can be committed"
            )
    return None


def commit_publish(root: Path, course_folder: str, *, author: str, email: str, note: str) -> str:
    """Commit everything changed in `course_folder` as one commit; return its id.

    Raises GitFailed with git's message when the commit cannot be made.
    """
    added = _git(root, "add", "--all", "--", course_folder)
    if added.returncode != 0:
        raise GitFailed(f"git add failed: {added.stderr.strip()}")
    done = _git(
        root,
        "commit",
        "--quiet",
        "--no-verify",
        f"--author={author} <{email}>",
        "-m",
        note,
        "--",
        course_folder,
    )
    if done.returncode != 0:
        raise GitFailed(f"git commit failed: {(done.stderr or done.stdout).strip()}")
    return _git(root, "rev-parse", "HEAD").stdout.strip()
