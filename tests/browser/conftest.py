"""The browser suite's harness: Chromium, the app in a real server process, seeded data.

One server and one browser serve the whole session. Chromium is Debian's
(/usr/bin/chromium, or INDUCTION_CHROMIUM): Playwright's own download is never used.
When it is missing the tests are skipped, except with INDUCTION_REQUIRE_BROWSER=1
(as on CI), where that is a failure. A failed test's report shows what the server
logged meanwhile; the whole log is kept with the other artefacts.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from induction import create_app
from induction.extensions import db
from tests.browser.harness import CHROMIUM_ARGS, Site, artifacts_dir, chromium_path
from tests.browser.seed import seed
from tests.browser.server import (
    Database,
    Server,
    app_config,
    copy_courses,
    environment,
    free_port,
    migrate,
)
from tests.browser.walk import RolePages

_LOG_MARK = pytest.StashKey[tuple[Path, int]]()

# A busy machine (CI runs the suite twice) can be slow: wait longer than the default 5 s.
expect.set_options(timeout=15_000)


def _browser_missing(path: Path) -> None:
    message = (
        f"Chromium was not found at {path}. Install it (Debian: apt-get install chromium) "
        "or point INDUCTION_CHROMIUM at a Chromium binary."
    )
    if os.environ.get("INDUCTION_REQUIRE_BROWSER") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium, launched once for the session."""
    path = chromium_path()
    if not (path.is_file() and os.access(path, os.X_OK)):
        _browser_missing(path)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(path), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@contextlib.contextmanager
def running_site(
    browser: Browser, tmp: Path, name: str, extra_courses: Iterable[Path] = ()
) -> Iterator[Site]:
    """Serve the app by gunicorn on a fresh, migrated and seeded database; stop it after.

    It serves a private copy of the project's courses (plus copies of `extra_courses`,
    course folders), so nothing a test does (or another change made meanwhile) touches
    the real course files.
    """
    courses = copy_courses(tmp)
    for folder in extra_courses:
        shutil.copytree(folder, courses / folder.name)
    database = Database.create(tmp, name)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    config = app_config(database, tmp / "instance", courses, url)
    env = environment(config)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    log_path = artifacts_dir() / (
        f"server-{worker}.log" if name == "browser" else f"server-{name}-{worker}.log"
    )
    log_path.unlink(missing_ok=True)
    server = Server(env=env, log_path=log_path, port=port)
    seeding_app = None
    try:
        migrate(env)
        # A separate app instance on the same database seeds the data through the services.
        seeding_app = create_app(config)
        data = seed(seeding_app, url)
        server.start()
        yield Site(url=url, seed=data, app=seeding_app, server=server, browser=browser)
    finally:
        server.stop()
        if seeding_app is not None:
            with seeding_app.app_context():
                db.session.remove()
                db.engine.dispose()
        database.drop()


@pytest.fixture(scope="session")
def site(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The app served by gunicorn on a fresh, migrated and seeded database (see running_site)."""
    with running_site(browser, tmp_path_factory.mktemp("browser-site"), "browser") as served:
        yield served


@pytest.fixture(scope="session")
def role_pages(site: Site) -> Iterator[RolePages]:
    """Browser pages signed in as each role of the page walk, reused across tests."""
    pages = RolePages(site)
    yield pages
    pages.close()


@pytest.fixture(autouse=True)
def _mark_server_log(request: pytest.FixtureRequest) -> None:
    """Note where the server's log stood when a test that uses the site began."""
    if "site" in request.fixturenames:
        server = request.getfixturevalue("site").server
        request.node.stash[_LOG_MARK] = (server.log_path, server.log_size())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Add what the server logged during a failed test to its report."""
    outcome = yield
    report = outcome.get_result()
    mark = item.stash.get(_LOG_MARK, None)
    if report.failed and mark is not None:
        log_path, offset = mark
        with log_path.open("rb") as log:
            log.seek(offset)
            text = log.read().decode(errors="replace")
        lines = [line for line in text.splitlines() if '"GET /static/' not in line]
        report.sections.append(("server log during this test", "\n".join(lines[-150:])))
