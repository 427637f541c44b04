"""Learners told what changed: publishing a raised lesson version asks for a note for its
earlier readers and a re-read period; they see the note and the dates, their course shows
"Update to read" until they read it again, and their certificate stays valid."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from induction.admin.drafts.models import Publication
from induction.content.model import Heading, Lesson
from induction.extensions import db
from induction.inputs import add_days
from induction.progress.models import Certificate, CourseCompletion, LessonUpdate
from induction.progress.services import today
from induction.web.templating import uk_date
from tests.authoring.conftest import RULES, edit_url, hidden, open_editor, text_of
from tests.progress.test_learning import complete, pass_quiz

BASE = "/admin/courses/01-basics"
NOTE = "The section on why now gives the reasons in full"


def finish_the_course(app, make_user, login_as):
    """A councillor who read every lesson (the rules at version 2) and passed the quiz."""
    learner = make_user(audience="councillor")
    client = login_as(learner)
    complete(client, "welcome")
    complete(client, "rules", acknowledge=True)
    pass_quiz(app, learner.id)
    complete(client, "next")
    assert "Complete" in text_of(client.get("/"))
    return learner, client


def draft_version_three(admin):
    """Save a draft of the rules at version 3 with the section "Why" rewritten."""
    text, base = open_editor(admin, RULES)
    changed = text.replace("version: 2", "version: 3").replace(
        "Because it works.", "Because it works, and because people trust it."
    )
    data = {"text": changed, "base_hash": base, "save": "Save"}
    response = admin.post(edit_url(RULES), data=data)
    if response.status_code == 200:  # people read it: the editor asks to confirm the raise
        data["confirm_token"] = hidden(text_of(response), "confirm_token")
        response = admin.post(edit_url(RULES), data=data)
    assert response.status_code == 302


def publish(admin, **fields):
    data = {"note": "Rules: why, in full", "publish_all": "1", **fields}
    return admin.post(f"{BASE}/draft/publish", data=data)


def test_a_typo_fix_is_not_asked_for_a_note_for_learners(app, login_as):
    admin = login_as(role="admin")
    text, base = open_editor(admin, RULES)
    changed = text.replace("Because it works.", "Because it works!")
    data = {"text": changed, "base_hash": base, "save": "Save"}
    response = admin.post(edit_url(RULES), data=data)
    assert response.status_code == 302
    form = text_of(admin.get(f"{BASE}/draft"))
    assert "People must read a lesson again" not in form
    assert "Days they have to read it again" not in form
    assert publish(admin).status_code == 302


def test_a_raised_version_asks_for_a_note_for_learners_and_a_sensible_period(app, login_as):
    admin = login_as(role="admin")
    draft_version_three(admin)
    form = text_of(admin.get(f"{BASE}/draft"))
    assert "People must read a lesson again" in form
    assert "Note for people who read an earlier version" in form
    assert "Days they have to read it again" in form

    refused = publish(admin)
    assert refused.status_code == 400
    assert "This publish raises the version of &#39;The rules&#39;" in text_of(refused)
    for days in ("0", "366", "ten", "-3"):
        bad = publish(admin, learner_note=NOTE, reread_days=days)
        assert bad.status_code == 400, days
        assert "Enter a number of days from 1 to 365" in text_of(bad)
    with app.app_context():
        assert db.session.scalars(select(Publication)).all() == []  # nothing published

    assert publish(admin, learner_note=NOTE, reread_days="14").status_code == 302
    with app.app_context():
        update = db.session.scalars(select(LessonUpdate)).one()
        assert (update.course_id, update.lesson_id, update.version) == ("basics", "rules", 3)
        assert (update.note, update.reread_days) == (NOTE, 14)
        assert update.changed_sections == "why\tWhy"  # "The rules" section is unchanged
        assert update.publication_id == db.session.scalars(select(Publication.id)).one()
    log = " ".join(re.sub(r"<[^>]+>", " ", text_of(admin.get("/admin/audit"))).split())
    assert f"asking earlier readers to read again: “{NOTE}”" in log


def test_an_edit_without_a_raised_version_needs_no_note(app, login_as):
    admin = login_as(role="admin")
    text, base = open_editor(admin, RULES)
    saved = admin.post(
        edit_url(RULES),
        data={
            "text": text.replace("Be kind.", "Be kind, always."),
            "base_hash": base,
            "save": "Save",
        },
    )
    assert saved.status_code == 302
    assert publish(admin).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(LessonUpdate)).all() == []


def test_earlier_readers_see_the_note_and_dates_until_they_read_it_again(app, make_user, login_as):
    learner, client = finish_the_course(app, make_user, login_as)
    with app.app_context():
        first_completed = db.session.scalars(select(CourseCompletion.completed_at)).one()
        code = db.session.scalars(select(Certificate.code)).one()
        assert db.session.scalars(select(Certificate.lesson_versions)).one() == (
            "welcome 1, rules 2, next 1"
        )
        day = today()
    admin = login_as(role="admin")
    draft_version_three(admin)
    assert publish(admin, learner_note=NOTE + ".", reread_days="14").status_code == 302

    sentence = (
        f"Updated on {uk_date(day)}:</strong> {NOTE}. "
        f"<strong>Please read it again by {uk_date(add_days(day, 14))}.</strong>"
    )
    home = text_of(client.get("/"))
    assert sentence in home
    assert "Lesson updated: The rules" in home
    assert 'tag--update-to-read">Update to read<' in home
    assert "In progress" not in home
    assert re.search(
        r'href="/courses/basics/lessons/rules"[^>]*>\s*Read the lesson again'
        r'<span class="visually-hidden">: The rules',
        home,
    )
    lesson = text_of(client.get("/courses/basics/lessons/rules"))
    assert sentence in lesson
    assert re.search(r'What changed:\s*<a href="#why">Why</a>', lesson)
    assert 'id="why"' in lesson
    course = text_of(client.get("/courses/basics/"))
    assert "Update to read" in course

    # The certificate stays valid and still says what it was earned on.
    verified = text_of(client.get(f"/verify/{code}"))
    assert 'tag--valid">Valid<' in verified and "Not valid" not in verified
    assert (
        "Earned on these lesson versions: “Welcome” (version 1), “The rules” (version 2), "
        "“What comes next” (version 1)."
    ) in verified
    pdf = client.get(f"/certificates/{code}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")

    # Reading it again: complete, no notice, the first completion date kept.
    assert complete(client, "rules", acknowledge=True).status_code == 302
    home = text_of(client.get("/"))
    assert "Updated on" not in home and "Update to read" not in home
    assert 'tag--complete">Complete<' in home
    assert "Updated on" not in text_of(client.get("/courses/basics/lessons/rules"))
    with app.app_context():
        assert db.session.scalars(select(CourseCompletion.completed_at)).one() == first_completed
        assert db.session.scalars(select(Certificate.code)).one() == code  # not issued again


def test_someone_who_never_read_the_lesson_sees_no_notice(app, make_user, login_as):
    newcomer = make_user(audience="councillor")
    client = login_as(newcomer)
    complete(client, "welcome")
    admin = login_as(role="admin")
    draft_version_three(admin)
    assert publish(admin, learner_note=NOTE, reread_days="14").status_code == 302
    home = text_of(client.get("/"))
    assert "Updated on" not in home
    assert 'tag--in-progress">In progress<' in home


def _lesson(body: str, headings: tuple[Heading, ...], version: int) -> Lesson:
    return Lesson(
        id="rules",
        course_id="basics",
        module_id="first-steps",
        path="rules.md",
        title="The rules",
        minutes=1,
        audiences=frozenset({"councillor"}),
        version=version,
        acknowledge=None,
        body=body,
        html="",
        headings=headings,
        content_hash="",
    )


def test_changed_sections_are_those_whose_text_changed():
    from induction.admin.drafts.updates import OPENING, changed_sections

    headings = (Heading(2, "Kept", "kept"), Heading(2, "Code", "code"), Heading(2, "New", "new"))
    before = _lesson("Intro\n\n## Kept {#kept}\n\nSame.\n\n## Code {#code}\n\nOld.\n", (), 1)
    after = _lesson(
        "Intro, longer\n\n## Kept {#kept}\n\nSame.\n\n"
        "## Code {#code}\n\n```\n# not a heading\n```\n"
        "\n## New {#new}\n\nAdded.\n",
        headings,
        2,
    )
    assert changed_sections(before, after) == (("", OPENING), ("code", "Code"), ("new", "New"))
    assert changed_sections(after, after) == ()


def test_the_update_date_is_the_day_where_the_network_is(app):
    """Published at 23:30 UTC in summer is the next day in London: the notice says so."""
    from induction.progress.status import LessonProgress, LessonState
    from induction.progress.updates import notice_from

    lesson = _lesson("", (), 3)
    row = LessonUpdate(
        course_id="basics",
        lesson_id="rules",
        version=3,
        note="x",
        reread_days=30,
        changed_sections="",
        published_at=dt.datetime(2027, 6, 1, 23, 30, tzinfo=dt.UTC),
    )
    with app.app_context():
        notice = notice_from(LessonProgress(lesson, LessonState.UPDATED, 2, None), row)
    assert notice.updated_on == dt.date(2027, 6, 2)
    assert notice.read_by == dt.date(2027, 7, 2)
