"""Which files of a draft set go out together: a moved or renamed file's two names, and
the files whose links only follow it.

A lesson or module moved up or down, or renamed, is a file gone at one path and new at
another. The two are paired when they are the same item: the same ids along the path,
where a lesson's or a module's id is the `id:` of its front matter when it has one (a
rename writes the old id there, so progress is kept) and its name without the order
number otherwise. A path that could pair with more than one other is left unpaired.

A file whose only change is its links rewritten to follow moves (what moving or renaming
does to the files that link to the moved one) goes out with those moves: published alone
it would point at a file that is not there yet, or not there any more.

The moves of one action go together too (`action_of`): every lesson a new order of a
module's lessons renumbers, every module a new order of the modules renumbers, every file
of a renamed module folder. Taken apart, a new order would leave two lessons with one
number, or a module's files in two folders.

Publishing and discarding take whole groups (`with_moves`); the draft page shows each
file's place in its group (`Grouping`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from induction.admin.course_files.changes import read_bytes
from induction.admin.course_files.links import mover, rewrite_links
from induction.admin.course_files.listing import kind_of
from induction.admin.course_files.paths import CourseFolder
from induction.admin.drafts.models import DraftFile
from induction.content.frontmatter import split
from induction.content.ids import id_from_name
from induction.content.source import Source, decoded
from induction.content.tree import MODULE_FILE

Reader = Callable[[str], bytes | None]  # course-relative path -> the file's bytes, or None


def _declared_id(data: bytes | None, path: str) -> str | None:
    """Return the `id:` written in the front matter of a file, None when it has none."""
    source = decoded(data)
    if source is None:
        return None
    for entry in split(source.text, path).entries:
        value = getattr(entry.node, "value", None)
        if entry.key == "id" and isinstance(value, str) and value:
            return value
    return None


def _identity(path: str, read: Reader) -> str:
    """Return what stays the same when the item at `path` moves or is renamed: the id of
    each part of its path (see the module's docstring)."""
    parts = path.split("/")
    ids = []
    for depth, name in enumerate(parts):
        own = "/".join(parts[: depth + 1])
        declared = None
        if depth == len(parts) - 1 and kind_of(own) == "lesson":
            declared = _declared_id(read(own), own)
        elif depth == 0 and len(parts) > 1:  # a module folder: its module.md says its id
            declared = _declared_id(read(f"{own}/{MODULE_FILE}"), f"{own}/{MODULE_FILE}")
        ids.append(declared or id_from_name(name))
    return "/".join(ids)


def identity(path: str, read: Reader) -> str:
    """Return what stays the same when the item at `path` moves or is renamed (its ids along
    the path; see the module's docstring), its files read with `read`."""
    return _identity(path, read)


def _readers(live: CourseFolder, rows: list[DraftFile]) -> tuple[Reader, Reader]:
    """Return how to read a file as published, and as it would be with the draft."""
    drafted = {row.path: row.content for row in rows}

    def published(path: str) -> bytes | None:
        return read_bytes(live.path / path)

    def with_draft(path: str) -> bytes | None:
        return drafted[path] if path in drafted else published(path)

    return published, with_draft


def moves(live: CourseFolder, rows: list[DraftFile]) -> dict[str, str]:
    """Return the draft's moved and renamed files, each path mapped to its other name."""
    published, with_draft = _readers(live, rows)
    gone: dict[str, list[str]] = {}
    added: dict[str, list[str]] = {}
    for row in rows:
        exists = (live.path / row.path).is_file()
        if row.content is None and exists:
            gone.setdefault(_identity(row.path, published), []).append(row.path)
        elif row.content is not None and not exists:
            added.setdefault(_identity(row.path, with_draft), []).append(row.path)
    pairs: dict[str, str] = {}
    for key, old in gone.items():
        new = added.get(key, [])
        if len(old) == 1 and len(new) == 1:
            pairs[old[0]], pairs[new[0]] = new[0], old[0]
    return pairs


def action_of(old: str, new: str) -> str:
    """Return which action moved the file at `old` to `new`, as a key the moves of one
    action share: "modules:" (a new order of the modules), "modules:renamed <folder>" (a
    module folder renamed), "renamed:<new>" (one file renamed) or "lessons:<module folder>"
    (a new order of the module's lessons)."""
    old_module, new_module = old.split("/", 1)[0], new.split("/", 1)[0]
    if old_module != new_module:  # a module folder moved or renamed
        return f"modules:{'renamed ' + old_module if is_renaming(old_module, new_module) else ''}"
    if is_renaming(old, new):
        return f"renamed:{new}"
    return f"lessons:{new_module}"


def _follows(
    old_path: str,
    new_path: str,
    before: Source,
    after: Source,
    renames: list[tuple[str, str]],
) -> list[tuple[str, str]]:
    """Return the renames whose links are the only change from `before` (the file at
    `old_path`) to `after` (the file at `new_path`, the same path unless it moved too);
    empty when the file changed in any other way."""
    unmoved = rewrite_links(before, old_path, new_path, mover([]))
    followed = [
        rename
        for rename in renames
        if rewrite_links(before, old_path, new_path, mover([rename])) != unmoved
    ]
    if followed and rewrite_links(before, old_path, new_path, mover(followed)) == after.text:
        return followed
    return []


@dataclass
class Grouping:
    """The draft's files that go out together: `partners` maps each moved file to its
    other name, `follows` each file changed only in its links to the moves it follows
    (as (old, new) paths), `groups` every such path to all the paths of its group."""

    partners: dict[str, str] = field(default_factory=dict)
    follows: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    groups: dict[str, frozenset[str]] = field(default_factory=dict)

    def together(self, paths: set[str]) -> set[str]:
        """Return `paths` with every other path of their groups."""
        result = set(paths)
        for path in paths:
            result |= self.groups.get(path, frozenset())
        return result


def grouping(live: CourseFolder, rows: list[DraftFile]) -> Grouping:
    """Return which files of the draft set `rows` go out together (see the docstring)."""
    partners = moves(live, rows)
    renames = [(old, new) for old, new in partners.items() if (live.path / old).is_file()]
    follows: dict[str, list[tuple[str, str]]] = {}
    joins: list[set[str]] = []  # a moved file with the other moves its links follow
    if renames:
        for row in rows:
            if row.content is None:
                continue
            if row.path in partners:
                # A file moved and its links rewritten to follow the files moved with it
                # (each lesson below a moved one is renumbered): without those moves its
                # links point at names that are not there.
                old = partners[row.path]
                others = [rename for rename in renames if rename != (old, row.path)]
                before, after = decoded(read_bytes(live.path / old)), decoded(row.content)
                if before is not None and after is not None and others:
                    followed = _follows(old, row.path, before, after, others)
                    if followed:
                        joins.append({row.path, *(name for r in followed for name in r)})
                continue
            before, after = decoded(read_bytes(live.path / row.path)), decoded(row.content)
            if before is not None and after is not None and before.text != after.text:
                followed = _follows(row.path, row.path, before, after, renames)
                if followed:
                    follows[row.path] = followed
    # Join the groups: each move's two names, and each follower with the moves it follows.
    owner: dict[str, set[str]] = {}

    def join(paths: set[str]) -> None:
        merged = set(paths)
        for path in paths:
            merged |= owner.get(path, set())
        for path in merged:
            owner[path] = merged

    for old, new in renames:
        join({old, new})
    for path, followed in follows.items():
        join({path, *(name for rename in followed for name in rename)})
    for paths in joins:
        join(paths)
    actions: dict[str, set[str]] = {}
    for old, new in renames:
        actions.setdefault(action_of(old, new), set()).update((old, new))
    for paths in actions.values():
        join(paths)
    groups = {path: frozenset(members) for path, members in owner.items()}
    return Grouping(partners, follows, groups)


def with_moves(live: CourseFolder, rows: list[DraftFile], paths: set[str]) -> set[str]:
    """Return `paths` with the rest of each one's group: what is published or discarded
    together."""
    return grouping(live, rows).together(paths)


def is_renaming(old: str, new: str) -> bool:
    """Return True when `new` is `old` with another name, not only other order numbers."""
    return [id_from_name(part) for part in old.split("/")] != [
        id_from_name(part) for part in new.split("/")
    ]


def where_now(folder: CourseFolder, paths: list[str]) -> Callable[[str], str]:
    """Return where a path named by an older text of the course is now, among `paths`
    (the course's files now, in `folder`): itself while it is one of them, else the one
    file that is the same item, moved or renamed since (a renamed file keeps its old
    id in its front matter, so its identity is its old name's); else the path as it was.
    """

    def read(path: str) -> bytes | None:
        return read_bytes(folder.path / path)

    current = set(paths)
    found: dict[str, list[str]] = {}
    for path in paths:
        found.setdefault(_identity(path, read), []).append(path)

    def now(path: str) -> str:
        if path in current:
            return path
        same = found.get("/".join(id_from_name(part) for part in path.split("/")), [])
        return same[0] if len(same) == 1 else path

    return now


def links_back(live: CourseFolder, rows: list[DraftFile], discarded: set[str]) -> dict[str, bytes]:
    """Return the drafted files outside `discarded` whose links point at the new name of a
    move being discarded, each with those links turned back to the move's old name (the
    file's other changes kept): the text each should then hold."""
    partners = moves(live, rows)
    back = mover(
        [
            (new, old)
            for old, new in partners.items()
            if old in discarded and new in discarded and (live.path / old).is_file()
        ]
    )
    relinked: dict[str, bytes] = {}
    for row in rows:
        if row.path in discarded or row.content is None or not row.path.endswith(".md"):
            continue
        source = decoded(row.content)
        if source is None:
            continue
        text = rewrite_links(source, row.path, row.path, back)
        if text != source.text:
            relinked[row.path] = source.denormalise(text).encode("utf-8")
    return relinked
