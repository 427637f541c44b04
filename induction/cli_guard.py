"""What every `flask --app induction ...` command shares: the SQLite write lock taken up
front, and a plain message instead of a traceback when the database stays locked.

A command on SQLite begins each transaction with BEGIN IMMEDIATE, as a web request that
writes does, so it waits for the lock (the busy timeout) instead of failing at once when
a read transaction cannot be upgraded ("database is locked"). A command that only reads
may set `write_intent` back to False itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click
from flask import current_app
from sqlalchemy.exc import OperationalError

from induction.database import write_intent
from induction.extensions import db

_GUARDED = "_induction_guarded"


def is_locked(error: OperationalError) -> bool:
    """Return True when SQLite refused a write because another connection held the lock."""
    return "database is locked" in str(error.orig) or "database is busy" in str(error.orig)


def locked_message(timeout_ms: int) -> str:
    """Return the plain-words message for a write that waited for the lock and gave up."""
    return (
        f"The database is busy: another program kept it locked for more than "
        f"{timeout_ms / 1000:g} seconds, so nothing was changed. Try again in a moment; if "
        f"it keeps happening, check that no other command or backup is still running."
    )


def guarded(callback: Callable[..., Any]) -> Callable[..., Any]:
    """Return `callback` run with the SQLite write lock taken up front and lock errors in words."""
    if getattr(callback, _GUARDED, False):
        return callback

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        intent = write_intent.set(True)
        try:
            return callback(*args, **kwargs)
        except OperationalError as error:
            if not is_locked(error):
                raise
            db.session.rollback()
            raise click.ClickException(
                locked_message(int(current_app.config["SQLITE_BUSY_TIMEOUT_MS"]))
            ) from None
        finally:
            write_intent.reset(intent)

    setattr(run, _GUARDED, True)
    return run


def guard_commands(group: click.Group) -> None:
    """Guard every command of `group` and of the groups inside it (once, however often called)."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            guard_commands(command)
        elif command.callback is not None:
            command.callback = guarded(command.callback)
