"""What the draft page offers to throw away: one entry per thing a discard button undoes.

A file changed on its own is one entry. The files that go out together (a new order of a
module's lessons, a renaming, with the files whose links only follow them: see
`moves.py`) are one entry with one button, since discarding any of them discards them
all; it says what the action did, in the words of the draft summary, and lists the
lessons or modules it moved, each with its place before and after.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from induction.admin.drafts.describe import named
from induction.admin.drafts.moves import action_of
from induction.admin.drafts.publishing import DraftChange
from induction.admin.drafts.summary import move_text
from induction.content.ids import split_prefix
from induction.content.tree import MODULE_FILE

Reader = Callable[[str], bytes | None]  # course-relative path -> the file's bytes, or None


@dataclass(frozen=True)
class Entry:
    """One discard button of the draft page.

    `change` is the file posted to discard it (the new name of a move). `text` is what it
    undoes, `moved` the items a move put in a new place ("“Welcome”: now 2nd, was 1st"),
    `following` how many other files' links go back with it. `button` is the button's
    words, naming what it undoes as the draft summary does (see `button_text`).
    """

    change: DraftChange
    text: str
    button: str
    moved: tuple[str, ...] = ()
    following: int = 0


def _place(name: str) -> int | None:
    return split_prefix(name.removesuffix(".md"))[0]


def _moved_item(change: DraftChange, read: Reader) -> str:
    """Return the item `change` moved, with its place before and after when the move
    renumbered it: "the lesson “Welcome”: now 2nd, was 1st"."""
    assert change.partner is not None
    old, new = change.partner, change.path
    old_module, new_module = old.split("/", 1)[0], new.split("/", 1)[0]
    if old_module != new_module:
        name = named(f"{new_module}/{MODULE_FILE}", read)
        prefix = "the introduction of the module "
        what = "the module " + name.removeprefix(prefix)
        before, after = _place(old_module), _place(new_module)
    else:
        what = named(new, read)
        before, after = _place(old.rsplit("/", 1)[-1]), _place(new.rsplit("/", 1)[-1])
    if before is None or after is None or before == after or change.renamed:
        return what
    return f"{what}: now {_ordinal(after)}, was {_ordinal(before)}"


_ENDINGS = {1: "st", 2: "nd", 3: "rd"}


def _ordinal(number: int) -> str:
    """Return 1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st."""
    ending = "th" if 10 <= number % 100 <= 20 else _ENDINGS.get(number % 10, "th")
    return f"{number}{ending}"


def _button(keys: list[str], path: str, read: Reader) -> str:
    """Return the words of the button that discards the moves of the actions `keys`."""
    if len(keys) > 1:
        return "Discard these changes"
    [key] = keys
    if key == "modules:":
        return "Discard the new order of the modules"
    said = move_text(key, path, read)
    if key.startswith("lessons:"):
        return "Discard the new order of the lessons in " + said.rsplit(" in ", 1)[1]
    return "Discard the change: " + said[:1].lower() + said[1:]


_VERBS = {"new": "Discard the new {what}", "deleted": "Discard the deletion of the {what}"}


def button_text(change: DraftChange, read: Reader) -> str:
    """Return the words of the button that discards the one file `change`, naming it as
    the draft summary does: "Discard the changes to the lesson “Our story”", "Discard the
    new quiz of “First steps”", "Discard the renaming of the lesson “The rules”"."""
    said = named(change.path, read)
    if change.what == "moved":
        return f"Discard the {'renaming' if change.renamed else 'move'} of {said}"
    template = _VERBS.get(change.what)
    if template is None:
        return f"Discard the changes to {said}"
    return template.format(what=said.removeprefix("the "))


def entries(changes: Sequence[DraftChange], read: Reader) -> list[Entry]:
    """Return the discard buttons of the draft `changes`, in the order of their files.

    `read` gives a file as the draft makes it (as published, for one it deletes).
    """
    found: list[Entry] = []
    done: set[frozenset[str]] = set()
    for change in changes:
        if change.what == "moved away" or change.follows:
            continue  # discarded with the move it belongs to
        if change.what != "moved" or change.partner is None:
            found.append(Entry(change, change.description, button_text(change, read)))
            continue
        if change.group in done:
            continue
        done.add(change.group)
        members = [other for other in changes if other.path in change.group] or [change]
        moved = [other for other in members if other.what == "moved" and other.partner]
        keys = {action_of(other.partner or "", other.path): other.path for other in moved}
        texts = [move_text(key, path, read) for key, path in keys.items()]
        items = tuple(dict.fromkeys(_moved_item(other, read) for other in moved))
        if len(items) == 1:  # one file moved or renamed: named as before, its button too
            found.append(
                Entry(
                    change,
                    change.description,
                    button_text(change, read),
                    following=_following(members),
                )
            )
            continue
        found.append(
            Entry(
                change,
                "; ".join(texts),
                button=_button(list(keys), change.path, read),
                moved=items,
                following=_following(members),
            )
        )
    return found


def _following(members: list[DraftChange]) -> int:
    return sum(1 for member in members if member.follows)
