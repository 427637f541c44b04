"""The benchmark: 100,000 people, gunicorn in production mode, load on loopback, one table.

    python -m tests.benchmarks.run --database sqlite
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python -m tests.benchmarks.run \\
        --database postgresql

It makes a fresh database (an SQLite file in a temporary folder, or a private schema
on the PostgreSQL server of DATABASE_URL, dropped afterwards), migrates it, fills it
with `flask --app induction demo-data` (organisations, people, completions, attempts;
the first organisation has 5,000 people), runs (VACUUM) ANALYZE, starts gunicorn with the production
settings (gunicorn.conf.py, 4 workers), signs in 32 learners and that organisation's
manager, and measures, at concurrency 1, 8 and 32: the trivial endpoint (/healthz)
and a static file, a lesson page, My learning, a quiz submission, the organisation
dashboard and its CSV export. It prints a Markdown table (requests per second, p50,
p95 and p99 latency, throughput as a share of /healthz's at the same concurrency) and
the peak memory of a worker, and writes the numbers as JSON with --output.

To compare two versions of the code on the same data, keep the first run's schema and
measure it again (PostgreSQL only; saves the ten minutes of making the data):

    python -m tests.benchmarks.run --database postgresql --keep     # prints the schema
    python -m tests.benchmarks.run --database postgresql --reuse bench_1a2b3c4d5e6f

It is not part of the test suite: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
import sqlalchemy as sa

from induction.database import normalise_database_url
from tests.benchmarks.load import (
    Measurement,
    MemorySampler,
    Request,
    has_wrk,
    measure,
    measure_first_byte,
    measure_wrk,
)
from tests.processes import (
    PROJECT_ROOT,
    Database,
    Server,
    environment,
    flask_command,
    postgres_url,
)
from tests.reliability.visitor import Visitor, form_posting_to

PASSWORD = "benchmark passphrase, not for real use"  # noqa: S105 - made-up demo people
SECRET_KEY = "benchmark-secret-key-not-for-production"
LEARNERS = 32
TRIVIAL = "/healthz"
HELLO = "hello-world Flask app"
QUIZ = "POST quiz submission"
STATEMENT = "GET accessibility statement (signed out)"


@dataclass
class Setup:
    """What the measurements need: the server, signed-in browsers and where to go."""

    server: Server
    hello: Server  # the hello-world Flask app, with the same gunicorn settings
    manager: Visitor
    admin: Visitor
    learners: list[Visitor]
    visitors: list[Visitor]  # signed out: no cookies
    organisation_id: int
    organisation_size: int
    organisations: int
    lesson_paths: list[str]
    submissions: list[list[tuple[str, list[tuple[str, str]]]]]  # per learner: (path, fields)
    generation: str


def _database(kind: str, folder: Path, url: str | None, reuse: str | None = None) -> Database:
    if kind == "sqlite":
        if reuse:
            raise SystemExit("--reuse needs --database postgresql")
        return Database(url=f"sqlite:///{folder / 'bench.sqlite'}")
    url = url or postgres_url()
    if url is None:
        raise SystemExit("--database postgresql needs DATABASE_URL (or --database-url)")
    if reuse:
        return Database(url=url, schema=reuse)
    return Database.create(folder, "bench", postgres=url)


def _manager_of_biggest(config: dict[str, Any]) -> str:
    """Return the email of a manager of the biggest organisation (of a kept database)."""
    from induction.accounts.models import User
    from induction.extensions import db

    app = _app(config)
    with app.app_context():
        biggest = (
            sa.select(User.organisation_id)
            .group_by(User.organisation_id)
            .order_by(sa.func.count().desc())
            .limit(1)
            .scalar_subquery()
        )
        email = db.session.scalar(
            sa.select(User.email)
            .where(User.organisation_id == biggest, User.role == "manager")
            .order_by(User.id)
            .limit(1)
        )
        db.session.remove()
        db.engine.dispose()
    if email is None:
        raise SystemExit("--reuse: that schema holds no organisation with a manager")
    return str(email)


def _analyze(database: Database) -> None:
    """Bring the database to the state of one in use: planner statistics gathered and, on
    PostgreSQL, the visibility map set (autovacuum does both after bulk writes)."""
    engine = database.engine()
    if database.schema is None:
        with engine.begin() as connection:
            connection.execute(sa.text("ANALYZE"))
    else:  # only this schema's tables: the server may hold other people's
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in sa.inspect(connection).get_table_names():
                connection.execute(sa.text(f'VACUUM ANALYZE "{database.schema}"."{table}"'))
    engine.dispose()


def _config(database: Database, folder: Path) -> dict[str, Any]:
    return {
        "ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "BASE_URL": "http://127.0.0.1",  # the load reaches gunicorn on loopback
        "MAIL_FROM": "induction@learn.example.org",
        "INSTANCE_PATH": str(folder / "instance"),
        "COURSES_DIR": str(PROJECT_ROOT / "courses"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "LOGIN_LIMIT_PER_IP": "1000 per minute",
        **database.config(),
    }


def _app(config: dict[str, Any]):
    from induction import create_app

    return create_app(dict(config))


def _prepare_attempts(config: dict[str, Any], learner_ids: list[int], each: int) -> list[Any]:
    """Give each learner `each` open attempts at the first quiz of their course, in bulk.

    The schema allows one open attempt per person and version of a quiz (its content
    hash), so the first attempt is started by the service, on the current version, and
    each further one is a copy of it under a version of its own (a made-up hash): it is
    graded on its snapshot of the questions like any other, and a submission does the
    same work. Returns, per learner, the (submit path, answer fields) of each attempt:
    all answers right, so every submission also records the completions it reaches.
    """
    from induction.accounts.models import User
    from induction.catalogue import get_catalogue
    from induction.extensions import db
    from induction.quizzes import services
    from induction.quizzes.models import QuizAttempt
    from induction.quizzes.snapshot import asked_questions

    app = _app(config)
    plans: list[Any] = []
    with app.app_context():
        catalogue = get_catalogue()
        for user_id in learner_ids:
            user = db.session.get(User, user_id)
            course = catalogue.courses_for(user.audience)[0]
            module = next(m for m in course.modules_for(user.audience) if m.quiz is not None)
            first = services.start_attempt(user, course, module, module.quiz)
            db.session.flush()
            columns = {
                c.name: getattr(first, c.key)
                for c in QuizAttempt.__table__.columns
                if c.name not in ("id", "submit_key", "quiz_hash")
                and getattr(first, c.key) is not None  # left to the database: NULL
            }
            if each > 1:
                db.session.execute(
                    sa.insert(QuizAttempt.__table__),
                    [
                        {
                            **columns,
                            "quiz_hash": secrets.token_hex(32),
                            "submit_key": secrets.token_urlsafe(32),
                        }
                        for _ in range(each - 1)
                    ],
                )
            db.session.commit()
            attempts = db.session.execute(
                sa.select(QuizAttempt.id, QuizAttempt.submit_key)
                .where(QuizAttempt.user_id == user_id, QuizAttempt.submitted_at.is_(None))
                .order_by(QuizAttempt.id)
            ).all()
            answers: list[tuple[str, str]] = []
            for question in asked_questions(first.questions):
                name = f"q-{question.id}"
                if question.widget == "text":
                    answers.append((name, question.answers[0]))
                else:
                    answers += [(name, str(o.index)) for o in question.shown if o.is_correct]
            base = f"/courses/{course.id}/modules/{module.id}/quiz/attempts"
            plans.append(
                [
                    (f"{base}/{attempt_id}/submit", [("submit_key", key), *answers])
                    for attempt_id, key in attempts
                ]
            )
        db.session.remove()
        db.engine.dispose()
    return plans


def _people(
    config: dict[str, Any], organisation_email: str
) -> tuple[int, int, list[Any], tuple[str, str]]:
    """Return the big organisation's id and size, LEARNERS of its learners, and the email
    and second-factor secret of a learner of another organisation, made an admin."""
    from induction.accounts import totp
    from induction.accounts.models import User
    from induction.database import utcnow
    from induction.extensions import db

    app = _app(config)
    with app.app_context():
        manager = db.session.scalar(sa.select(User).where(User.email == organisation_email))
        size = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(User)
            .where(User.organisation_id == manager.organisation_id)
        )
        learners = db.session.execute(
            sa.select(User.id, User.email, User.audience)
            .where(User.organisation_id == manager.organisation_id, User.role == "learner")
            .order_by(User.id)
            .limit(LEARNERS)
        ).all()
        organisation_id = manager.organisation_id
        # An admin (from another organisation), with the second factor admins must have:
        # the one an earlier run made, on data kept for --reuse.
        admin = db.session.scalar(
            sa.select(User)
            .where(
                User.organisation_id != organisation_id,
                User.role == "admin",
                User.totp_secret.is_not(None),
            )
            .order_by(User.id)
            .limit(1)
        ) or db.session.scalar(
            sa.select(User)
            .where(User.organisation_id != organisation_id, User.role == "learner")
            .order_by(User.id)
            .limit(1)
        )
        if admin.role != "admin":
            admin.role = "admin"
            admin.totp_secret = totp.new_secret()
            admin.totp_enabled_at = utcnow()
            db.session.commit()
        admin_login = (admin.email, admin.totp_secret)
        db.session.remove()
        db.engine.dispose()
    return organisation_id, size, learners, admin_login


def _lesson_path(config: dict[str, Any], audience: str) -> str:
    from induction.catalogue import get_catalogue

    app = _app(config)
    with app.app_context():
        course = get_catalogue().courses_for(audience)[0]
        module = course.modules_for(audience)[0]
        lesson = module.lessons_for(audience)[0]
    return f"/courses/{course.id}/lessons/{lesson.id}"


def prepare(args: argparse.Namespace, folder: Path, database: Database) -> Setup:
    """Migrate, generate the data, start gunicorn, sign people in, make attempts."""
    config = _config(database, folder)
    env = environment(config)
    print(f"Database: {database.url.split('@')[-1]} schema={database.schema}", flush=True)
    if args.reuse:
        generation = f"the data kept in schema {args.reuse} by an earlier run"
        manager_email = _manager_of_biggest(config)
    else:
        generation, manager_email = _generate(args, env, database)
    people = _people(config, manager_email)
    return _start(args, folder, config, env, generation, manager_email, people)


def _generate(args: argparse.Namespace, env: dict[str, str], database: Database) -> tuple[str, str]:
    """Migrate and fill the new database; return what was made and a manager's email."""
    flask_command(env, "db", "upgrade")
    started = time.monotonic()
    output = flask_command(
        env,
        "demo-data",
        "--organisations", str(args.organisations),
        "--people", str(args.people),
        "--big-organisation", str(args.organisation_size),
        "--password", PASSWORD,
        "--seed", "1",
        timeout=3600,
    )  # fmt: skip
    generation = f"{output.splitlines()[0]} (command: {time.monotonic() - started:.0f} s)"
    print(generation, flush=True)
    _analyze(database)
    manager_email = re.search(r"sign in as: (\S+)", output).group(1)  # type: ignore[union-attr]
    return generation, manager_email


def _start(
    args: argparse.Namespace,
    folder: Path,
    config: dict[str, Any],
    env: dict[str, str],
    generation: str,
    manager_email: str,
    people: tuple[int, int, list[Any], tuple[str, str]],
) -> Setup:
    """Make the quiz attempts, start both servers and sign everybody in (`people`: what
    `_people` returns)."""
    organisation_id, size, learners, (admin_email, admin_secret) = people
    submissions: list[Any] = [[] for _ in learners]
    if _measures(args, QUIZ):  # attempts only when quiz submissions are measured
        each = args.attempts_per_learner
        submissions = _prepare_attempts(config, [row.id for row in learners], each)

    server = Server(env=env, log_path=folder / "gunicorn.log", workers=args.workers)
    server.start(timeout=120)
    hello = Server(
        env=environment({"INSTANCE_PATH": str(folder / "hello")}),
        log_path=folder / "hello.log",
        workers=args.workers,
        app="tests.benchmarks.hello:app",
        ready_path="/",
    )
    hello.start(timeout=60)
    manager = Visitor(server.url, ip="10.0.0.1", timeout=120)
    manager.sign_in(manager_email, PASSWORD)
    admin = Visitor(server.url, ip="10.0.0.2", timeout=120)
    admin.sign_in(admin_email, PASSWORD, code=pyotp.TOTP(admin_secret).now())
    visitors = []
    for number, row in enumerate(learners):
        visitor = Visitor(server.url, ip=f"10.0.1.{number + 1}", timeout=120)
        visitor.sign_in(row.email, PASSWORD)
        visitors.append(visitor)
    lesson_paths = [_lesson_path(config, row.audience) for row in learners]
    # Every learner's form token, read from a page as a browser would.
    for visitor, plan in zip(visitors, submissions, strict=True):
        if not plan:
            continue
        page = visitor.get(plan[0][0].rsplit("/attempts/", 1)[0])
        token = form_posting_to(page.body, plan[0][0].rsplit("/attempts/", 1)[0]).hidden
        for _, fields in plan:
            fields.extend(token)
    return Setup(
        server=server,
        hello=hello,
        manager=manager,
        admin=admin,
        learners=visitors,
        visitors=[Visitor(server.url, ip=f"10.0.2.{n + 1}") for n in range(len(visitors))],
        organisation_id=organisation_id,
        organisation_size=size,
        organisations=args.organisations,
        lesson_paths=lesson_paths,
        submissions=submissions,
        generation=generation,
    )


def _rotating(
    visitors: Sequence[Visitor], path_of: Callable[[int], str], base_url: str | None = None
) -> Callable[[int], Request]:
    """Return a request factory: client n uses browsers n, n+C, ... in turn."""

    def make(n: int) -> Request:
        turn = itertools.count(n)

        def request():
            i = next(turn) % len(visitors)
            return visitors[i].get(path_of(i), base_url=base_url)

        return request

    return make


def _headers(visitor: Visitor) -> dict[str, str]:
    """Return the headers a browser sends with a GET: its cookies, its address, https."""
    headers = {
        "User-Agent": "induction-benchmark",
        "X-Forwarded-For": visitor.ip,
        "X-Forwarded-Proto": "https",
    }
    if visitor.cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in visitor.cookies.items())
    return headers


def _submitting(setup: Setup) -> Callable[[int], Request]:
    queues = [iter(plan) for plan in setup.submissions]
    lock = threading.Lock()
    turn = itertools.count()

    def make(_n: int) -> Request:
        def request():
            with lock:
                i = next(turn) % len(queues)
                try:
                    path, fields = next(queues[i])
                except StopIteration:
                    raise LookupError("out of prepared attempts") from None
            return setup.learners[i].post(path, fields)

        return request

    return make


@dataclass(frozen=True)
class Endpoint:
    """One thing measured: GETs of `paths` by `visitors` in turn, or a POST factory."""

    name: str
    visitors: Sequence[Visitor] = ()
    path_of: Callable[[int], str] | None = None
    ok: tuple[int, ...] = (200,)
    base_url: str | None = None  # another server (the hello-world app)
    posting: Callable[[int], Request] | None = None

    def measure(self, args: argparse.Namespace, setup: Setup, concurrency: int) -> Measurement:
        """Measure this endpoint at `concurrency`, with wrk when it can, else Python clients."""
        base = self.base_url or setup.server.url
        if self.posting is not None:
            return measure(
                self.name, self.posting, concurrency=concurrency, seconds=args.seconds, ok=self.ok
            )
        assert self.path_of is not None
        path_of = self.path_of
        visitors = self.visitors
        if args.load == "wrk":
            requests = [(path_of(i), _headers(v)) for i, v in enumerate(visitors)]
            return measure_wrk(
                self.name,
                base,
                requests,
                concurrency=concurrency,
                seconds=args.seconds,
                expected=self.ok[0],
            )
        return measure(
            self.name,
            _rotating(visitors, path_of, base),
            concurrency=concurrency,
            seconds=args.seconds,
            ok=self.ok,
        )


def endpoints(setup: Setup) -> list[Endpoint]:
    """Return every endpoint the benchmark measures, the yardsticks first."""
    org = setup.organisation_id
    learners, manager, admin = setup.learners, [setup.manager], [setup.admin]
    return [
        Endpoint(f"GET {HELLO}", learners, lambda _i: "/", base_url=setup.hello.url),
        Endpoint(f"GET {TRIVIAL} (trivial)", learners, lambda _i: TRIVIAL),
        Endpoint("GET static file", learners, lambda _i: "/static/favicon.svg"),
        # A whole page through the layout and no database: the framework's and the
        # templates' share of a page, without the session and progress behind it.
        Endpoint(STATEMENT, setup.visitors, lambda _i: "/accessibility"),
        Endpoint("GET lesson page", learners, lambda i: setup.lesson_paths[i]),
        Endpoint("GET My learning", learners, lambda _i: "/"),
        Endpoint(QUIZ, ok=(303,), posting=_submitting(setup)),
        Endpoint(
            f"GET organisation dashboard ({setup.organisation_size:,} people)",
            manager,
            lambda _i: f"/reports/organisations/{org}",
        ),
        Endpoint(
            "GET dashboard CSV export",
            manager,
            lambda _i: f"/reports/organisations/{org}/export.csv",
        ),
        Endpoint(
            f"GET network overview ({setup.organisations} organisations)",
            admin,
            lambda _i: "/reports/network",
        ),
        Endpoint("GET network overview CSV export", admin, lambda _i: "/reports/network.csv"),
    ]


def _measures(args: argparse.Namespace, name: str) -> bool:
    """Return True when the endpoint `name` is measured: every one without --only, else
    those named by one of its words, the yardsticks (the ratios need them) and the
    signed-out page (a page's cost without the database, to compare with)."""
    if not args.only or name.endswith("(trivial)") or HELLO in name or name == STATEMENT:
        return True
    return any(word in name for word in args.only)


def run(args: argparse.Namespace, setup: Setup) -> tuple[list[Measurement], MemorySampler]:
    """Measure every endpoint at every concurrency; return the measurements and memory."""
    chosen = [e for e in endpoints(setup) if _measures(args, e.name)]
    results = []
    with MemorySampler(setup.server.worker_pids) as memory:
        for endpoint in chosen:
            for concurrency in args.concurrency:
                measured = [endpoint.measure(args, setup, concurrency)]
                if "CSV export" in endpoint.name:  # streamed: when does the file start?
                    measured += measure_first_byte(
                        endpoint.name,
                        setup.server.url,
                        [
                            (endpoint.path_of(i), _headers(v))
                            for i, v in enumerate(endpoint.visitors)
                        ],  # type: ignore[misc]
                        concurrency=concurrency,
                        seconds=args.seconds,
                    )
                for result in measured:
                    results.append(result)
                    _print(result)
    return results, memory


def _print(result: Measurement) -> None:
    print(
        f"  {result.endpoint:<48} c={result.concurrency:<3} {result.per_second:8.1f} req/s  "
        f"p50 {result.percentile(50):7.1f}  p95 {result.percentile(95):7.1f}  "
        f"p99 {result.percentile(99):7.1f} ms  errors {result.errors}"
        + (f" (statuses {result.error_statuses})" if result.errors else ""),
        flush=True,
    )


def table(results: list[Measurement]) -> str:
    """Return the results as a Markdown table, with throughput as a share of the yardsticks'."""
    hello = {r.concurrency: r.per_second for r in results if HELLO in r.endpoint}
    trivial = {r.concurrency: r.per_second for r in results if r.endpoint.endswith("(trivial)")}
    lines = [
        "| Endpoint | Concurrency | Requests/s | p50 ms | p95 ms | p99 ms | vs hello-world "
        "| vs /healthz | Errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        ratios = [
            f"{r.per_second / base[r.concurrency]:.2f}" if base.get(r.concurrency) else "-"
            for base in (hello, trivial)
        ]
        lines.append(
            f"| {r.endpoint} | {r.concurrency} | {r.per_second:.1f} | {r.percentile(50):.1f} | "
            f"{r.percentile(95):.1f} | {r.percentile(99):.1f} | {ratios[0]} | {ratios[1]} | "
            f"{r.errors} |"
        )
    return "\n".join(lines)


# The report pages by the names their readers know them by: (row, endpoint name start).
REPORT_ROWS = (
    ("Lead officers' dashboard, {size} people", "GET organisation dashboard ("),
    ("Dashboard CSV export, first byte", "GET dashboard CSV export (first byte)"),
    ("Dashboard CSV export, whole file ({size} rows)", "GET dashboard CSV export (whole file)"),
    ("Network overview, {organisations} organisations", "GET network overview ("),
    ("Network overview CSV export, first byte", "GET network overview CSV export (first byte)"),
    ("Network overview CSV export, whole file", "GET network overview CSV export (whole file)"),
)


def report_p95(results: list[Measurement], size: int, organisations: int) -> list[dict[str, Any]]:
    """Return the p95 of each report page and export measured, by name and concurrency."""
    rows = []
    for label, start in REPORT_ROWS:
        for r in results:
            if r.endpoint.startswith(start):
                name = label.format(size=f"{size:,}", organisations=organisations)
                rows.append(
                    {"report": name, "concurrency": r.concurrency, "p95_ms": r.percentile(95)}
                )
    return rows


def _versions(database: Database) -> str:
    if database.schema is None:
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    engine = sa.create_engine(normalise_database_url(database.url))
    with engine.connect() as connection:
        version = connection.execute(sa.text("SHOW server_version")).scalar()
    engine.dispose()
    return f"PostgreSQL {version}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return the process exit status."""
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.run", description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url", help="PostgreSQL server (default: DATABASE_URL)")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=100)
    parser.add_argument("--organisation-size", type=int, default=5_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0, help="per endpoint and level")
    parser.add_argument(
        "--concurrency",
        type=lambda text: tuple(int(n) for n in text.split(",")),
        default=(1, 8, 32),
    )
    # Quiz submissions each need an open attempt: enough for about 100 a second for 10
    # seconds at each of three levels, spread over the signed-in learners.
    parser.add_argument(
        "--attempts-per-learner",
        type=int,
        default=100,
        help="open quiz attempts prepared per signed-in learner (submissions stop after them)",
    )
    parser.add_argument(
        "--only",
        type=lambda text: tuple(word.strip() for word in text.split(",") if word.strip()),
        default=(),
        help="measure only the endpoints whose names contain one of these words (comma-separated)",
    )
    parser.add_argument(
        "--load",
        choices=("wrk", "python"),
        default="wrk" if has_wrk() else "python",
        help="the load generator for GET requests (default: wrk when installed)",
    )
    parser.add_argument("--output", type=Path, help="write the results as JSON here")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="PostgreSQL: keep the generated schema afterwards (its name is printed) for --reuse",
    )
    parser.add_argument(
        "--reuse",
        metavar="SCHEMA",
        help="PostgreSQL: measure the data a --keep run left in SCHEMA instead of generating it "
        "(minutes saved; compare two versions of the code on the same data)",
    )
    args = parser.parse_args(argv)

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="induction-benchmark-") as tmp:
        folder = Path(tmp)
        database = _database(args.database, folder, args.database_url, args.reuse)
        server = None
        try:
            setup = prepare(args, folder, database)
            server = setup.server
            print(f"Measuring ({args.seconds:.0f} s per endpoint and concurrency)...", flush=True)
            results, memory = run(args, setup)
        finally:
            if server is not None:
                server.stop()
                setup.hello.stop()
            if args.keep or args.reuse:
                print(f"Kept the data in schema {database.schema} (--reuse {database.schema})")
            else:
                database.drop()
    header = (
        f"{_versions(database)}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs (load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after), gunicorn {args.workers} sync workers, load from "
        f"{args.load}; "
        f"{setup.generation}"
    )
    print()
    print(header)
    print()
    print(table(results))
    reports = report_p95(results, setup.organisation_size, setup.organisations)
    if reports:
        print()
        print("| Report (p95) | Concurrency | p95 ms |")
        print("| --- | ---: | ---: |")
        for row in reports:
            print(f"| {row['report']} | {row['concurrency']} | {row['p95_ms']:.1f} |")
    print()
    print(
        f"Peak memory per worker: {memory.peak_rss_kib / 1024:.0f} MB resident (VmHWM, shared "
        f"pages included), {memory.peak_private_kib / 1024:.0f} MB private, "
        f"{memory.peak_proportional_kib / 1024:.0f} MB proportional (PSS, shared pages divided "
        f"between the processes sharing them); {len(memory.workers_seen)} workers seen."
    )
    if args.output:
        args.output.write_text(
            json.dumps(
                {
                    "setup": header,
                    "peak_rss_mb": memory.peak_rss_kib / 1024,
                    "peak_private_mb": memory.peak_private_kib / 1024,
                    "peak_proportional_mb": memory.peak_proportional_kib / 1024,
                    "report_p95": reports,
                    "results": [
                        {
                            "endpoint": r.endpoint,
                            "concurrency": r.concurrency,
                            "requests_per_second": r.per_second,
                            "p50_ms": r.percentile(50),
                            "p95_ms": r.percentile(95),
                            "p99_ms": r.percentile(99),
                            "errors": r.errors,
                        }
                        for r in results
                    ],
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
