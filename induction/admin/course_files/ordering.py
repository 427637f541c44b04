"""Putting a course's modules, or a module's lessons, in a new order.

Order comes from the `NN-` prefix of each name (see AUTHORING.md), so a new order is a
set of renames: the entries are numbered again 01, 02, ... in their new order, the
rest of each name kept. Ids do not change, because the prefix is not part of an id;
an entry whose name had no prefix, or whose id would change all the same, gets
`id: old-id` in its front matter first, so nobody's progress is touched. Links from
other files follow the renamed files (as for a rename), and a lesson's translation
(`*.cy.md` beside it) moves with it.

The page sends the order it showed (`shown`): when the folder no longer holds exactly
that, someone changed it meanwhile and the request is refused as stale, so nothing is
moved on the strength of an old page. Nothing here writes; the change goes through the
service's usual check (`induction.admin.course_files.commit`).
"""

from __future__ import annotations

from collections.abc import Sequence

from induction.admin.course_files.changes import Change
from induction.admin.course_files.edits import EditRefused, has_id, read_source, with_id
from induction.admin.course_files.links import mover, rewrite_links
from induction.admin.course_files.listing import CourseItems, list_course
from induction.admin.course_files.paths import CourseFolder, resolve
from induction.content.ids import id_from_name, is_valid_id, split_prefix
from induction.content.source import Source
from induction.content.tree import MODULE_FILE

UP = "up"
DOWN = "down"
TEMPORARY = "_moving-"  # a name the platform ignores, for the moment two names swap


class StaleOrder(EditRefused):
    """The order shown on the author's page is not the folder's order any more."""


def entries(items: CourseItems, parent: str) -> list[str]:
    """Return the names, in order, of the course's module folders (`parent` "") or of the
    lessons of the module folder `parent`.

    Raises EditRefused when `parent` is not a module of the course.
    """
    if not parent:
        return [module.name for module in items.modules]
    module = items.module(parent)
    if module is None:
        raise EditRefused(
            f"there is no module folder '{parent}' in this course: it may have been renamed "
            "or deleted; reload the course page"
        )
    return [lesson.name for lesson in module.lessons]


def moved(order: Sequence[str], name: str, direction: str, what: str = "item") -> list[str]:
    """Return `order` with `name` moved one place up or down.

    Raises EditRefused when `name` is not in the order, the direction is unknown, or the
    entry is already first (up) or last (down).
    """
    if name not in order:
        raise EditRefused(
            f"there is no {what} '{name}' here: it may have been renamed or deleted; "
            "reload the page"
        )
    if direction not in (UP, DOWN):
        raise EditRefused("choose Move up or Move down")
    index = order.index(name)
    target = index - 1 if direction == UP else index + 1
    if target < 0:
        raise EditRefused(f"the {what} is already first: it cannot move up")
    if target >= len(order):
        raise EditRefused(f"the {what} is already last: it cannot move down")
    result = list(order)
    result[index], result[target] = result[target], result[index]
    return result


def numbered_name(name: str, position: int, count: int) -> str:
    """Return the name `name` takes at `position` (1-based) of `count`: prefix replaced."""
    suffix = ".md" if name.endswith(".md") else ""
    stem = name[: -len(suffix)] if suffix else name
    width = max(2, len(str(count)))
    return f"{position:0{width}d}-{split_prefix(stem)[1]}{suffix}"


def _translation(name: str) -> str | None:
    return f"{name[:-3]}.cy.md" if name.endswith(".md") else None


def reorder_change(
    folder: CourseFolder, parent: str, shown: Sequence[str], order: Sequence[str]
) -> Change:
    """Return the change that puts the entries of `parent` (see `entries`) in `order`.

    `shown` is the order the author's page showed. Raises StaleOrder when it is not the
    folder's order now, and EditRefused when `order` does not list every entry once.
    The change is empty when the order is already `order`.
    """
    items = list_course(folder)
    current = entries(items, parent)
    what = "lesson" if parent else "module"
    if list(shown) != current:
        raise StaleOrder(
            f"the {what}s were changed since you opened this page (someone may have moved, "
            f"added or removed a {what}): this page now shows the current order; "
            "make your change again"
        )
    if sorted(order) != sorted(current):
        raise EditRefused(
            f"the new order must list every {what} of this page once: reload the page and try again"
        )
    base = f"{parent}/" if parent else ""
    moves: dict[str, str] = {}
    pins: dict[str, Source] = {}
    for position, name in enumerate(order, start=1):
        new_name = numbered_name(name, position, len(order))
        if new_name == name:
            continue
        old, new = base + name, base + new_name
        if resolve(folder, new).exists() and new not in {base + n for n in current}:
            raise EditRefused(f"'{new_name}' is taken by another file: rename or remove it first")
        moves[old] = new
        translation = _translation(name)
        if translation and resolve(folder, base + translation).is_file():
            moves[base + translation] = base + _translation(new_name)  # type: ignore[operator]
        old_id, new_id = id_from_name(name), id_from_name(new_name)
        id_file = old if parent else f"{old}/{MODULE_FILE}"
        source = read_source(folder, id_file)
        needs_pin = split_prefix(name[:-3] if name.endswith(".md") else name)[0] is None
        if (
            source is not None
            and (needs_pin or old_id != new_id)
            and is_valid_id(old_id)
            and not has_id(source, id_file)
        ):
            pins[id_file] = with_id(source, old_id)
    if not moves:
        return Change()
    move = mover(list(moves.items()))
    change = Change(renames=_renames(moves))
    for item in items.markdown_files():
        original = read_source(folder, item.path)
        source = pins.get(item.path) or original
        if source is None or original is None:
            continue
        new_text = rewrite_links(source, item.path, move(item.path), move)
        if new_text != original.text:
            change.writes[move(item.path)] = source.denormalise(new_text).encode("utf-8")
    return change


def _renames(moves: dict[str, str]) -> list[tuple[str, str]]:
    """Return the renames making `moves`, through ignored names when two names swap."""
    if not set(moves.values()) & set(moves):
        return list(moves.items())
    parked = {}
    for index, old in enumerate(moves, start=1):
        folder, _, name = old.rpartition("/")
        parked[old] = (
            f"{folder}/{TEMPORARY}{index}-{name}" if folder else f"{TEMPORARY}{index}-{name}"
        )
    return [(old, parked[old]) for old in moves] + [
        (parked[old], new) for old, new in moves.items()
    ]
