"""The reports only read: a contract checked on the source of `induction.reports`.

Every module of the package is read as a syntax tree (not as text) and must hold:
- no write: no INSERT, UPDATE or DELETE statement (nothing of that name imported from
  SQLAlchemy), no session add, add_all, delete, merge or flush, no email queued, no
  table of its own, no file written on the host's disk;
- `commit` and `rollback` only at the boundary (views.py and cli.py), where a page or
  a command that starts a write ends its one transaction;
- a service of another feature that writes imported only at that boundary. A service
  writes when its own body holds a write as above (found the same way over the rest
  of `induction`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import induction

PACKAGE = Path(induction.__file__).parent
REPORTS = PACKAGE / "reports"
BOUNDARY = {"views.py", "cli.py"}
STATEMENTS = {"insert", "update", "delete"}
SESSION_WRITES = {"add", "add_all", "delete", "merge", "flush", "bulk_save_objects"}
SESSION_ENDS = {"commit", "rollback"}
MAIL_WRITES = {"queue_mail", "queue_mails", "QueuedEmail"}
FILE_WRITES = {"write_text", "write_bytes", "unlink", "mkdir", "rmdir", "touch"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def statement_names(tree: ast.AST) -> set[str]:
    """Return the names a module imported from SQLAlchemy for INSERT, UPDATE or DELETE."""
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy")
        for alias in node.names
        if alias.name in STATEMENTS
    }


def writes_in(node: ast.AST, statements: set[str]) -> Iterator[str]:
    """Yield a description of each write in `node` (commits and rollbacks not included)."""
    for child in ast.walk(node):
        if isinstance(child, ast.ImportFrom):
            for alias in child.names:
                if alias.name in statements | MAIL_WRITES and (
                    (child.module or "").startswith("sqlalchemy")
                    or child.module == "induction.mail"
                ):
                    yield f"line {child.lineno}: imports {alias.name} from {child.module}"
        elif isinstance(child, ast.Call):
            function = child.func
            if isinstance(function, ast.Name) and function.id in statements | MAIL_WRITES:
                yield f"line {child.lineno}: {function.id}(...)"
            elif isinstance(function, ast.Attribute):
                owner = ast.unparse(function.value)
                if function.attr in SESSION_WRITES and "session" in owner:
                    yield f"line {child.lineno}: {owner}.{function.attr}(...)"
                if function.attr in FILE_WRITES or (owner == "os" and function.attr != "getenv"):
                    yield f"line {child.lineno}: a file written ({owner}.{function.attr})"
        elif isinstance(child, ast.Attribute) and child.attr in STATEMENTS:
            owner = ast.unparse(child.value)
            if owner.split(".")[-1] in {"sqlalchemy", "sa", "postgresql", "sqlite"}:
                yield f"line {child.lineno}: {owner}.{child.attr}"
        elif isinstance(child, ast.ClassDef) and any(
            ast.unparse(base) == "db.Model" for base in child.bases
        ):
            yield f"line {child.lineno}: the table {child.name}"


def session_ends(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SESSION_ENDS
            and "session" in ast.unparse(node.func.value)
        ):
            yield f"line {node.lineno}: {ast.unparse(node.func)}()"


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def writing_services() -> set[tuple[str, str]]:
    """Return (module, function) for every function outside reports that writes: its body
    holds a write, or calls a function of its own module that does."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        if REPORTS in path.parents or "migrations" in path.parts:
            continue
        tree = parse(path)
        statements = statement_names(tree)
        functions = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        writers = {node.name for node in functions if any(writes_in(node, statements))}
        while True:
            more = {
                node.name
                for node in functions
                if node.name not in writers
                and any(
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id in writers
                    for call in ast.walk(node)
                )
            }
            if not more:
                break
            writers |= more
        found |= {(module_name(path), name) for name in writers}
    return found


def writer_imports(tree: ast.AST, writers: set[tuple[str, str]]) -> Iterator[str]:
    """Yield each writing service a module imports (by name, or used through its module)."""
    modules = {module for module, _ in writers}
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if (node.module, alias.name) in writers:
                    yield f"line {node.lineno}: {node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in modules:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules:
                    aliases[alias.asname or alias.name] = alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module = aliases.get(node.value.id)
            if module is not None and (module, node.attr) in writers:
                yield f"line {node.lineno}: {module}.{node.attr}"


REPORT_MODULES = sorted(REPORTS.glob("*.py"))


@pytest.mark.parametrize("path", REPORT_MODULES, ids=lambda path: path.name)
def test_no_report_module_writes(path: Path) -> None:
    tree = parse(path)
    assert list(writes_in(tree, statement_names(tree))) == []


@pytest.mark.parametrize(
    "path", [p for p in REPORT_MODULES if p.name not in BOUNDARY], ids=lambda path: path.name
)
def test_only_the_boundary_ends_transactions_and_starts_writes(path: Path) -> None:
    tree = parse(path)
    assert list(session_ends(tree)) == []
    assert list(writer_imports(tree, writing_services())) == []


def test_the_scan_finds_the_writes_it_forbids() -> None:
    """The contract would catch a write: it finds the known writers and each kind of write."""
    writers = writing_services()
    assert ("induction.accounts.invitations", "issue") in writers
    assert ("induction.progress.status_rewrite", "rewrite_person") in writers
    assert ("induction.progress.reminders", "queue_reminders") in writers
    assert ("induction.progress.services", "load_records") not in writers
    sample = ast.parse(
        "from sqlalchemy import insert, select\n"
        "from induction.mail import queue_mail\n"
        "from induction.progress import status_rewrite\n"
        "class Kept(db.Model): pass\n"
        "def f():\n"
        "    db.session.add(x)\n"
        "    db.session.execute(insert(T))\n"
        "    db.session.execute(postgresql.insert(T))\n"
        "    db.session.commit()\n"
        "    status_rewrite.rewrite_person(user, course)\n"
        "    folder.mkdir()\n"
    )
    assert len(list(writes_in(sample, statement_names(sample)))) == 7
    assert len(list(session_ends(sample))) == 1
    assert len(list(writer_imports(sample, writers))) == 2  # queue_mail, rewrite_person
