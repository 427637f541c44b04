"""The locked versions in `requirements/` stay in step with `pyproject.toml`.

Every dependency that `pyproject.toml` names is locked (with a hash) at a version inside its
range, the application's file never differs from the test file on a version, and the test
tools stay out of the application's file. See "Locked versions" in docs/deployment.md for how
to compile the files again.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PROJECT = Path(__file__).resolve().parents[1]
APP_LOCK = PROJECT / "requirements" / "app.txt"
TEST_LOCK = PROJECT / "requirements" / "test.txt"


@dataclass(frozen=True)
class Pin:
    """One locked line: a name, its exact version, the platforms it is for and its hashes."""

    requirement: Requirement
    hashes: tuple[str, ...]

    @property
    def name(self) -> str:
        return canonicalize_name(self.requirement.name)

    @property
    def version(self) -> str:
        [specifier] = self.requirement.specifier
        assert specifier.operator == "==", f"{self.requirement} is not pinned with =="
        return specifier.version


def read_lock(path: Path) -> dict[str, list[Pin]]:
    """Return the pins of a compiled requirements file by name (a name may have one per
    Python version)."""
    pins: dict[str, list[Pin]] = {}
    logical = path.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in logical.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement, *options = line.split(" --hash=")
        pin = Pin(Requirement(requirement), tuple(option.strip() for option in options))
        pins.setdefault(pin.name, []).append(pin)
    return pins


def declared(extra: str | None = None) -> list[Requirement]:
    """Return the dependencies `pyproject.toml` declares (those of `extra` if given)."""
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(name) for name in names]


def extras_needs(requirement: Requirement) -> set[str]:
    """Return the names a requirement's extras add (psycopg[binary] -> psycopg-binary),
    read from the installed package's metadata."""
    needs = set()
    for line in metadata.requires(requirement.name) or []:
        needed = Requirement(line)
        for extra in requirement.extras:
            if needed.marker is not None and needed.marker.evaluate({"extra": extra}):
                needs.add(canonicalize_name(needed.name))
    return needs


LOCKS = {
    "app": (APP_LOCK, declared()),
    "test": (TEST_LOCK, declared() + declared("test")),
}


@pytest.mark.parametrize("lock", LOCKS)
def test_every_declared_dependency_is_locked_inside_its_range(lock):
    path, requirements = LOCKS[lock]
    pins = read_lock(path)
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is in pyproject.toml but not in {path.name}: compile again"
        for pin in pins[name]:
            assert requirement.specifier.contains(pin.version, prereleases=True), (
                f"{path.name} locks {name}=={pin.version}, outside pyproject.toml's "
                f"{requirement.specifier}: compile again"
            )
        for needed in extras_needs(requirement):
            assert needed in pins, f"{requirement} needs {needed}, missing from {path.name}"


@pytest.mark.parametrize("lock", LOCKS)
def test_every_locked_line_has_a_hash(lock):
    path, _ = LOCKS[lock]
    pins = [pin for found in read_lock(path).values() for pin in found]
    assert len(pins) >= len(LOCKS[lock][1])
    for pin in pins:
        assert pin.hashes, f"{pin.requirement} in {path.name} has no --hash"
        assert all(h.startswith("sha256:") and len(h) == 71 for h in pin.hashes), pin.hashes


def test_the_application_lock_agrees_with_the_test_lock_and_leaves_out_the_test_tools():
    app, test = read_lock(APP_LOCK), read_lock(TEST_LOCK)
    for name, pins in app.items():
        assert name in test, f"{name} is locked for the application but not for the tests"
        assert {p.version for p in pins} <= {p.version for p in test[name]}, name
    runtime = {canonicalize_name(r.name) for r in declared()}
    for tool in declared("test"):
        name = canonicalize_name(tool.name)
        assert name in runtime or name not in app, f"{name} is a test tool in {APP_LOCK.name}"


def test_the_installed_versions_are_the_locked_ones():
    """The environment running this suite was installed from the test lock (as CI does)."""
    for name, pins in read_lock(TEST_LOCK).items():
        applicable = [
            p for p in pins if p.requirement.marker is None or p.requirement.marker.evaluate()
        ]
        if not applicable:
            continue
        [pin] = applicable
        assert metadata.version(name) == pin.version, (
            f"{name} {metadata.version(name)} is installed, {pin.version} is locked: "
            "pip install -r requirements/test.txt"
        )
