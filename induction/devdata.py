"""Demonstration data: organisations, people and their progress, made fast and reproducibly.

`flask --app induction demo-data --organisations 40 --people 20000` fills the database
with made-up councils and staff who have read lessons, taken quizzes (with answers and
per-question results) and completed modules and courses, with a realistic spread: some
finished, some part-way, some not started, some overdue. The same `--seed` always makes
the same data. Rows are written in bulk (Core `insert()` with lists of rows, in chunks)
and every person shares one password hash, so 20,000 people take seconds, not minutes.

It is for trying the reports and for benchmarks; never run it on a live site.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import insert, select, update

from induction.accounts.models import Organisation, User, name_key
from induction.accounts.passwords import hash_password
from induction.catalogue import get_catalogue
from induction.content.model import AUDIENCES, Course, Module
from induction.content.question_types import get_type
from induction.database import table_of, utcnow
from induction.extensions import db
from induction.progress.models import CourseCompletion, LessonCompletion, ModuleCompletion
from induction.progress.status_rewrite import refresh_all
from induction.quizzes.grading import is_pass
from induction.quizzes.models import QuestionResult, QuizAttempt

CHUNK = 5000
EMAIL_DOMAIN = "demo.example"  # reserved for examples: nothing is ever delivered there

# fmt: off
FIRST_NAMES = (
    "Aisha", "Alex", "Amir", "Ana", "Ben", "Bethan", "Carys", "Chloe", "Chris", "Dafydd",
    "Deepa", "Dev", "Eleanor", "Emeka", "Erin", "Fatima", "Finn", "Gareth", "Grace", "Hannah",
    "Harpreet", "Ifan", "Imran", "Isla", "Jack", "Jasmine", "Joe", "Kai", "Kate", "Leah",
    "Liam", "Lowri", "Maya", "Megan", "Mohammed", "Naomi", "Nia", "Olu", "Owen", "Priya",
    "Rhys", "Rosa", "Ruth", "Sam", "Sara", "Siân", "Tom", "Usha", "Wei", "Yusuf", "Zara",
)
LAST_NAMES = (
    "Adams", "Ahmed", "Ali", "Bailey", "Begum", "Bennett", "Brown", "Chen", "Clarke",
    "Davies", "Edwards", "Evans", "Green", "Griffiths", "Hall", "Hughes", "Jenkins", "Jones",
    "Khan", "Kowalski", "Lewis", "Mensah", "Morgan", "Murphy", "Nguyen", "Okafor", "Owen",
    "Patel", "Phillips", "Price", "Rees", "Roberts", "Robinson", "Shah", "Singh", "Smith",
    "Taylor", "Thomas", "Walker", "Ward", "Watkins", "White", "Williams", "Wilson", "Wright",
    "Young",
)
PLACES = (
    "Aberwen", "Ashbury", "Barrowfield", "Brackley", "Carnford", "Castlemere", "Dunholm",
    "Eastwick", "Elmsford", "Fairhaven", "Glenmoor", "Greyford", "Harrowgate", "Hollins",
    "Ironbridge", "Kingsreach", "Lakeby", "Longmarsh", "Millbrook", "Netherby", "Northwold",
    "Oakhurst", "Pennington", "Queensport", "Ravenscar", "Redhill", "Saltmere", "Southby",
    "Stanwick", "Thornbury", "Upton", "Valewood", "Westerleigh", "Whitcombe", "Wyndham",
    "Yarrowby",
)
# fmt: on


@dataclass
class DemoSummary:
    """What `generate` made, and how long it took."""

    organisations: int = 0
    people: int = 0
    managers: list[str] = field(default_factory=list)  # the first manager of each organisation
    lesson_completions: int = 0
    attempts: int = 0
    question_results: int = 0
    seconds: float = 0.0


class DemoDataError(ValueError):
    """The demo data cannot be made as asked (bad numbers, or it exists already)."""


def _insert(model: Any, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows (tuples in the order of `columns`) with the driver's executemany, in chunks.

    Each value goes through its column type's own bind processing, as SQLAlchemy would do,
    but without building a statement context per row: that overhead is most of the time
    of a million-row insert.
    """
    if not rows:
        return
    connection = db.session.connection()
    dialect = connection.dialect
    table = table_of(model)
    processors = [table.c[name].type._cached_bind_processor(dialect) for name in columns]
    placeholder = "?" if dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(dialect.identifier_preparer.quote(name) for name in columns)
    # Only names from the table's own metadata go into the text; every value is bound.
    sql = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({names}) "  # noqa: S608
        f"VALUES ({', '.join([placeholder] * len(columns))})"
    )
    active = [(i, p) for i, p in enumerate(processors) if p is not None]
    for start in range(0, len(rows), CHUNK):
        params = []
        for row in rows[start : start + CHUNK]:
            values = list(row)
            for index, process in active:
                values[index] = process(values[index])
            params.append(tuple(values))
        connection.exec_driver_sql(sql, params)


def _ids(model: Any, key: Any, values: Sequence[str]) -> dict[str, int]:
    """Return the ids of the rows whose unique `key` column holds each of `values`."""
    found: dict[str, int] = {}
    for start in range(0, len(values), 1000):
        chunk = values[start : start + 1000]
        found.update(
            {k: i for k, i in db.session.execute(select(key, model.id).where(key.in_(chunk)))}
        )
    return found


def _sizes(rng: random.Random, organisations: int, people: int, big: int | None) -> list[int]:
    """Return how many people each organisation gets (the first gets `big` when given)."""
    sizes = [0] * organisations
    rest = people
    if big:
        sizes[0] = big
        rest -= big
    others = list(range(1 if big else 0, organisations))
    if not others:
        sizes[0] += rest
        return sizes
    # Uneven, like real councils: weights between 1 and 4.
    weights = [rng.uniform(1, 4) for _ in others]
    total = sum(weights)
    for index, weight in zip(others, weights, strict=True):
        sizes[index] = int(rest * weight / total)
    sizes[others[0]] += rest - sum(sizes[i] for i in others)
    return sizes


def generate(
    *,
    organisations: int,
    people: int,
    big_organisation: int | None = None,
    seed: int = 1,
    password: str | None = None,
    today: dt.date | None = None,
    courses: Sequence[Course] | None = None,
    now: dt.datetime | None = None,
) -> DemoSummary:
    """Add demo organisations, people and progress in `courses` (default: every published one).

    Adds to the session in bulk and flushes; the caller commits. The first person of each
    organisation is its manager. With `password`, everyone can sign in with it. Raises
    DemoDataError when the numbers do not fit together or data of this seed exists.
    """
    started = time.perf_counter()
    if organisations < 1 or people < organisations:
        raise DemoDataError("Give at least one organisation and one person per organisation.")
    if big_organisation is not None and not 1 <= big_organisation <= people - (organisations - 1):
        raise DemoDataError("The big organisation must leave at least one person for each other.")
    rng = random.Random(seed)
    now = now or utcnow()  # no activity is later than this
    today = today or now.date()
    courses = list(courses if courses is not None else get_catalogue().courses_for(None))
    names = [_organisation_name(seed, n) for n in range(organisations)]
    if db.session.scalar(select(Organisation.id).where(Organisation.name.in_(names)).limit(1)):
        raise DemoDataError(f"Demo data with seed {seed} exists already: choose another --seed.")

    org_ids = [
        row.id
        for row in db.session.execute(
            insert(table_of(Organisation)).returning(
                table_of(Organisation).c.id, sort_by_parameter_order=True
            ),
            [
                {
                    "name": name,
                    "name_key": name_key(name),
                    "category": "full_member",
                    "created_at": now,
                }
                for name in names
            ],
        )
    ]
    summary = DemoSummary(organisations=organisations, people=people)
    password_hash = hash_password(password) if password else None
    people_rows: list[dict[str, Any]] = []
    for org_index, size in enumerate(_sizes(rng, organisations, people, big_organisation)):
        for n in range(size):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            number = len(people_rows)
            email = f"{first}.{last}.{seed}-{number}@{EMAIL_DOMAIN}".lower()
            role = "manager" if n == 0 else "learner"
            if role == "manager":
                summary.managers.append(email)
            people_rows.append(
                {
                    "email": email,
                    "name": f"{first} {last}",
                    "password_hash": password_hash,
                    "role": role,
                    "audience": rng.choices(AUDIENCES, weights=(3, 6, 1))[0],
                    "organisation_id": org_ids[org_index],
                    "start_date": today - dt.timedelta(days=rng.randint(0, 150)),
                    "is_active": True,
                    "created_at": now,
                }
            )
    columns = tuple(people_rows[0])
    _insert(User, columns, [tuple(row.values()) for row in people_rows])
    # Plain multi-row inserts, then the ids by address (RETURNING in order is row by row on SQLite).
    ids_by_email = _ids(User, User.email, [row["email"] for row in people_rows])
    user_ids = [ids_by_email[row["email"]] for row in people_rows]
    progress = _Progress(rng, today, seed, now)
    for user_id, person in zip(user_ids, people_rows, strict=True):
        for course in courses:
            progress.add(user_id, person["audience"], person["start_date"], course)
    progress.write(summary)
    summary.seconds = time.perf_counter() - started
    return summary


def _organisation_name(seed: int, n: int) -> str:
    place = PLACES[n % len(PLACES)]
    round_ = n // len(PLACES)
    suffix = f" {round_ + 1}" if round_ else ""
    return f"{place}{suffix} Demo Council ({seed})"


@dataclass(frozen=True)
class _Step:
    """One module as a person of one audience meets it, with what answering needs."""

    module: Module
    lessons: tuple[Any, ...]
    right_answers: dict[str, Any]  # question id -> the right answer
    wrong_answers: dict[str, Any]  # question id -> a wrong answer


class _Progress:
    """Builds the records of many people as rows, then writes them in bulk."""

    def __init__(self, rng: random.Random, today: dt.date, seed: int, now: dt.datetime) -> None:
        self.rng = rng
        self.today = today
        self.now = now
        self.key_prefix = f"demo-{seed}-"
        self.lessons: list[tuple[Any, ...]] = []
        self.modules: list[tuple[Any, ...]] = []
        self.courses: list[tuple[Any, ...]] = []
        self.attempts: list[tuple[Any, ...]] = []
        self.results: list[tuple[int, str, str, str, bool]] = []  # attempt number, not id yet
        self._steps: dict[tuple[str, str], list[_Step]] = {}

    def _time(self, start: dt.date, step: int) -> dt.datetime:
        """Return a time about `step` days after `start` in working hours, never after today
        (nor, today, after the present moment: no activity at 17:56 seen at 09:00)."""
        offset = self.rng.random()
        day = min(self.today, start + dt.timedelta(days=step + int(offset * 3)))
        minutes = 8 * 60 + int(offset * 1000 * 600) % 600
        moment = dt.datetime(
            day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=dt.UTC
        )
        return min(moment, self.now) if day == self.now.date() else moment

    def _steps_for(self, course: Course, audience: str) -> list[_Step]:
        key = (course.id, audience)
        if key not in self._steps:
            steps = []
            for module in course.modules_for(audience):
                lessons = module.lessons_for(audience)
                if not lessons and module.quiz is None:
                    continue
                right: dict[str, Any] = {}
                wrong: dict[str, Any] = {}
                for question in module.quiz.questions if module.quiz else ():
                    if not get_type(question.type).takes_options:
                        right[question.id] = question.answers[0]
                        wrong[question.id] = "I am not sure"
                        continue
                    ticked = [i for i, o in enumerate(question.options) if o.is_correct]
                    others = [i for i in range(len(question.options)) if i not in ticked]
                    right[question.id] = ticked
                    wrong[question.id] = others[:1]
                steps.append(_Step(module, lessons, right, wrong))
            self._steps[key] = steps if course.applies_to(audience) else []
        return self._steps[key]

    def add(self, user_id: int, audience: str, start: dt.date, course: Course) -> None:
        """Make one person's records in one course, with a realistic spread of progress."""
        steps = self._steps_for(course, audience)
        if not steps:
            return
        roll = self.rng.random()
        if roll < (0.6 if (self.today - start).days < 7 else 0.2):
            return  # not started
        finished = roll > 0.55
        reach = len(steps) if finished else int(self.rng.random() * len(steps))
        day = 0
        for index, step in enumerate(steps[: reach + 1]):
            complete = index < reach or finished
            lessons = step.lessons
            read = lessons if complete else lessons[: int(self.rng.random() * (len(lessons) + 1))]
            for lesson in read:
                day += 1
                version = lesson.version
                if version > 1 and self.rng.random() < 0.1:
                    version -= 1  # read before the lesson was last updated
                    complete = False
                self.lessons.append(
                    (
                        user_id,
                        course.id,
                        lesson.id,
                        version,
                        lesson.acknowledge,
                        self._time(start, day),
                    )
                )
            quiz = step.module.quiz
            if quiz is not None:
                if complete or self.rng.random() < 0.3:
                    day += 1
                    complete = self._attempts(user_id, course, step, start, day, complete)
                else:
                    complete = False
            if complete:
                self.modules.append((user_id, course.id, step.module.id, self._time(start, day)))
            else:
                finished = False
        if finished:
            self.courses.append((user_id, course.id, self._time(start, day)))

    def _attempts(
        self, user_id: int, course: Course, step: _Step, start: dt.date, day: int, pass_: bool
    ) -> bool:
        """Add one to three attempts at the step's quiz; return True when the last one passed."""
        quiz = step.module.quiz
        assert quiz is not None
        ids = [question.id for question in quiz.questions]
        total = len(ids)
        least = -(-quiz.pass_mark * total // 100)  # the fewest right answers that pass
        tries = (1, 1, 1, 2, 3)[int(self.rng.random() * 5)]
        for number in range(tries):
            if pass_ and number == tries - 1:
                right = least + int(self.rng.random() * (total - least + 1))
            else:
                right = int(self.rng.random() * (total + 1))
            correct = set(self.rng.sample(range(total), right))
            answers = {
                qid: (step.right_answers if i in correct else step.wrong_answers)[qid]
                for i, qid in enumerate(ids)
            }
            is_passed = is_pass(right, total, quiz.pass_mark)
            when = self._time(start, day + number)
            attempt = len(self.attempts)
            self.attempts.append(
                (
                    user_id,
                    course.id,
                    step.module.id,
                    quiz.id,
                    quiz.content_hash,
                    f"{self.key_prefix}{attempt}",
                    when - dt.timedelta(minutes=5),
                    quiz.pass_mark,
                    [],  # the snapshot is written once per quiz afterwards
                    when,
                    answers,
                    right,
                    total,
                    is_passed,
                )
            )
            self.results.extend(
                (attempt, course.id, quiz.id, qid, i in correct) for i, qid in enumerate(ids)
            )
            if is_passed:
                return True
        return False

    def write(self, summary: DemoSummary) -> None:
        """Insert everything made so far and fill in the summary's counts."""
        _insert(
            LessonCompletion,
            (
                "user_id",
                "course_id",
                "lesson_id",
                "lesson_version",
                "acknowledged_statement",
                "completed_at",
            ),
            self.lessons,
        )
        _insert(
            ModuleCompletion, ("user_id", "course_id", "module_id", "completed_at"), self.modules
        )
        _insert(CourseCompletion, ("user_id", "course_id", "completed_at"), self.courses)
        _insert(QuizAttempt, ATTEMPT_COLUMNS, self.attempts)
        keys = [row[5] for row in self.attempts]
        ids = _ids(QuizAttempt, QuizAttempt.submit_key, keys)
        attempt_ids = [ids[key] for key in keys]
        _insert(
            QuestionResult,
            ("attempt_id", "course_id", "quiz_id", "question_id", "is_correct"),
            [(attempt_ids[n], c, q, qid, ok) for n, c, q, qid, ok in self.results],
        )
        # Every demo attempt at a quiz was asked the same questions: write that snapshot
        # once per quiz instead of serialising it again for every row, to this batch's
        # attempts by their ids (the primary key: the table's statistics are those of
        # before the batch, and any other way in may read every attempt made so far).
        table = table_of(QuizAttempt)
        by_module: dict[tuple[str, str], list[int]] = {}
        for row, attempt_id in zip(self.attempts, attempt_ids, strict=True):
            by_module.setdefault((row[1], row[2]), []).append(attempt_id)
        modules = {
            (step.module.course_id, step.module.id): step.module
            for steps in self._steps.values()
            for step in steps
            if step.module.quiz is not None
        }
        for key, module_attempts in by_module.items():
            snapshot = _snapshot(modules[key])
            for start in range(0, len(module_attempts), 5_000):  # bound parameters per statement
                chosen = module_attempts[start : start + 5_000]
                db.session.execute(
                    update(table).where(table.c.id.in_(chosen)).values(questions=snapshot)
                )
        db.session.flush()
        summary.lesson_completions = len(self.lessons)
        summary.attempts = len(self.attempts)
        summary.question_results = len(self.results)


ATTEMPT_COLUMNS = (
    "user_id",
    "course_id",
    "module_id",
    "quiz_id",
    "quiz_hash",
    "submit_key",
    "started_at",
    "pass_mark",
    "questions",
    "submitted_at",
    "answers",
    "right",
    "total",
    "is_passed",
)


def _snapshot(module: Module) -> list[dict[str, Any]]:
    """Return the module's questions as asked, in file order (short: no feedback or links)."""
    quiz = module.quiz
    assert quiz is not None
    return [
        {
            "id": question.id,
            "type": question.type,
            "prompt_html": question.prompt_html,
            "stem_html": "",
            "options": [
                {
                    "index": index,
                    "html": option.html,
                    "is_correct": option.is_correct,
                    "feedback_html": None,
                }
                for index, option in enumerate(question.options)
            ],
            "answers": list(question.answers),
            "explanation_html": None,
            "review_links": [],
        }
        for question in quiz.questions
    ]


@click.command("demo-data")
@click.option("--organisations", default=40, show_default=True, help="How many organisations.")
@click.option("--people", default=20000, show_default=True, help="How many people in all.")
@click.option(
    "--big-organisation", type=int, default=None, help="Put this many people in the first one."
)
@click.option("--seed", default=1, show_default=True, help="The same seed makes the same data.")
@click.option("--password", default=None, help="Let every demo person sign in with this password.")
@with_appcontext
def demo_data_command(
    organisations: int, people: int, big_organisation: int | None, seed: int, password: str | None
) -> None:
    """Fill the database with demo organisations, people and progress (never on a live site)."""
    try:
        summary = generate(
            organisations=organisations,
            people=people,
            big_organisation=big_organisation,
            seed=seed,
            password=password,
        )
    except DemoDataError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    stored = sum(refresh_all().values())
    click.echo(
        f"Made {summary.organisations} organisations, {summary.people} people, "
        f"{summary.lesson_completions} lesson completions, {summary.attempts} quiz attempts "
        f"and {summary.question_results} question results in {summary.seconds:.1f} s; "
        f"stored {stored} course statuses for the reports."
    )
    click.echo(f"A manager to sign in as: {summary.managers[0]}")
