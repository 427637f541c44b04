"""Data for the browser tests, made through the app's own services on the server's database.

A separate app instance on the same database creates organisations, people (each
test that changes state has its own), progress, quiz attempts in every state the
page walk needs, a certificate, invitations and email in the outbox. `Seed.values`
holds what the page list's URLs refer to ("{certificate}", "{attempt_failed}", ...).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app

from induction.accounts import audit, joining, organisations, people, totp
from induction.accounts.models import Intake, Organisation, User
from induction.accounts.unsubscribe import unsubscribe_url
from induction.admin import course_files as files
from induction.admin.drafts import store
from induction.admin.drafts.models import Publication, PublishedFile
from induction.catalogue import get_catalogue
from induction.content.model import Course, Module, Question
from induction.database import utcnow
from induction.extensions import db
from induction.mail import QueuedEmail, deliver_pending
from induction.progress import certificates
from induction.progress import services as progress
from induction.quizzes import services as quizzes
from induction.quizzes.grading import Answer
from induction.quizzes.models import QuizAttempt

PASSWORD = "Seven green bicycles wander slowly uphill"  # noqa: S105 - a test account's password

GETTING_STARTED = "getting-started"
CCIN = "ccin-induction"
# The lesson and quiz the learner journey finishes (everything else of the course is done).
JOURNEY_LESSON = "reading-a-lesson"
JOURNEY_MODULE = "finding-your-way"


@dataclass(frozen=True)
class Person:
    """Someone the tests sign in as."""

    key: str
    id: int
    email: str
    name: str
    role: str
    password: str = PASSWORD
    totp_secret: str | None = None


@dataclass
class Seed:
    """Everything the tests need to know about the data they run on."""

    people: dict[str, Person] = field(default_factory=dict)
    values: dict[str, str | int] = field(default_factory=dict)

    def person(self, key: str) -> Person:
        """Return the person with this key; KeyError for an unknown one."""
        return self.people[key]


def right_answer(question: Question) -> Answer:
    """Return an answer that is right: the ticked options, or the first accepted text."""
    if question.type == "text":
        return question.answers[0]
    return tuple(i for i, option in enumerate(question.options) if option.is_correct)


def wrong_answer(question: Question) -> Answer:
    """Return an answer that is wrong: the first unticked option, or a made-up text."""
    if question.type == "text":
        return "not the answer"
    return (next(i for i, option in enumerate(question.options) if not option.is_correct),)


def seed(app: Flask, base_url: str) -> Seed:
    """Create the test data through the app's services and return what the tests need."""
    with app.test_request_context(base_url=base_url):
        data = _Seeder()
        data.run()
        db.session.commit()
        deliver_pending(limit=None)
        data.read_links()
        db.session.remove()
        return data.seed


class _Seeder:
    def __init__(self) -> None:
        self.seed = Seed()
        self.catalogue = get_catalogue()

    def course(self, course_id: str) -> Course:
        """Return a loaded course; AssertionError when it did not load."""
        course = self.catalogue.course(course_id)
        assert course is not None, f"the course {course_id!r} did not load"
        return course

    def module(self, course_id: str, module_id: str) -> Module:
        """Return a module of a loaded course; AssertionError when there is none."""
        module = self.course(course_id).module(module_id)
        assert module is not None, f"no module {module_id!r} in {course_id!r}"
        return module

    # People and organisations

    def organisation(self, name: str, category: str = "full_member") -> Organisation:
        """Create an organisation and return it."""
        org = organisations.create_organisation(name, category, None, actor=None)
        db.session.flush()
        return org

    def organisation_named(self, name: str) -> Organisation:
        """Return the organisation called `name` (made earlier in the run)."""
        return db.session.scalars(db.select(Organisation).where(Organisation.name == name)).one()

    def lapsed_invitation(
        self, admin: User, email: str, name: str, organisation: Organisation
    ) -> None:
        """Invite a councillor into `organisation` three weeks ago, with a link that has
        expired since (they have not joined)."""
        invitation = joining.send_invitation(
            admin,
            email=email,
            name=name,
            role="learner",
            audience="councillor",
            organisation=organisation,
        )
        assert invitation is not None
        invitation.created_at = utcnow() - dt.timedelta(days=21)
        invitation.expires_at = utcnow() - dt.timedelta(days=7)

    def person(
        self,
        key: str,
        name: str,
        *,
        role: str = "learner",
        audience: str = "officer",
        organisation: Organisation | None = None,
        with_totp: bool = False,
    ) -> User:
        """Create a person (an admin with a second factor when asked), note them, return them."""
        user = people.create_user(
            email=f"{key}@example.org",
            name=name,
            password=PASSWORD,
            role=role,
            audience=audience,
            organisation=organisation,
        )
        if with_totp:
            user.totp_secret = totp.new_secret()
            user.totp_enabled_at = utcnow()
            totp.new_recovery_codes(user)
        db.session.flush()
        self.seed.people[key] = Person(
            key=key,
            id=user.id,
            email=user.email,
            name=user.name,
            role=user.role,
            totp_secret=user.totp_secret,
        )
        return user

    # Progress

    def complete_lessons(self, user: User, course_id: str, skip: Iterable[str] = ()) -> None:
        """Complete every lesson of a course the person sees, except those in `skip`."""
        course = self.course(course_id)
        for module in course.modules:
            for lesson in module.lessons_for(user.audience):
                if lesson.id not in skip:
                    progress.complete_lesson(user, course, lesson, acknowledged=True)

    def attempt(
        self, user: User, course_id: str, module_id: str, *, passed: bool | None
    ) -> QuizAttempt:
        """Start an attempt; submit it right (passed=True) or wrong (False), or leave it open."""
        course = self.course(course_id)
        module = self.module(course_id, module_id)
        assert module.quiz is not None
        attempt = quizzes.start_attempt(user, course, module, module.quiz)
        if passed is not None:
            answer = right_answer if passed else wrong_answer
            answers = {q.id: answer(q) for q in module.quiz.questions}
            submission = progress.submit_quiz(
                user, course, attempt, attempt.submit_key, answers, module.quiz.max_attempts
            )
            assert submission.is_new
        db.session.flush()
        return attempt

    def retry(self, user: User, course_id: str, module_id: str) -> QuizAttempt:
        """Submit an attempt with every other question wrong (the first one right), then
        start the next attempt and return it, open: the one that marks what was wrong."""
        course = self.course(course_id)
        module = self.module(course_id, module_id)
        assert module.quiz is not None
        first = quizzes.start_attempt(user, course, module, module.quiz)
        answers = {
            q.id: (wrong_answer if number % 2 else right_answer)(q)
            for number, q in enumerate(module.quiz.questions)
        }
        progress.submit_quiz(user, course, first, first.submit_key, answers, 0)
        return self.attempt(user, course_id, module_id, passed=None)

    def keep(self, attempt: QuizAttempt, reason: str, count: int | None = None) -> None:
        """Keep answers (all wrong, or only the first `count`) with an open attempt."""
        module = self.module(attempt.course_id, attempt.module_id)
        assert module.quiz is not None
        questions = module.quiz.questions[:count]
        answers = {q.id: wrong_answer(q) for q in questions}
        assert quizzes.keep_draft(attempt.id, attempt.submit_key, answers, reason)

    # The data

    def run(self) -> None:
        """Create all the data (the caller commits)."""
        values = self.seed.values
        home = self.organisation("Browser Borough Council")
        other = self.organisation("Elsewhere Town Council", "associate")
        self.organisation("Friends of Co-operation", "affiliate")
        retired = self.organisation("Retired District Council")
        organisations.retire_organisation(retired, actor=None)
        values["retired_org_id"] = retired.id
        values["org_id"] = home.id
        values["join_code"] = organisations.set_join_code(home, "", actor=None) or ""

        admin = self.person("walk-admin", "Ada Admin", role="admin", with_totp=True)
        self.person("editor-admin", "Eddie Editor", role="admin", with_totp=True)
        self.person("walk-author", "Alex Author", role="admin", with_totp=True)
        self.person("walk-manager", "Manon Manager", role="manager", organisation=home)
        learner = self.person("walk-learner", "Lee Learner", organisation=home)
        self.person("walk-newcomer", "Nia Newcomer", audience="councillor", organisation=home)
        colleague = self.person("colleague", "Cal Colleague", organisation=home)
        self.person("outsider", "Oli Outsider", audience="affiliate", organisation=other)
        self.person("retiree", "Rhea Retired", organisation=retired)
        values["person_id"] = colleague.id
        # Two intakes: the colleague in the older one, the newer one empty (to move them to).
        older = Intake(
            organisation_id=home.id, name="May 2022 election", starts_on=dt.date(2022, 5, 6)
        )
        newer = Intake(
            organisation_id=home.id, name="May 2026 election", starts_on=dt.date(2026, 5, 8)
        )
        db.session.add_all([older, newer])
        db.session.flush()
        colleague.intake_id = older.id
        values["intake_id"] = older.id
        values["learner_id"] = learner.id
        values["erase_id"] = self.person("erase-me", "Eri Erase", organisation=home).id
        # The colleague's own address for stopping reminder emails (as in a reminder).
        values["unsubscribe"] = unsubscribe_url(colleague.id).partition("/unsubscribe/")[2]

        # The walk's learner: one course finished (failed once, then passed), one under way.
        self.complete_lessons(learner, GETTING_STARTED)
        values["attempt_failed"] = self.attempt(
            learner, GETTING_STARTED, JOURNEY_MODULE, passed=False
        ).id
        values["attempt_passed"] = self.attempt(
            learner, GETTING_STARTED, JOURNEY_MODULE, passed=True
        ).id
        self.attempt(learner, GETTING_STARTED, "quizzes-and-certificates", passed=True)
        ccin = self.course(CCIN)
        first = ccin.modules[0]
        for lesson in first.lessons_for(learner.audience)[:2]:
            progress.complete_lesson(learner, ccin, lesson, acknowledged=True)
        checked = self.attempt(learner, CCIN, ccin.modules[0].id, passed=None)
        self.keep(checked, quizzes.DRAFT_CHECKED, count=2)
        values["attempt_checked"] = checked.id
        values["attempt_open"] = self.attempt(learner, CCIN, ccin.modules[1].id, passed=None).id
        expired = self.attempt(learner, CCIN, ccin.modules[2].id, passed=None)
        self.keep(expired, quizzes.DRAFT_EXPIRED)
        values["attempt_expired"] = expired.id
        values["attempt_retried"] = self.retry(learner, CCIN, ccin.modules[3].id).id
        for key, module in zip(
            ("module_1", "module_2", "module_3", "module_4"), ccin.modules, strict=False
        ):
            values[key] = module.id
        values["ccin_lesson"] = first.lessons_for(learner.audience)[0].id
        values["ccin_lesson_todo"] = first.lessons_for(learner.audience)[2].id
        db.session.flush()
        certificate = certificates.certificate_for(learner.id, GETTING_STARTED)
        assert certificate is not None, "finishing the course issued no certificate"
        values["certificate"] = certificate.code

        # The journeys' people (with and without JavaScript): each learner has done all but
        # one lesson and one quiz of a course.
        for js in ("js", "nojs"):
            journey = self.person(f"journey-learner-{js}", f"Jo Journey {js}", organisation=home)
            self.complete_lessons(journey, GETTING_STARTED, skip={JOURNEY_LESSON})
            self.attempt(journey, GETTING_STARTED, "quizzes-and-certificates", passed=True)
            self.person(f"journey-admin-{js}", f"Jay Admin {js}", role="admin", with_totp=True)
            self.person(
                f"journey-manager-{js}", f"Mo Manager {js}", role="manager", organisation=home
            )

        # An organisation whose people are overdue, for the reminder journeys (one each).
        for js in ("js", "nojs"):
            late = self.organisation(f"Latecomers {js} Council")
            self.person(f"chaser-{js}", f"Chas Chaser {js}", role="manager", organisation=late)
            for number in (1, 2):
                overdue = self.person(
                    f"late-{js}-{number}", f"Lou Late {number}", organisation=late
                )
                overdue.start_date = overdue.start_date - dt.timedelta(days=60)
        joining.send_invitation(
            admin,
            email="not-yet@example.org",
            name="Nat Notyet",
            role="learner",
            audience="councillor",
            organisation=home,
        )

        # People whose state the other tests change: each test has its own.
        for key in ("forms-learner", "idle-learner"):
            self.person(key, key.replace("-", " ").title(), organisation=home)
        for js in ("js", "nojs"):
            for how in ("ended", "cookies", "csrf", "submit"):
                self.person(f"timeout-{js}-{how}", f"Tim {js} {how}", organisation=home)

        # Links that arrive by email: an invitation, a password reset, a registration.
        joining.send_invitation(
            admin,
            email="invitee@example.org",
            name="Ivy Invitee",
            role="learner",
            audience="officer",
            organisation=home,
        )
        joining.send_invitation(
            admin,
            email="withdrawn@example.org",
            name="",
            role="manager",
            audience="officer",
            organisation=other,
        )
        # Invited after an election, with links that ran out since (after the links above:
        # the page walk opens the first emailed invitation link, which must still work).
        # In each reminder journey's organisation two, sent new ones in one go; one in the
        # walk's own organisation, for the dashboard's expired-links states.
        for js in ("js", "nojs"):
            late = self.organisation_named(f"Latecomers {js} Council")
            for number in (1, 2):
                self.lapsed_invitation(
                    admin, f"lapsed-{js}-{number}@example.org", f"Lee Lapsed {number}", late
                )
        self.lapsed_invitation(admin, "lapsed@example.org", "Lia Lapsed", home)
        people.request_password_reset(self.seed.person("colleague").email)
        values["new_lesson_version"] = self.new_lesson_published()
        joining.request_registration(str(values["join_code"]), "newperson@example.org")

        self.draft_and_history(admin)

        # An audit entry with long details: a lesson changed, its diff with a very long line.
        lesson = first.lessons_for(learner.audience)[0]
        relative = lesson.path.removeprefix(ccin.path + "/")
        audit.record(
            "course_file.saved",
            actor=admin,
            target=("course", CCIN),
            details={
                "folder": ccin.path,
                "paths": [relative],
                "diff": f"--- a/{relative}\n+++ b/{relative}\n@@ -1,3 +1,3 @@\n"
                "-An old sentence.\n+" + "A new sentence that goes on and on " * 12 + "\n",
            },
        )

    def draft_and_history(self, admin: User) -> None:
        """Give the CCIN course a draft (a lesson's words and a quiz's tick changed) and a
        publish in its history, so the walk's draft and history pages show changes."""
        ccin = self.course(CCIN)
        root = Path(current_app.config["COURSES_DIR"])
        lesson = ccin.modules[0].lessons[0].path.removeprefix(ccin.path + "/")
        quiz = f"{lesson.split('/', 1)[0]}/quiz.md"
        # The tick moves to another option, so the draft stays a course that loads (the
        # quiz builder lists its lessons' sections from it).
        edits = {
            lesson: [(b"made up to show the", b"invented to show the")],
            quiz: [
                (b"- [x] The council works", b"- [ ] The council works"),
                (b"- [ ] The council asks residents", b"- [x] The council asks residents"),
            ],
        }
        for relative, changes in edits.items():
            live = (root / ccin.path / relative).read_bytes()
            text = live
            for old, new in changes:
                assert old in text, f"{relative} no longer holds {old!r}"
                text = text.replace(old, new)
            store.save_file(ccin.path, relative, text, found=None, live=live, author=admin)
        # What the lesson was before a publish: a long line with other words.
        live = (root / ccin.path / lesson).read_bytes()
        earlier = live.replace(b"It asks people what they think", b"It asks the residents")
        assert earlier != live
        publication = Publication(
            folder=ccin.path,
            note="Plainer words in the examples",
            actor_id=admin.id,
            actor_name=admin.name,
            files=[PublishedFile(path=lesson, before=earlier, after=live)],
        )
        db.session.add(publication)
        db.session.flush()
        self.seed.values["ccin_folder"] = ccin.path
        self.seed.values["history_file"] = publication.files[0].id

    def new_lesson_published(self) -> int:
        """Record in the history that a lesson of Getting started was published new; return
        the id of its version (its restore from before would remove it: asked first)."""
        path = "02-quizzes-and-certificates/03-following-your-team.md"
        folder = files.open_course(files.courses_root(), "02-getting-started")
        after = (folder.path / path).read_bytes()
        publication = Publication(
            folder=folder.name,
            actor_name="Walk Admin",
            note="Added a lesson on following your team",
            files=[PublishedFile(path=path, before=None, after=after)],
        )
        db.session.add(publication)
        db.session.flush()
        return publication.files[0].id

    def read_links(self) -> None:
        """Put the tokens of the emailed links, and one outbox file's name, into the values."""
        values = self.seed.values
        patterns = {
            "invitation_token": r"/invitations/([\w.-]+)",
            "reset_token": r"/reset/([\w.-]+)",
            "register_token": r"/register/([\w.-]+)",
        }
        messages = list(db.session.scalars(db.select(QueuedEmail).order_by(QueuedEmail.id)))
        for key, pattern in patterns.items():
            for message in messages:
                match = re.search(pattern, message.text_body)
                if match and key not in values:
                    values[key] = match.group(1)
            assert key in values, f"no email held a link for {key}"
        files = [m.outbox_file for m in messages if m.outbox_file]
        assert files, "no email reached the outbox folder"
        values["outbox_file"] = files[0]
