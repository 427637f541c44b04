"""Fixtures of the authoring tests: a private copy of the site courses and a signed-in admin."""

from __future__ import annotations

import pytest

BASICS = "01-basics"
WELCOME = "01-first-steps/01-welcome.md"
RULES = "01-first-steps/02-rules.md"
QUIZ = "01-first-steps/quiz.md"
FIRST = "01-first-steps"  # the first module's folder
LESSONS = ["01-welcome.md", "02-rules.md", "03-officers-only.md"]  # its lessons, in order


@pytest.fixture
def app(app_factory, tree):
    return app_factory(COURSES_DIR=str(tree))


@pytest.fixture
def admin(login_as):
    """A test client signed in as an admin (second factor included)."""
    return login_as(role="admin")


def text_of(response) -> str:
    return response.get_data(as_text=True)


def edit_url(path: str, folder: str = BASICS) -> str:
    return f"/admin/courses/{folder}/files/{path}"


_HIDDEN = r'name="{name}" type="hidden" value="([^"]*)"'


def hidden(page: str, name: str) -> str:
    """Return the value of a hidden input of a page."""
    import re

    match = re.search(_HIDDEN.format(name=name), page)
    assert match, f"no hidden field {name}"
    return match.group(1)


def open_editor(client, path: str, folder: str = BASICS) -> tuple[str, str]:
    """Open a file in the editor; return its text as shown and the base hash."""
    import html
    import re

    # Lessons open in their form; the whole file as text is one link away.
    page = text_of(client.get(edit_url(path, folder) + "?as=text"))
    match = re.search(r'<textarea[^>]*name="text"[^>]*>\r?\n(.*?)</textarea>', page, re.DOTALL)
    assert match, "no editor text area"
    return html.unescape(match.group(1)), hidden(page, "base_hash")


def audit_events(app, action: str | None = None):
    """Return the audit events (optionally of one action), oldest first."""
    from sqlalchemy import select

    from induction.accounts.audit import AuditEvent
    from induction.extensions import db

    with app.app_context():
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            stmt = stmt.where(AuditEvent.action == action)
        events = list(db.session.scalars(stmt))
        for event in events:
            db.session.expunge(event)
        return events


def publish_all(client, folder: str = BASICS, note: str = "Published by a test", **fields):
    """Publish every draft change of a course; return the response (a redirect when done).

    `fields` add to the form, such as learner_note when the draft raises a lesson's version.
    """
    response = client.post(
        f"/admin/courses/{folder}/draft/publish",
        data={"note": note, "publish_all": "1", **fields},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


TECHNICAL = '<details class="conflict changes__technical">'


def without_technical_detail(page: str) -> str:
    """Return a page without its folded-away unified diffs ("Technical detail")."""
    import re

    return re.sub(rf"{TECHNICAL}.*?</details>", "", page, flags=re.DOTALL)


def move(client, item: str, direction: str, parent: str = FIRST, shown=None):
    """Post the arrange page's "up" or "down" for `item` among `shown` (the first module's
    lessons unless given) of `parent`."""
    shown = LESSONS if shown is None else shown
    return client.post(
        f"/admin/courses/{BASICS}/reorder",
        data={"parent": parent, "shown": "/".join(shown), "item": item, "direction": direction},
    )
